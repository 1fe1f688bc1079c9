using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Api.Tests.Trading;
using NeXChange.Storage;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Api.Tests.Privacy;

/// <summary>
/// Data-request steps over HTTP, and the whole account deletion of SPEC.md 3.10 checked from outside: run against the
/// filesystem blob store (DataRequestTests) and against S3 (S3StorageTests' fixture).
/// </summary>
public static class DataRequestSteps
{
    public static Task<HttpResponseMessage> Submit(HttpClient client, object body) => client.PostAsJsonAsync("/api/v1/me/data-requests", body);

    /// <summary>
    /// The job runs in the silo after the answer. The user's grain runs one call at a time, so asking it to run its
    /// jobs waits for the job already running and then finishes any left open; the request's row then says how it ended.
    /// </summary>
    public static async Task<string> Finished(ApiFixture api, Guid requestId)
    {
        var userId = await Sql.ScalarAsync<Guid>(api.Postgres, "select user_id from data_requests where id = $1", requestId);
        await api.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<NeXChange.Privacy.IDataRequestsGrain>(userId).RunJobs();
        return (await Sql.ScalarAsync<string>(api.Postgres, "select status from data_requests where id = $1", requestId))!;
    }

    public static async Task<JsonElement> Created(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Json();
    }

    public static async Task DeleteErasesPersonalDataEverywhere(ApiFixture api)
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
        await TradeRig.Ok(rig.Buyer, TradeRig.Post($"/api/v1/trades/{completed}/feedback", new { rating = 4 }), HttpStatusCode.Created);
        await rig.NewItem();
        var open = (await rig.Offer(2_000)).GetProperty("id").GetGuid();
        var export = (await Created(await Submit(rig.Seller, new { type = "export" }))).GetProperty("id").GetGuid();
        Assert.Equal("completed", await Finished(api, export));

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
        var sharedKeys = await ItemPhotoKeys(api, blobs, gone.Id, shared: true);
        var ownKeys = await ItemPhotoKeys(api, blobs, gone.Id, shared: false);
        Assert.NotEmpty(sharedKeys);
        Assert.NotEmpty(ownKeys);
        Assert.NotEmpty(await Keys(blobs, $"private/profiles/{gone.Id:N}/"));

        var delete = await Created(await Submit(rig.Seller, new { type = "delete", password = TestUsers.Password, acknowledgeBalanceForfeit = true }));
        Assert.Equal("received", delete.GetProperty("status").GetString());
        Assert.Equal("completed", await Finished(api, delete.GetProperty("id").GetGuid()));

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
        var received = (await (await anonymous.GetAsync($"/api/v1/users/{rig.BuyerUser.Id}/feedback")).Json()).GetProperty("items").EnumerateArray().Single();
        Assert.Equal((5, JsonValueKind.Null), (received.GetProperty("rating").GetInt32(), received.GetProperty("comment").ValueKind));
        var from = received.GetProperty("from");
        Assert.Equal((gone.Id, "Deleted user", JsonValueKind.Null),
            (from.GetProperty("id").GetGuid(), from.GetProperty("displayName").GetString(), from.GetProperty("avatarUrl").ValueKind));

        // No text, jsonb or bytea column of any table holds the old email, name, phone or feedback comment.
        foreach (var secret in new[] { gone.Email, fullName, phone, phone[1..], comment, "Green hatchback" })
            Assert.Empty(await ColumnsContaining(api, secret));
        // No blob store holds the user's photos, documents or archives.
        Assert.Empty(await Keys(blobs, $"private/profiles/{gone.Id:N}/"));
        Assert.Empty(await Keys(blobs, $"private/verifications/{gone.Id:N}/"));
        Assert.Empty(await Keys(blobs, $"private/exports/{gone.Id:N}/"));
        foreach (var key in ownKeys) Assert.False(await blobs.ExistsAsync(key), key);
        foreach (var key in sharedKeys) Assert.True(await blobs.ExistsAsync(key), $"{key} still backs another user's photo");

        // The identity request left the moderators' queue with the account.
        using var moderator = api.ClientFor(await api.Admin());
        var queue = await (await moderator.GetAsync("/api/v1/admin/verifications?limit=100")).Json();
        Assert.DoesNotContain(queue.GetProperty("items").EnumerateArray(), e => e.GetProperty("userId").GetGuid() == gone.Id);

        // A job resumed after a crash runs every step again: nothing fails, nothing is posted twice.
        Assert.Null(await api.SiloServices.GetRequiredService<NeXChange.Privacy.AccountErasure>().RunAsync(gone.Id));

        // The ledger keeps every entry of the account, its credits returned to issuance once, and still balances.
        var closure = await Sql.ScalarAsync<long>(api.Postgres,
            "select count(*) from ledger.transactions where kind = 'account_closure' and idempotency_key = $1", $"closure:{gone.Id}");
        Assert.Equal(1L, closure);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.Postgres, """
            select balance from ledger.accounts where owner_id = $1 and kind = 'USER_AVAILABLE'
            """, gone.Id));
        await rig.AssertReconciled();
        Assert.Equal("completed", (await TradeRig.Get(rig.Buyer, completed)).GetProperty("status").GetString());
    }

    public static async Task<List<string>> Keys(IBlobStore blobs, string prefix)
    {
        var keys = new List<string>();
        await foreach (var blob in blobs.ListAsync(prefix)) keys.Add(blob.Key);
        return keys;
    }

    /// <summary>
    /// The blobs of the user's item photos (the items' sha256 under the content-addressed items/ root): those another
    /// user's item also shows, or those only the user's items show.
    /// </summary>
    private static async Task<List<string>> ItemPhotoKeys(ApiFixture api, IBlobStore blobs, Guid userId, bool shared)
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
    private static async Task<List<string>> ColumnsContaining(ApiFixture api, string secret)
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
