using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NeXChange.Api.Tests.Trading;

namespace NeXChange.Api.Tests.Privacy;

/// <summary>
/// Every endpoint that shows another user shows them through the public projection (SPEC.md 3.6, 8.1): each embedded
/// user object, found by its <c>displayName</c>, has exactly the members of PublicProfile or PublicProfileLite, the
/// ledger's <c>{id, displayName}</c> (2.10), or, in the meetup package while escrow is held, PublicProfileLite with the
/// photo URL and vehicle description (6.6). The privacy scan of every client checks the values on the way.
/// </summary>
public sealed class DisclosureTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string[] Lite = ["id", "displayName", "avatarUrl", "ratingAverage", "ratingCount", "verified"];
    private static readonly string[] Profile = [.. Lite, "completedTrades", "completionRate", "onTimeArrivalRate", "memberSince", "generalArea"];
    private static readonly string[] LedgerParty = ["id", "displayName"];
    private static readonly string[] MeetupParty = [.. Lite, "photoUrl", "vehicleDescription"];

    /// <summary>Members that hold another user's private data, wherever they would appear.</summary>
    private static readonly string[] PrivateMembers = ["email", "fullName", "phone", "dateOfBirth", "zipCode", "areaPoint", "noShowCount", "hasPhoto"];

    /// <summary>A read, the shape of every user object it shows, and how many it must show at least.</summary>
    private sealed record Read(string Path, string[] Shape, int AtLeast = 1);

    [Fact]
    public async Task every_endpoint_shows_other_users_only_through_the_public_profile_shapes()
    {
        var rig = await TradeRig.Create(api);
        foreach (var party in new[] { rig.Seller, rig.Buyer })
        {
            Assert.Equal(HttpStatusCode.OK, (await party.PatchAsJsonAsync("/api/v1/me", new { vehicleDescription = "Blue hatchback, roof box" })).StatusCode);
            await TradeRig.SetPhoto(party);
        }
        var transfer = await TradeRig.Ok(rig.Buyer, TradeRig.Post("/api/v1/credits/transfers",
            new { toUserId = rig.SellerUser.Id, amountMinor = 100, memo = "for the lights" }), HttpStatusCode.Created);

        var completed = await rig.Completed(1_000);
        foreach (var party in new[] { rig.Seller, rig.Buyer })
            await TradeRig.Ok(party, TradeRig.Post($"/api/v1/trades/{completed}/feedback", new { rating = 5, comment = "Smooth handover, thank you!" }),
                HttpStatusCode.Created);
        await rig.NewItem();
        var (scheduled, _) = await rig.Scheduled(1_000);
        var listed = await rig.PublishItem(rig.Seller);
        var day = transfer.GetProperty("createdAt").GetDateTimeOffset().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        Read[] ShownToAnyone(TestUser other) =>
        [
            new($"/api/v1/users/{other.Id}", Profile),
            new($"/api/v1/users/{other.Id}/feedback", Lite),
            new($"/api/v1/items/{listed}", Lite, AtLeast: 0),
            new($"/api/v1/users/{other.Id}/avatar.svg", Lite, AtLeast: 0),
        ];
        Read[] ShownToTheParty(TestUser other) =>
        [
            .. ShownToAnyone(other),
            new($"/api/v1/trades/{scheduled}", Lite),
            new($"/api/v1/trades/{completed}", Lite),
            new("/api/v1/me/trades", Lite, AtLeast: 2),
            new($"/api/v1/trades/{scheduled}/meetup", MeetupParty),
            new($"/api/v1/trades/{completed}/feedback", Lite, AtLeast: 0),
            new($"/api/v1/users/{other.Id}/photo?tradeId={scheduled}", Lite, AtLeast: 0),
            new("/api/v1/me/credits/history", LedgerParty),
            new($"/api/v1/me/credits/statement?from={day}&to={day}", LedgerParty),
            new($"/api/v1/me/credits/transactions/{transfer.GetProperty("transactionId").GetGuid()}", LedgerParty),
            new("/api/v1/me/notifications?limit=100", Lite, AtLeast: 0),
        ];
        Read[] sellerCards = [new($"/api/v1/users/{rig.SellerUser.Id}/items", Lite), new("/api/v1/items?q=road%20bike", Lite)];

        using var anonymous = api.NewClient();
        foreach (var read in ShownToAnyone(rig.SellerUser).Concat(ShownToAnyone(rig.BuyerUser)).Concat(sellerCards))
            await AssertShown(anonymous, read);
        foreach (var read in ShownToTheParty(rig.SellerUser).Concat(sellerCards)) await AssertShown(rig.Buyer, read);
        foreach (var read in ShownToTheParty(rig.BuyerUser)) await AssertShown(rig.Seller, read);
        using var moderator = api.ClientFor(await api.Admin());
        await AssertShown(moderator, new($"/api/v1/trades/{scheduled}", Lite, AtLeast: 2));

        // The tier-2 members are really there for the counterparty while escrow is held, so the shape above is not vacuous.
        var package = await (await rig.Buyer.GetAsync($"/api/v1/trades/{scheduled}/meetup")).Json();
        Assert.Equal("Blue hatchback, roof box", package.GetProperty("counterparty").GetProperty("vehicleDescription").GetString());
        Assert.False(string.IsNullOrEmpty(package.GetProperty("counterparty").GetProperty("photoUrl").GetString()));
    }

    /// <summary>The scan above is only as good as what it looks for: every tier-3 value a user's own answers showed.</summary>
    [Fact]
    public async Task the_privacy_scan_learns_each_users_private_values_from_the_api()
    {
        var user = await api.Register();
        using var client = api.ClientFor(user);
        var me = await (await client.PatchAsJsonAsync("/api/v1/me", new { zipCode = "60601", city = "Chicago" })).Json();

        var known = api.PersonalData.OthersThan(null).Where(s => s.Owner == user.Id).Select(s => (s.Secret.Kind, s.Secret.Value)).ToHashSet();
        Assert.Superset(new HashSet<(string, string)>
        {
            ("email", user.Email), ("full name", me.GetProperty("fullName").GetString()!), ("phone", me.GetProperty("phone").GetString()!),
            ("date of birth", me.GetProperty("dateOfBirth").GetString()!), ("ZIP", "10001"), ("ZIP", "60601"),
            ("area point", "40.75,-74"), ("area point", "41.89,-87.62"),
        }, known);
    }

    private static async Task AssertShown(HttpClient client, Read read)
    {
        var response = await client.GetAsync(read.Path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{read.Path}: {(int)response.StatusCode}");
        if (response.Content.Headers.ContentType?.MediaType != "application/json") return;
        var users = new List<JsonElement>();
        var body = await response.Json();
        Collect(body, users);
        Assert.True(users.Count >= read.AtLeast, $"{read.Path} shows {users.Count} users, expected at least {read.AtLeast}");
        foreach (var user in users)
            Assert.True(user.EnumerateObject().Select(p => p.Name).Order().SequenceEqual(read.Shape.Order()),
                $"{read.Path} shows a user as {user}, not with exactly [{string.Join(", ", read.Shape)}]");
    }

    /// <summary>Collects the user objects (those with a display name) and fails on any member named like private data.</summary>
    private static void Collect(JsonElement element, List<JsonElement> users)
    {
        if (element.ValueKind == JsonValueKind.Array)
            foreach (var item in element.EnumerateArray()) Collect(item, users);
        if (element.ValueKind != JsonValueKind.Object) return;
        if (element.TryGetProperty("displayName", out _)) users.Add(element);
        foreach (var property in element.EnumerateObject())
        {
            Assert.DoesNotContain(property.Name, PrivateMembers);
            Collect(property.Value, users);
        }
    }
}
