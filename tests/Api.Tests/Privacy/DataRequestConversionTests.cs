using System.Net;
using NeXChange.TestSupport;
using static NeXChange.Api.Tests.Conversion.ConversionApi;
using static NeXChange.Api.Tests.Privacy.DataRequestSteps;

namespace NeXChange.Api.Tests.Privacy;

/// <summary>A sandbox partner that never confirms a deposit: a top-up stays <c>awaiting_deposit</c> until it fails or expires.</summary>
public sealed class DepositsNeverArriveFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Custody:DepositBehaviour"] = "Never",
    };
}

/// <summary>
/// A DSR delete waits for the user's conversions in flight (SPEC.md 3.10): refused at submission with 409
/// <c>conversion_in_flight</c>, and checked again when the job runs.
/// </summary>
public sealed class DataRequestConversionTests(DepositsNeverArriveFixture api) : IClassFixture<DepositsNeverArriveFixture>
{
    private static readonly object Delete = new { type = "delete", password = TestUsers.Password, acknowledgeBalanceForfeit = true };

    [Fact]
    public async Task delete_is_refused_while_a_top_up_awaits_its_deposit_and_accepted_once_the_deposit_failed()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        // Another test of this class moves the dev clock, which leaves the feed stale until it is read again.
        await client.SetPrice(10_000_000);
        var conversion = (await client.StartConversion("btc_to_credits", 5_000)).GetProperty("id").GetGuid();

        await AssertRefused(await Submit(client, Delete), HttpStatusCode.Conflict, "conversion_in_flight");
        Assert.Empty((await (await client.GetAsync("/api/v1/me/data-requests")).Json()).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal("awaiting_deposit", (await client.ConversionOf(conversion)).GetProperty("status").GetString());

        using var partner = api.NewClient();
        var failed = await partner.PostWebhook(Event($"test:{conversion}:deposit_failed", "deposit_failed", conversion, reason: "timeout"), api.WebhookSecret);
        Assert.Equal(HttpStatusCode.NoContent, failed.StatusCode);
        Assert.Equal("failed", (await client.ConversionOf(conversion)).GetProperty("status").GetString());

        var request = await Created(await Submit(client, Delete));
        Assert.Equal("completed", await Finished(api, request.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        await api.AssertReconciled();
    }

    [Fact]
    public async Task a_delete_whose_job_finds_a_conversion_in_flight_fails_audited_and_a_later_one_runs_once_the_deposit_expired()
    {
        var user = await api.RegisterIdVerified();
        using var client = api.ClientFor(user);
        await client.SetPrice(10_000_000);
        var conversion = (await client.StartConversion("btc_to_credits", 5_000)).GetProperty("id").GetGuid();
        // Received before the top-up started, as the submission check would have let it through then; its job runs now.
        var early = Guid.CreateVersion7();
        await Sql.ExecuteAsync(api.Postgres, """
            insert into data_requests (id, user_id, type, status, created_at, sla_deadline) values ($1, $2, 'delete', 'received', now(), now() + interval '30 days')
            """, early, user.Id);

        Assert.Equal("failed", await Finished(api, early));

        var failed = await (await client.GetAsync($"/api/v1/me/data-requests/{early}")).Json();
        Assert.Equal("conversion_in_flight", failed.GetProperty("failureReason").GetString());
        using var admin = api.ClientFor(await api.Admin());
        var audit = await (await admin.GetAsync($"/api/v1/admin/audit?entityType=data_request&entityId={early}&action=DSR_FAILED")).Json();
        Assert.Equal("conversion_in_flight", Assert.Single(audit.GetProperty("items").EnumerateArray()).GetProperty("data").GetProperty("failureReason").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(10_000, await client.Available());

        // The deposit window (60 min) closes: the top-up expires and no longer holds the account back.
        await client.Advance(61 * 60);
        var later = await Created(await Submit(client, Delete));
        Assert.Equal("completed", await Finished(api, later.GetProperty("id").GetGuid()));
        Assert.Equal("expired", await Sql.ScalarAsync<string>(api.Postgres, "select status from conversions where id = $1", conversion));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        await api.AssertReconciled();
    }
}
