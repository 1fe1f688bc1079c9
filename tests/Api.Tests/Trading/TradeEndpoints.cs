using System.Net;

namespace NeXChange.Api.Tests.Trading;

/// <summary>Who calls: nobody signed in, a verified user outside the trade, one of its parties, or a moderator.</summary>
public enum Caller { Anonymous, Stranger, Buyer, Seller, Moderator }

/// <summary>
/// Every trade endpoint of SPEC.md 8.4 that this build maps, plus the moderator cancel and the identity-gated photo,
/// each with a request that is valid in form (so that only who calls and when decides the answer) and the stage in
/// which a party may legally make it.
/// </summary>
public static class TradeEndpoints
{
    public const string GetTrade = "GET /trades/{id}";
    public const string Counter = "POST /trades/{id}/counter";
    public const string Accept = "POST /trades/{id}/accept";
    public const string Decline = "POST /trades/{id}/decline";
    public const string Withdraw = "POST /trades/{id}/withdraw";
    public const string SafeZones = "GET /trades/{id}/safe-zones";
    public const string Location = "POST /trades/{id}/location";
    public const string Time = "POST /trades/{id}/time";
    public const string TimeAccept = "POST /trades/{id}/time/accept";
    public const string Hold = "POST /trades/{id}/hold";
    public const string Meetup = "GET /trades/{id}/meetup";
    public const string Arrived = "POST /trades/{id}/arrived";
    public const string Handoff = "POST /trades/{id}/handoff";
    public const string RejectItem = "POST /trades/{id}/reject-item";
    public const string CancelChangedMind = "POST /trades/{id}/cancel {changed_mind}";
    public const string CancelMutual = "POST /trades/{id}/cancel {mutual}";
    public const string AdminCancel = "POST /admin/trades/{id}/cancel";
    public const string Photo = "GET /users/{partner}/photo?tradeId={id}";
    public const string MyTrades = "GET /me/trades";

    private sealed record Endpoint(TradeStage Live, Func<StagedTrade, Caller, HttpRequestMessage> Request);

    private static readonly Dictionary<string, Endpoint> All = new()
    {
        [GetTrade] = new(TradeStage.Offered, (t, _) => Get($"/api/v1/trades/{t.Id}")),
        [Counter] = new(TradeStage.Offered, (t, _) => Action(t, "counter", new { counterMinor = TradeStagesFixture.CounterMinor })),
        [Accept] = new(TradeStage.Offered, (t, _) => Action(t, "accept")),
        [Decline] = new(TradeStage.Offered, (t, _) => Action(t, "decline")),
        [Withdraw] = new(TradeStage.Offered, (t, _) => Action(t, "withdraw")),
        [SafeZones] = new(TradeStage.Accepted, (t, _) => Get($"/api/v1/trades/{t.Id}/safe-zones")),
        [Location] = new(TradeStage.Accepted, (t, _) => Action(t, "location", new { choice = "accept_partner" })),
        [Time] = new(TradeStage.Accepted, (t, _) => Action(t, "time", new { proposedAt = ADayAfter(t) })),
        [TimeAccept] = new(TradeStage.Accepted, (t, _) => Action(t, "time/accept", new { proposedAt = t.MeetupAt ?? ADayAfter(t) })),
        [Hold] = new(TradeStage.Accepted, (t, _) => Action(t, "hold")),
        [Meetup] = new(TradeStage.Scheduled, (t, _) => Get($"/api/v1/trades/{t.Id}/meetup")),
        [Arrived] = new(TradeStage.Scheduled, (t, _) => Action(t, "arrived")),
        [Handoff] = new(TradeStage.Scheduled, (t, _) => Action(t, "handoff")),
        [RejectItem] = new(TradeStage.Scheduled, (t, _) => Action(t, "reject-item", new { reason = "not_as_described" })),
        [CancelChangedMind] = new(TradeStage.Accepted, (t, _) => Action(t, "cancel", new { reason = "changed_mind" })),
        [CancelMutual] = new(TradeStage.Scheduled, (t, _) => Action(t, "cancel", new { reason = "mutual" })),
        [AdminCancel] = new(TradeStage.Scheduled,
            (t, _) => TradeRig.Post($"/api/v1/admin/trades/{t.Id}/cancel", new { note = "Ended by a moderator after a report." })),
        // A party asks for the other's photo; anyone else for the seller's.
        [Photo] = new(TradeStage.Scheduled, (t, caller) =>
            Get($"/api/v1/users/{(caller == Caller.Seller ? t.Rig.BuyerUser.Id : t.Rig.SellerUser.Id)}/photo?tradeId={t.Id}")),
        [MyTrades] = new(TradeStage.Offered, (_, _) => Get("/api/v1/me/trades")),
    };

    public static IEnumerable<string> Names => All.Keys;

    /// <summary>The stage in which a party may make the call, so that a refusal there is about the caller alone.</summary>
    public static TradeStage LiveStage(string endpoint) => All[endpoint].Live;

    public static HttpRequestMessage Request(string endpoint, StagedTrade trade, Caller caller) => All[endpoint].Request(trade, caller);

    /// <summary>
    /// One row of the matrix: <paramref name="caller"/> makes the call on the trade in <paramref name="stage"/> and gets
    /// <paramref name="status"/> with <paramref name="code"/> (and <c>currentStatus</c> for a 409); the trade's version and
    /// both balances are as before.
    /// </summary>
    public static async Task AssertAnswer(TradeStagesFixture api, TradeStage stage, string endpoint, Caller caller, HttpStatusCode status, string? code)
    {
        var trade = await api.At(stage);
        var before = await TradeSnapshot.Of(trade);
        using var client = await api.ClientFor(caller, trade);
        using var request = Request(endpoint, trade, caller);
        var response = await client.SendAsync(request);
        var body = await response.Json();
        Assert.True(response.StatusCode == status, $"{caller} {endpoint} in {stage}: {(int)response.StatusCode} {body}");
        if (code is not null)
        {
            Assert.Equal(code, body.GetProperty("code").GetString());
            if (code == "invalid_transition") Assert.Equal(trade.Status, body.GetProperty("currentStatus").GetString());
        }
        Assert.Equal(before, await TradeSnapshot.Of(trade));
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Action(StagedTrade trade, string action, object? body = null) =>
        TradeRig.Post($"/api/v1/trades/{trade.Id}/{action}", body);

    private static DateTimeOffset ADayAfter(StagedTrade trade) => TradeRig.WholeMinute(trade.CreatedAt + TimeSpan.FromDays(1));
}
