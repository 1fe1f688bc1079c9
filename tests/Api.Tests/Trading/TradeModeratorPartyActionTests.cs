using System.Net;
using static NeXChange.Api.Tests.Trading.TradeEndpoints;

namespace NeXChange.Api.Tests.Trading;

/// <summary>
/// A moderator calling a party's action gets 403, not 404: the moderator may read the trade (GET answers 200), so it
/// is no stranger to it, and SPEC.md 8.1 answers "an allowed caller doing an action reserved to another role" with
/// 403 <c>forbidden</c>. Moderators act on trades only through the admin routes (T20, T22).
/// </summary>
[Collection(TradeStagesCollection.Name)]
public sealed class TradeModeratorPartyActionTests(TradeStagesFixture api)
{
    public static TheoryData<TradeStage, string> PartyActions() => new()
    {
        { TradeStage.Offered, Counter }, { TradeStage.Offered, Accept }, { TradeStage.Offered, Decline }, { TradeStage.Offered, Withdraw },
        { TradeStage.Accepted, Location }, { TradeStage.Accepted, Time }, { TradeStage.Accepted, TimeAccept }, { TradeStage.Accepted, Hold },
        { TradeStage.Accepted, CancelChangedMind },
        { TradeStage.Scheduled, Arrived }, { TradeStage.Scheduled, Handoff }, { TradeStage.Scheduled, RejectItem },
        { TradeStage.Scheduled, CancelMutual },
    };

    [Theory]
    [MemberData(nameof(PartyActions))]
    public async Task a_moderator_calling_a_party_action_is_forbidden_and_changes_nothing(TradeStage stage, string endpoint) =>
        await AssertAnswer(api, stage, endpoint, Caller.Moderator, HttpStatusCode.Forbidden, "forbidden");
}
