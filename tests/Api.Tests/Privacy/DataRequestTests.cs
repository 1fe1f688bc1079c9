using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Api.Tests.Trading;
using NeXChange.Storage;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Api.Tests.Privacy;

/// <summary>Data-subject requests over HTTP (SPEC.md 3.10, 8.2, 8.6): rectify, export, port, delete and the queue.</summary>
public sealed class DataRequestTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static Task<HttpResponseMessage> Submit(HttpClient client, object body) => client.PostAsJsonAsync("/api/v1/me/data-requests", body);

    /// <summary>The job runs in the silo after the answer: wait (bounded) until the request is closed, read from its row.</summary>
    private async Task<string> Finished(Guid requestId)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var status = await Sql.ScalarAsync<string>(api.Postgres, "select status from data_requests where id = $1", requestId);
            if (status is "completed" or "failed") return status;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"Data request {requestId} did not finish.");
    }

    private static async Task<JsonElement> Created(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Json();
    }

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
            new { type = "rectify", changes = new { dateOfBirth = DateTime.UtcNow.AddYears(-5).ToString("yyyy-MM-dd") } },
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
            Assert.Equal("completed", await Finished(id));

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
        Assert.Equal("completed", await Finished(id));
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
        var wrong = await Submit(rig.Seller, new { type = "delete", password = "not the password at all" });
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
    public async Task delete_erases_personal_data_from_every_table_and_blob_store_and_keeps_the_ledger_balanced()
    {
        var rig = await TradeRig.Create(api);
        var gone = rig.SellerUser;
        var fullName = $"Ottoline Wrayburn {Guid.NewGuid():N}"[..32];
        var phone = $"+1202{Random.Shared.Next(1_000_000, 9_999_999)}";
        Assert.Equal(HttpStatusCode.OK, (await rig.Seller.PatchAsJsonAsync("/api/v1/me", new { fullName, phone, vehicleDescription = "Green hatchback" })).StatusCode);
        await TradeRig.SetPhoto(rig.Seller);
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Jpeg(800, 600)), "file", "id.jpg" }, { new StringContent("passport"), "documentType" } })
            Assert.Equal(HttpStatusCode.Accepted, (await rig.Seller.PostAsync("/api/v1/me/verification", form)).StatusCode);

        // A completed trade with feedback from the user, a later offer still open, and an export of everything.
        var completed = await rig.Completed(1_000);
        const string comment = "Friendly and on time, bike exactly as shown.";
        await TradeRig.Ok(rig.Seller, TradeRig.Post($"/api/v1/trades/{completed}/feedback", new { rating = 5, comment }), HttpStatusCode.Created);
        await rig.NewItem();
        var open = (await rig.Offer(2_000)).GetProperty("id").GetGuid();
        var export = (await Created(await Submit(rig.Seller, new { type = "export" }))).GetProperty("id").GetGuid();
        Assert.Equal("completed", await Finished(export));

        // The rig's listings share their photo with the buyer's listing (content-addressed blobs); a draft has one of its own.
        await rig.PublishItem(rig.Buyer);
        var draft = await TradeRig.Ok(rig.Seller, TradeRig.Post("/api/v1/items", new
        {
            title = "Folding chair, oak",
            description = "Solid oak folding chair, a few scratches on one leg, otherwise sturdy and clean.",
            categoryId = await api.CategoryId("Bicycles"),
            condition = "good",
            priceMinor = 1_500,
        }), HttpStatusCode.Created);
        using (var photo = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Jpeg(731, 457)), "file", "chair.jpg" } })
            Assert.Equal(HttpStatusCode.Created, (await rig.Seller.PostAsync($"/api/v1/items/{draft.GetProperty("id").GetGuid()}/photos", photo)).StatusCode);
        var blobs = api.SiloServices.GetRequiredService<IBlobStore>();
        var sharedKeys = await ItemPhotoKeys(blobs, gone.Id, shared: true);
        var ownKeys = await ItemPhotoKeys(blobs, gone.Id, shared: false);
        Assert.NotEmpty(sharedKeys);
        Assert.NotEmpty(ownKeys);
        Assert.NotEmpty(await Keys(blobs, $"private/profiles/{gone.Id:N}/"));

        var delete = await Created(await Submit(rig.Seller, new { type = "delete", password = TestUsers.Password, acknowledgeBalanceForfeit = true }));
        Assert.Equal("received", delete.GetProperty("status").GetString());
        Assert.Equal("completed", await Finished(delete.GetProperty("id").GetGuid()));

        // Signed out everywhere; the old email cannot log in; the public profile is gone.
        using var anonymous = api.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await rig.Seller.GetAsync("/api/v1/me")).StatusCode);
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = gone.Email, password = TestUsers.Password });
        Assert.Equal("invalid_credentials", (await login.Json()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = gone.RefreshToken })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/users/{gone.Id}")).StatusCode);

        // The open offer was cancelled for the account's deletion; the items are archived; ratings stay without comments.
        var cancelled = await TradeRig.Get(rig.Buyer, open);
        Assert.Equal(("cancelled", "account_deleted"), (cancelled.GetProperty("status").GetString(), cancelled.GetProperty("endReason").GetString()));
        Assert.Equal("Deleted user", cancelled.GetProperty("counterparty").GetProperty("displayName").GetString());
        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("counterparty").GetProperty("avatarUrl").ValueKind);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.Postgres, "select count(*) from items where owner_id = $1 and status <> 'archived' and status <> 'traded'", gone.Id));
        Assert.Equal(5, await Sql.ScalarAsync<short>(api.Postgres, "select rating from feedback where author_id = $1", gone.Id));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.Postgres, "select count(*) from feedback where author_id = $1 and comment is not null", gone.Id));

        // No text, jsonb or bytea column of any table holds the old email, name, phone or feedback comment.
        foreach (var secret in new[] { gone.Email, fullName, phone, phone[1..], comment, "Green hatchback" })
            Assert.Empty(await ColumnsContaining(secret));
        // No blob store holds the user's photos, documents or archives.
        Assert.Empty(await Keys(blobs, $"private/profiles/{gone.Id:N}/"));
        Assert.Empty(await Keys(blobs, $"private/verifications/{gone.Id:N}/"));
        Assert.Empty(await Keys(blobs, $"private/exports/{gone.Id:N}/"));
        foreach (var key in ownKeys) Assert.False(await blobs.ExistsAsync(key), key);
        foreach (var key in sharedKeys) Assert.True(await blobs.ExistsAsync(key), $"{key} still backs another user's photo");

        // The ledger keeps every entry of the account, its credits returned to issuance, and still balances.
        var closure = await Sql.ScalarAsync<long>(api.Postgres,
            "select count(*) from ledger.transactions where kind = 'account_closure' and idempotency_key = $1", $"closure:{gone.Id}");
        Assert.Equal(1L, closure);
        await rig.AssertReconciled();
        Assert.Equal("completed", (await TradeRig.Get(rig.Buyer, completed)).GetProperty("status").GetString());
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

    private static async Task<List<string>> Keys(IBlobStore blobs, string prefix)
    {
        var keys = new List<string>();
        await foreach (var blob in blobs.ListAsync(prefix)) keys.Add(blob.Key);
        return keys;
    }

    /// <summary>
    /// The blobs of the user's item photos (the items' sha256 under the content-addressed items/ root): those another
    /// user's item also shows, or those only the user's items show.
    /// </summary>
    private async Task<List<string>> ItemPhotoKeys(IBlobStore blobs, Guid userId, bool shared)
    {
        var keys = new List<string>();
        await using var connection = new NpgsqlConnection(api.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select distinct photo ->> 'sha256' from items, jsonb_array_elements(photos) as photo
            where owner_id = $1 and $2 = exists (select 1 from items o, jsonb_array_elements(o.photos) as p
                                                 where o.owner_id <> $1 and p ->> 'sha256' = photo ->> 'sha256')
            """, connection);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = shared });
        var shas = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) shas.Add(reader.GetString(0));
        foreach (var sha in shas) keys.AddRange(await Keys(blobs, $"items/{sha}/"));
        return keys;
    }

    /// <summary>Every (table.column) of type text, varchar, json, jsonb or bytea in the app's schemas whose value contains <paramref name="secret"/>.</summary>
    private async Task<List<string>> ColumnsContaining(string secret)
    {
        await using var connection = new NpgsqlConnection(api.Postgres);
        await connection.OpenAsync();
        var columns = new List<(string Schema, string Table, string Column, string Type)>();
        await using (var list = new NpgsqlCommand("""
            select c.table_schema, c.table_name, c.column_name, c.data_type from information_schema.columns c
            join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
            where c.table_schema in ('public', 'ledger') and c.data_type in ('text', 'character varying', 'json', 'jsonb', 'bytea', 'ARRAY')
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        Assert.Contains(columns, c => c.Table == "users" && c.Column == "email");

        var found = new List<string>();
        foreach (var (schema, table, column, type) in columns)
        {
            var match = type == "bytea"
                ? $"position(convert_to($1, 'UTF8') in \"{column}\") > 0"
                : $"strpos(lower(\"{column}\"::text), lower($1)) > 0";
            await using var probe = new NpgsqlCommand($"select exists (select 1 from \"{schema}\".\"{table}\" where {match})", connection);
            probe.Parameters.Add(new() { Value = secret });
            if ((bool)(await probe.ExecuteScalarAsync())!) found.Add($"{schema}.{table}.{column}");
        }
        return found;
    }
}
