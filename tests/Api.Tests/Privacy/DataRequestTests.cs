using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Api.Tests.Trading;
using NeXChange.Storage;
using NeXChange.TestSupport;
using Npgsql;

using static NeXChange.Api.Tests.Privacy.DataRequestSteps;

namespace NeXChange.Api.Tests.Privacy;

/// <summary>Data-subject requests over HTTP (SPEC.md 3.10, 8.2, 8.6): rectify, export, port, delete and the queue.</summary>
public sealed class DataRequestTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public Task delete_erases_personal_data_from_every_table_and_blob_store_and_keeps_the_ledger_balanced() =>
        DataRequestSteps.DeleteErasesPersonalDataEverywhere(api);

    [Fact]
    public async Task rectify_applies_at_once_is_audited_by_field_name_and_refuses_bad_changes()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        var fullName = $"Rosalind Quenby {Guid.NewGuid():N}"[..30];

        var request = await Created(await Submit(client, new { type = "rectify", changes = new { fullName, phone = "+12025550177", dateOfBirth = "1985-02-03" } }));
        Assert.Equal("completed", request.GetProperty("status").GetString());
        Assert.False(request.GetProperty("overdue").GetBoolean());
        Assert.Equal(request.GetProperty("createdAt").GetDateTimeOffset() + TimeSpan.FromDays(7), request.GetProperty("slaDeadline").GetDateTimeOffset());
        var me = await (await client.GetAsync("/api/v1/me")).Json();
        Assert.Equal(fullName, me.GetProperty("fullName").GetString());
        Assert.Equal("+12025550177", me.GetProperty("phone").GetString());
        Assert.Equal("1985-02-03", me.GetProperty("dateOfBirth").GetString());

        using var admin = api.ClientFor(await api.Admin());
        var audit = await (await admin.GetAsync($"/api/v1/admin/audit?entityType=data_request&entityId={request.GetProperty("id").GetGuid()}")).Json();
        var actions = audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).Order().ToArray();
        Assert.Equal(["DSR_COMPLETED", "DSR_RECEIVED"], actions);
        Assert.DoesNotContain(fullName, audit.ToString());
        Assert.DoesNotContain("2025550177", audit.ToString());

        object[] refused =
        [
            new { type = "rectify" },
            new { type = "rectify", changes = new { } },
            new { type = "rectify", changes = new { email = "new@example.org" } },
            new { type = "rectify", changes = new { phone = "555-0100" } },
            new { type = "rectify", changes = new { dateOfBirth = "2999-01-01" } },   // under 13 on any day this test runs
            new { type = "rectify", changes = new { zipCode = "02139" } },
            new { type = "erase" },
            new { type = "export", extra = true },
        ];
        foreach (var body in refused)
        {
            var response = await Submit(client, body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(body)}: {(int)response.StatusCode}");
        }
        Assert.Equal(fullName, (await (await client.GetAsync("/api/v1/me")).Json()).GetProperty("fullName").GetString());
        Assert.Single((await (await client.GetAsync("/api/v1/me/data-requests")).Json()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task export_and_port_build_a_downloadable_archive_of_the_users_data()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        await TradeRig.SetPhoto(client);

        foreach (var type in new[] { "export", "port" })
        {
            var request = await Created(await Submit(client, new { type }));
            var id = request.GetProperty("id").GetGuid();
            Assert.Equal("received", request.GetProperty("status").GetString());
            Assert.Equal(TimeSpan.FromDays(type == "export" ? 30 : 14),
                request.GetProperty("slaDeadline").GetDateTimeOffset() - request.GetProperty("createdAt").GetDateTimeOffset());
            Assert.Equal("completed", await Finished(api, id));

            var done = await (await client.GetAsync($"/api/v1/me/data-requests/{id}")).Json();
            Assert.Equal("completed", done.GetProperty("status").GetString());
            Assert.Equal(done.GetProperty("completedAt").GetDateTimeOffset() + TimeSpan.FromDays(7), done.GetProperty("archiveExpiresAt").GetDateTimeOffset());
            var link = await (await client.GetAsync($"/api/v1/me/data-requests/{id}/archive")).Json();
            // The fixture's public base URL has no port: the signed path and query are what the media endpoint checks.
            var signed = new Uri(link.GetProperty("url").GetString()!).PathAndQuery;
            using var anyone = api.NewClient();
            var zip = await anyone.GetAsync(signed);
            Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
            using var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync());
            using var data = JsonDocument.Parse(archive.GetEntry("data.json")!.Open());
            Assert.Equal(1, data.RootElement.GetProperty("schemaVersion").GetInt32());
            Assert.Contains(user.Email, data.RootElement.GetRawText());
            Assert.Contains(archive.Entries, e => e.FullName.StartsWith("photos/", StringComparison.Ordinal) && e.Length > 0);
            Assert.NotEqual(HttpStatusCode.OK, (await anyone.GetAsync(signed.Split('?')[0])).StatusCode);
        }

        using var other = api.ClientFor(await api.RegisterVerified());
        var mine = (await (await client.GetAsync("/api/v1/me/data-requests")).Json()).GetProperty("items").EnumerateArray().First();
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/me/data-requests/{mine.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/me/data-requests/{mine.GetProperty("id").GetGuid()}/archive")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/me/data-requests/not-a-uuid")).StatusCode);
    }

    [Fact]
    public async Task an_archive_expires_after_7_days_and_the_daily_job_deletes_it()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        var id = (await Created(await Submit(client, new { type = "export" }))).GetProperty("id").GetGuid();
        Assert.Equal("completed", await Finished(api, id));
        var key = await Sql.ScalarAsync<string>(api.Postgres, "select archive_key from data_requests where id = $1", id);
        var blobs = api.SiloServices.GetRequiredService<IBlobStore>();
        Assert.True(await blobs.ExistsAsync(key!));
        var maintenance = api.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<NeXChange.Maintenance.IMaintenanceGrain>(0);

        // Six days on the archive is still there and downloadable.
        await new TradeRig(api).AdvanceBy(TimeSpan.FromDays(6));
        await maintenance.RunDaily();
        Assert.True(await blobs.ExistsAsync(key!));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/me/data-requests/{id}/archive")).StatusCode);

        await new TradeRig(api).AdvanceBy(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/me/data-requests/{id}/archive")).StatusCode);
        Assert.True((await maintenance.RunDaily()).ArchivesDeleted >= 1);
        Assert.False(await blobs.ExistsAsync(key!));
        Assert.Null(await Sql.ScalarAsync<string>(api.Postgres, "select archive_key from data_requests where id = $1", id));
        Assert.Equal("completed", (await (await client.GetAsync($"/api/v1/me/data-requests/{id}")).Json()).GetProperty("status").GetString());
        Assert.Equal(0, (await maintenance.RunDaily()).ArchivesDeleted);
    }

    [Fact]
    public async Task an_open_request_blocks_another_of_its_type_and_its_archive_is_not_ready()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        // A job in progress, as the job itself marks it (set up in SQL: a real job finishes too fast to catch).
        var openId = Guid.CreateVersion7();
        await Sql.ExecuteAsync(api.Postgres, """
            insert into data_requests (id, user_id, type, status, created_at, sla_deadline) values ($1, $2, 'export', 'processing', now(), now() + interval '30 days')
            """, openId, user.Id);

        var second = await Submit(client, new { type = "export" });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("request_in_progress", (await second.Json()).GetProperty("code").GetString());
        var archive = await client.GetAsync($"/api/v1/me/data-requests/{openId}/archive");
        Assert.Equal(HttpStatusCode.Conflict, archive.StatusCode);
        Assert.Equal("archive_not_ready", (await archive.Json()).GetProperty("code").GetString());
        // The database refuses a second open request of a type even when the grain is bypassed.
        var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(api.Postgres, """
            insert into data_requests (id, user_id, type, status, created_at, sla_deadline) values ($1, $2, 'export', 'received', now(), now())
            """, Guid.CreateVersion7(), user.Id));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
        // Another type is not blocked.
        Assert.Equal(HttpStatusCode.Created, (await Submit(client, new { type = "port" })).StatusCode);
    }

    [Fact]
    public async Task delete_is_refused_for_a_wrong_password_an_unacknowledged_balance_and_held_escrow()
    {
        var rig = await TradeRig.Create(api);
        var wrong = await Submit(rig.Seller, new { type = "delete", password = TestPasswords.New() });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("invalid_credentials", (await wrong.Json()).GetProperty("code").GetString());
        var unacknowledged = await Submit(rig.Seller, new { type = "delete", password = TestUsers.Password });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unacknowledged.StatusCode);
        Assert.Equal("balance_forfeit_unacknowledged", (await unacknowledged.Json()).GetProperty("code").GetString());

        await rig.Scheduled(1_000);
        foreach (var party in new[] { rig.Seller, rig.Buyer })
        {
            var held = await Submit(party, new { type = "delete", password = TestUsers.Password, acknowledgeBalanceForfeit = true });
            Assert.Equal(HttpStatusCode.Conflict, held.StatusCode);
            Assert.Equal("escrow_held", (await held.Json()).GetProperty("code").GetString());
        }
        Assert.Empty((await (await rig.Seller.GetAsync("/api/v1/me/data-requests")).Json()).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await rig.Seller.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task the_moderator_queue_lists_requests_by_deadline_and_refuses_users()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        await Sql.ExecuteAsync(api.Postgres, """
            insert into data_requests (id, user_id, type, status, created_at, sla_deadline)
            values ($1, $2, 'delete', 'received', now() - interval '40 days', now() - interval '10 days')
            """, Guid.CreateVersion7(), user.Id);
        Assert.Equal(HttpStatusCode.Created, (await Submit(client, new { type = "rectify", changes = new { phone = "+12025550199" } })).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/admin/data-requests")).StatusCode);
        using var admin = api.ClientFor(await api.Admin());
        var page = await (await admin.GetAsync("/api/v1/admin/data-requests?limit=100")).Json();
        var items = page.GetProperty("items").EnumerateArray().ToList();
        var deadlines = items.Select(i => i.GetProperty("slaDeadline").GetDateTimeOffset()).ToList();
        Assert.Equal(deadlines.Order(), deadlines);
        var overdue = items.First(i => i.GetProperty("userId").GetGuid() == user.Id && i.GetProperty("type").GetString() == "delete");
        Assert.True(overdue.GetProperty("overdue").GetBoolean());
        Assert.False(string.IsNullOrEmpty(overdue.GetProperty("displayName").GetString()));
        Assert.True(items[0].GetProperty("overdue").GetBoolean());

        var deletes = await (await admin.GetAsync("/api/v1/admin/data-requests?type=delete&status=received")).Json();
        Assert.All(deletes.GetProperty("items").EnumerateArray(), i => Assert.Equal("delete", i.GetProperty("type").GetString()));
        foreach (var bad in new[] { "?status=done", "?type=erase", "?limit=0", "?before=not-a-cursor" })
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync($"/api/v1/admin/data-requests{bad}")).StatusCode);
    }

}
