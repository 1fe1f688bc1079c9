using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Api.Tests.Trading;
using NeXChange.Errors;
using NeXChange.Privacy.Export;
using NeXChange.Storage;
using NeXChange.TestSupport;
using SixLabors.ImageSharp;
using static NeXChange.Api.Tests.Conversion.ConversionApi;

namespace NeXChange.Api.Tests.Privacy.Export;

/// <summary>
/// The data-subject archive (SPEC.md 3.10) of a user who did a bit of everything over HTTP, opened and compared with
/// what the test created; the writer is called as the export job will call it, on the silo.
/// </summary>
public sealed class DataExportTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private DataExportWriter Writer => api.SiloServices.GetRequiredService<DataExportWriter>();
    private IBlobStore Blobs => api.SiloServices.GetRequiredService<IBlobStore>();

    [Fact]
    public async Task the_archive_holds_the_users_data_and_photo_masters_and_nothing_private_of_the_other_party()
    {
        var rig = await TradeRig.Create(api);
        var (seller, buyer) = (rig.SellerUser, rig.BuyerUser);
        await Patch(rig.Seller, new { fullName = "Grace Seller Hopper", phone = "+12025550101", vehicleDescription = "Red cargo bike" });
        await Patch(rig.Buyer, new { fullName = "Katherine Buyer Johnson", phone = "+12025550199" });
        var settings = new { emailOffers = false, emailEscrow = true, emailDisputes = true, units = "km", timezone = "Europe/Berlin" };
        Assert.Equal(HttpStatusCode.OK, (await rig.Seller.PutAsJsonAsync("/api/v1/me/settings", settings)).StatusCode);
        await TradeRig.SetPhoto(rig.Seller);
        var (draftId, draftPhotos) = await rig.DraftItem(rig.Seller, TestImages.Jpeg(800, 600), TestImages.Png(300, 300));

        var tradeId = await rig.Completed(5_000);
        await TradeRig.Ok(rig.Buyer, TradeRig.Post($"/api/v1/trades/{tradeId}/feedback", new { rating = 5, comment = "Lovely bike, exactly as described." }), HttpStatusCode.Created);
        await TradeRig.Ok(rig.Seller, TradeRig.Post($"/api/v1/trades/{tradeId}/feedback", new { rating = 4, comment = "Punctual and friendly buyer." }), HttpStatusCode.Created);
        await TradeRig.Ok(rig.Buyer, TradeRig.Post("/api/v1/credits/transfers", new { toUserId = seller.Id, amountMinor = 700, memo = "for the lights" }), HttpStatusCode.Created);
        // The escrow is released: the buyer may no longer see the seller's photo, but the attempt is recorded.
        Assert.Equal(HttpStatusCode.NotFound, (await rig.Buyer.GetAsync($"/api/v1/users/{seller.Id}/photo?tradeId={tradeId}")).StatusCode);
        var requestId = Guid.CreateVersion7();
        await Sql.ExecuteAsync(api.Postgres, """
            insert into data_requests (id, user_id, type, status, created_at, sla_deadline, completed_at)
            values ($1, $2, 'rectify', 'completed', now(), now() + interval '7 days', now())
            """, requestId, seller.Id);
        var me = await (await rig.Seller.GetAsync("/api/v1/me")).Json();
        var buyerName = (await (await rig.Buyer.GetAsync("/api/v1/me")).Json()).GetProperty("displayName").GetString();

        var key = $"private/exports/{seller.Id:N}/{Guid.NewGuid():N}.zip";
        var result = await Writer.WriteAsync(seller.Id, key, CancellationToken.None);

        var (contentType, archive) = await Read(key);
        Assert.Equal("application/zip", contentType);
        Assert.Equal(archive.Length, result.SizeBytes);
        var entries = Entries(archive);
        var data = JsonDocument.Parse(entries["data.json"]).RootElement;
        Assert.Equal(1, data.GetProperty("schemaVersion").GetInt32());

        var profile = data.GetProperty("profile");
        Assert.Equal(seller.Email, profile.GetProperty("email").GetString());
        Assert.Equal("Grace Seller Hopper", profile.GetProperty("fullName").GetString());
        Assert.Equal("+12025550101", profile.GetProperty("phone").GetString());
        Assert.Equal("Red cargo bike", profile.GetProperty("vehicleDescription").GetString());
        Assert.Equal(me.GetProperty("dateOfBirth").GetString(), profile.GetProperty("dateOfBirth").GetString());
        Assert.Equal("10001", profile.GetProperty("zipCode").GetString());
        Assert.Equal(me.GetProperty("displayName").GetString(), profile.GetProperty("displayName").GetString());
        Assert.Equal("photos/profile.jpg", profile.GetProperty("photo").GetProperty("file").GetString());
        var exportedSettings = data.GetProperty("settings");
        Assert.Equal((false, "km", "Europe/Berlin"), (exportedSettings.GetProperty("emailOffers").GetBoolean(),
            exportedSettings.GetProperty("units").GetString(), exportedSettings.GetProperty("timezone").GetString()));
        Assert.Equal([me.GetProperty("displayName").GetString()], Names(data, "displayNames", "name"));

        var items = data.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetGuid());
        Assert.Equal(["traded", "draft"], new[] { items[rig.ItemId], items[draftId] }.Select(i => i.GetProperty("status").GetString()));
        var exportedPhotos = items[draftId].GetProperty("photos").EnumerateArray().ToList();
        Assert.Equal(draftPhotos.Select(p => (p.GetProperty("width").GetInt32(), p.GetProperty("height").GetInt32())),
            exportedPhotos.Select(p => (p.GetProperty("width").GetInt32(), p.GetProperty("height").GetInt32())));
        using var anonymous = api.NewClient();
        foreach (var (created, exported) in draftPhotos.Zip(exportedPhotos))
        {
            var master = await anonymous.GetByteArrayAsync(new Uri(created.GetProperty("urls").GetProperty("master").GetString()!).PathAndQuery);
            Assert.Equal(master, entries[exported.GetProperty("file").GetString()!]);
        }
        Assert.Equal(1, items[rig.ItemId].GetProperty("photos").GetArrayLength());
        Assert.True(entries.ContainsKey($"photos/items/{rig.ItemId}/0.jpg"));
        var profilePhoto = Image.Identify(entries["photos/profile.jpg"]);
        Assert.Equal((640, 480), (profilePhoto.Width, profilePhoto.Height));
        Assert.Equal(4, result.Photos);

        var trade = Assert.Single(data.GetProperty("trades").EnumerateArray());
        Assert.Equal(tradeId, trade.GetProperty("id").GetGuid());
        Assert.Equal("seller", trade.GetProperty("role").GetString());
        Assert.Equal("completed", trade.GetProperty("status").GetString());
        Assert.Equal(5_000, trade.GetProperty("priceMinor").GetInt64());
        Assert.Equal(buyer.Id, trade.GetProperty("counterparty").GetProperty("id").GetGuid());
        Assert.Equal(buyerName, trade.GetProperty("counterparty").GetProperty("displayName").GetString());
        Assert.Empty(data.GetProperty("disputes").EnumerateArray());

        var given = Assert.Single(data.GetProperty("feedbackGiven").EnumerateArray());
        Assert.Equal((4, "Punctual and friendly buyer.", buyer.Id),
            (given.GetProperty("rating").GetInt32(), given.GetProperty("comment").GetString(), given.GetProperty("to").GetProperty("id").GetGuid()));
        var received = Assert.Single(data.GetProperty("feedbackReceived").EnumerateArray());
        Assert.Equal((5, "Lovely bike, exactly as described.", buyer.Id),
            (received.GetProperty("rating").GetInt32(), received.GetProperty("comment").GetString(), received.GetProperty("from").GetProperty("id").GetGuid()));

        var ledger = data.GetProperty("ledgerEntries").EnumerateArray().ToList();
        Assert.Equal([("signup_grant", 10_000L, 10_000L), ("escrow_release", 5_000L, 15_000L), ("transfer", 700L, 15_700L)],
            ledger.Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("amountMinor").GetInt64(), e.GetProperty("balanceAfterMinor").GetInt64())));
        Assert.Equal(buyer.Id, ledger[2].GetProperty("counterparty").GetProperty("id").GetGuid());
        // The memo is the sender's own (SPEC.md 2.10): the recipient's history does not show it.
        Assert.Equal(JsonValueKind.Null, ledger[2].GetProperty("memo").ValueKind);

        var notices = Names(data, "notifications", "type");
        Assert.Contains("offer_received", notices);
        Assert.Contains("transfer_received", notices);
        Assert.Empty(data.GetProperty("conversions").EnumerateArray());
        Assert.Equal([requestId], data.GetProperty("dataRequests").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
        var access = Assert.Single(data.GetProperty("photoAccessEvents").EnumerateArray());
        Assert.Equal((buyer.Id, tradeId, false), (access.GetProperty("viewer").GetProperty("id").GetGuid(),
            access.GetProperty("tradeId").GetGuid(), access.GetProperty("granted").GetBoolean()));
        Assert.Equal(ledger.Count, result.Sections["ledgerEntries"]);

        var passwordHash = await Sql.ScalarAsync<string>(api.Postgres, "select password_hash from users where id = $1", seller.Id);
        foreach (var secret in new[] { buyer.Email, "Katherine Buyer Johnson", "+12025550199", passwordHash!, seller.RefreshToken })
            foreach (var (path, bytes) in entries)
                Assert.False(Contains(bytes, secret), $"{path} holds '{secret}'");
    }

    [Fact]
    public async Task the_archive_lists_the_users_conversions_as_the_api_shows_them_and_no_one_elses()
    {
        var user = await api.RegisterIdVerified();
        using var client = api.ClientFor(user);
        // The fixture's sandbox partner confirms deposits and pays out at once.
        var topUp = (await client.StartConversion("btc_to_credits", 2_000)).GetProperty("id").GetGuid();
        var cashOut = (await client.StartConversion("credits_to_btc", 1_000)).GetProperty("id").GetGuid();
        var shown = new[] { await client.AwaitStatus(topUp, "completed"), await client.AwaitStatus(cashOut, "completed") };
        using var other = api.ClientFor(await api.RegisterIdVerified());
        await other.StartConversion("btc_to_credits", 3_000);

        var key = $"private/exports/{user.Id:N}/{Guid.NewGuid():N}.zip";
        var result = await Writer.WriteAsync(user.Id, key, CancellationToken.None);

        var data = JsonDocument.Parse(Entries((await Read(key)).Bytes)["data.json"]).RootElement;
        var exported = data.GetProperty("conversions").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetGuid());
        Assert.Equal(new[] { topUp, cashOut }.Order(), exported.Keys.Order());
        Assert.Equal(2, result.Sections["conversions"]);
        Assert.Equal(("btc_to_credits", 2_000L, 1), Summary(exported[topUp]));
        Assert.Equal(("credits_to_btc", 1_000L, 2), Summary(exported[cashOut]));
        foreach (var conversion in shown) AssertSameMembers(conversion, exported[conversion.GetProperty("id").GetGuid()]);
        // The user's ledger entries of the top-up's credit and the cash-out's start name them (settling moves no user credits).
        var entries = data.GetProperty("ledgerEntries").EnumerateArray().Where(e => e.GetProperty("conversionId").ValueKind == JsonValueKind.String).ToList();
        Assert.Equal(2, entries.Count);
        foreach (var entry in entries)
            Assert.Contains(entry.GetProperty("transactionId").GetGuid(),
                exported[entry.GetProperty("conversionId").GetGuid()].GetProperty("transactionIds").EnumerateArray().Select(t => t.GetGuid()));
    }

    private static (string?, long, int) Summary(JsonElement conversion) => (conversion.GetProperty("direction").GetString(),
        conversion.GetProperty("amountMinor").GetInt64(), conversion.GetProperty("transactionIds").GetArrayLength());

    /// <summary>
    /// The same members with the same values; timestamps as instants to the millisecond: the API writes milliseconds
    /// (SPEC.md 8.1), the archive every digit PostgreSQL holds.
    /// </summary>
    private static void AssertSameMembers(JsonElement expected, JsonElement actual)
    {
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), actual.EnumerateObject().Select(p => p.Name).Order());
        foreach (var member in expected.EnumerateObject())
        {
            var value = actual.GetProperty(member.Name);
            if (member.Name.EndsWith("At", StringComparison.Ordinal) && member.Value.ValueKind == JsonValueKind.String)
                Assert.Equal(member.Value.GetDateTimeOffset(), Milliseconds(value.GetDateTimeOffset()));
            else if (member.Value.ValueKind == JsonValueKind.Array)
                Assert.Equal(member.Value.EnumerateArray().Select(e => e.GetGuid()), value.EnumerateArray().Select(e => e.GetGuid()));
            else
                Assert.True(member.Value.GetRawText() == value.GetRawText(), $"{member.Name}: {member.Value.GetRawText()} vs {value.GetRawText()}");
        }
    }

    private static DateTimeOffset Milliseconds(DateTimeOffset at) => at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMillisecond));

    [Fact]
    public async Task writing_the_same_key_again_replaces_the_archive_and_leaves_no_temp_file()
    {
        var user = await api.RegisterVerified();
        var key = $"private/exports/{user.Id:N}/{Guid.NewGuid():N}.zip";
        var first = await Writer.WriteAsync(user.Id, key, CancellationToken.None);
        await TradeRig.Grant(api, user.Id, 2_500);

        var second = await Writer.WriteAsync(user.Id, key, CancellationToken.None);

        Assert.Equal((1, 2), (first.Sections["ledgerEntries"], second.Sections["ledgerEntries"]));
        var (_, archive) = await Read(key);
        var data = JsonDocument.Parse(Entries(archive)["data.json"]).RootElement;
        Assert.Equal(["signup_grant", "admin_grant"], Names(data, "ledgerEntries", "kind"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(api.DataDir, "tmp")));
    }

    [Fact]
    public async Task an_unknown_user_is_not_found_and_nothing_is_stored()
    {
        var key = $"private/exports/{Guid.NewGuid():N}.zip";
        var refused = await Assert.ThrowsAsync<DomainException>(() => Writer.WriteAsync(Guid.CreateVersion7(), key, CancellationToken.None));
        Assert.Equal(ErrorCodes.NotFound, refused.Code);
        Assert.False(await Blobs.ExistsAsync(key));
    }

    [Fact]
    public async Task a_key_that_does_not_end_in_zip_is_refused_before_anything_is_written()
    {
        var user = await api.RegisterVerified();
        var key = $"private/exports/{user.Id:N}/archive.json";
        await Assert.ThrowsAsync<ArgumentException>(() => Writer.WriteAsync(user.Id, key, CancellationToken.None));
        Assert.False(await Blobs.ExistsAsync(key));
    }

    private static async Task Patch(HttpClient client, object changes) =>
        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync("/api/v1/me", changes)).StatusCode);

    private async Task<(string ContentType, byte[] Bytes)> Read(string key)
    {
        await using var blob = await Blobs.GetAsync(key);
        Assert.NotNull(blob);
        using var copy = new MemoryStream();
        await blob.Content.CopyToAsync(copy);
        return (blob.ContentType, copy.ToArray());
    }

    /// <summary>Every entry of the ZIP, decompressed, by path.</summary>
    private static Dictionary<string, byte[]> Entries(byte[] archive)
    {
        using var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var content = e.Open();
            using var copy = new MemoryStream();
            content.CopyTo(copy);
            return copy.ToArray();
        });
    }

    private static List<string?> Names(JsonElement data, string section, string member) =>
        data.GetProperty(section).EnumerateArray().Select(e => e.GetProperty(member).GetString()).ToList();

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
