using Microsoft.Extensions.DependencyInjection;
using NeXChange.Audit;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Hosting;
using NeXChange.Items;
using NeXChange.Trading.SafeZones;
using NeXChange.Users;

namespace NeXChange.Trading;

/// <summary>
/// The single writer of one trade (SPEC.md 6). Every command: apply overdue timers and unfinished saga steps, check
/// the transition table, apply guards, change the state, then <see cref="Commit"/> (state write, projection, reminder,
/// notifications). Cross-grain steps are in <c>TradeGrain.Escrow.cs</c>; each is keyed by the trade id and recorded
/// in <see cref="TradeState.Pending"/> before it starts, so a crash in the middle is finished, never repeated.
/// </summary>
public sealed partial class TradeGrain(
    [PersistentState("trade", GrainStorage.Name)] IPersistentState<TradeState> persisted,
    TradeStore store,
    DisputeStore disputes,
    SafeZoneDirectory zones,
    IFeePolicy fees,
    Microsoft.Extensions.Options.IOptions<LimitOptions> limits,
    AuditLog audit,
    Images.PhotoStore photos,
    TradeNotices notices,
    [FromKeyedServices(Clocks.Domain)] TimeProvider time) : Grain, ITradeGrain, IRemindable
{
    private const string TimerReminder = "trade-timers";
    public const string BuyerRole = "buyer";
    public const string SellerRole = "seller";

    private DateTimeOffset? reminderArmedFor;

    private Guid Id => this.GetPrimaryKey();

    private TradeState S => persisted.State;

    private bool Exists => persisted.RecordExists;

    private DateTimeOffset Now => time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Exists)
        {
            // An offer whose claim row was written but whose state never was (a crash in between): not a trade.
            await store.ForgetUnwrittenOfferAsync(Id);
            return;
        }
        // Finish what a previous activation left: a saga step, notifications, the projection and the reminder.
        await Catchup();
        await store.SaveAsync(Id, S, TradeTimers.Next(S)?.At);
        await ArmReminder();
    }

    public async Task ReceiveReminder(string reminderName, Orleans.Runtime.TickStatus status)
    {
        if (!Exists)
        {
            if (await this.GetReminder(reminderName) is { } reminder) await this.UnregisterReminder(reminder);
            return;
        }
        await ApplyDueTimers();
    }

    public async Task ApplyDueTimers()
    {
        if (!Exists) return;
        await Catchup();
    }

    /// <summary>Resumes an unfinished step, publishes leftover notifications and fires every overdue timer, in due order.</summary>
    private async Task Catchup()
    {
        if (S.Pending is not null) await ResumePending(explicitHold: false);
        if (S.Status == TradeStatuses.Scheduled && !S.OtherTradesDeclined) await DeclineOtherTrades();
        if (TradeStatuses.IsPreEscrow(S.Status)) await FollowItem();
        await notices.PublishAsync(Id, S);
        while (TradeTimers.Next(S) is { } due && due.At <= Now) await Fire(due);
    }

    /// <summary>Every party command starts here: not_found for strangers, catch up on time, then 409/403 from the table.</summary>
    private async Task<TradeActor> Begin(TradeCaller caller, string action)
    {
        var role = PartyRoleOf(caller);
        await Catchup();
        TradeTransitions.Check(S.Status, action, role);
        return role;
    }

    /// <summary>The caller's side; a stranger gets not_found, as if the trade did not exist (SPEC.md 6.1).</summary>
    private TradeActor RoleOf(Guid callerId) =>
        !Exists ? throw DomainException.NotFound()
        : callerId == S.BuyerId ? TradeActor.Buyer
        : callerId == S.SellerId ? TradeActor.Seller
        : throw DomainException.NotFound();

    /// <summary>
    /// The side of a caller of a party action. A moderator may read any trade, so is no stranger to it: party actions
    /// are answered 403, as SPEC.md 8.1 answers an allowed caller doing another role's action.
    /// </summary>
    private TradeActor PartyRoleOf(TradeCaller caller) =>
        Exists && caller.IsModerator && caller.UserId != S.BuyerId && caller.UserId != S.SellerId
            ? throw new DomainException(ErrorCodes.Forbidden, "Moderators act on trades through the admin routes.")
            : RoleOf(caller.UserId);

    private static string RoleName(TradeActor role) => role == TradeActor.Buyer ? BuyerRole : SellerRole;

    private Guid PartnerOf(TradeActor role) => role == TradeActor.Buyer ? S.SellerId : S.BuyerId;

    /// <summary>Moves to a terminal state with its reason (SPEC.md 6.2), stamping the end time.</summary>
    private void End(string status, string reason)
    {
        S.Status = status;
        S.EndReason = reason;
        S.EndedAt = Now;
        S.ExpiresAt = null;
    }

    private void Notify(string type, IEnumerable<Guid> recipients, long? amountMinor = null, string? reason = null) =>
        S.Outbox.Add(new TradeNotice(TradeNotices.EventIdFor(Id, type, S.Version + 1), type, recipients.ToArray(), amountMinor, reason));

    private Guid[] Both => [S.BuyerId, S.SellerId];

    /// <summary>
    /// One durable change: version + 1, the grain state, then the projection (what lists and timers query), the
    /// reminder, and the notifications recorded with the change (re-published after a crash; their ids de-duplicate).
    /// </summary>
    private async Task Commit()
    {
        S.Version++;
        S.UpdatedAt = Now;
        await persisted.WriteStateAsync();
        await store.SaveAsync(Id, S, TradeTimers.Next(S)?.At);
        if (S.Dispute is { } dispute) await disputes.SaveAsync(Id, dispute, S.Version);
        await ArmReminder();
        await notices.PublishAsync(Id, S);
    }

    /// <summary>One durable reminder per trade, due at its next timer (reminders fire within a minute; reads catch up anyway).</summary>
    private async Task ArmReminder()
    {
        var next = TradeTimers.Next(S)?.At;
        if (next == reminderArmedFor) return;
        if (next is { } at)
        {
            var dueIn = at - Now;
            await this.RegisterOrUpdateReminder(TimerReminder, dueIn < TimeSpan.Zero ? TimeSpan.Zero : dueIn, TimeSpan.FromHours(1));
        }
        else if (await this.GetReminder(TimerReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        reminderArmedFor = next;
    }

    public async Task<TradeView> Get(TradeCaller caller)
    {
        if (!Exists || (!caller.IsModerator && caller.UserId != S.BuyerId && caller.UserId != S.SellerId)) throw DomainException.NotFound();
        await Catchup();
        return await View(caller.IsModerator && caller.UserId != S.BuyerId && caller.UserId != S.SellerId ? null : caller.UserId);
    }

    public async Task<PhotoGrant> RevealPhoto(Guid viewerId, Guid subjectId)
    {
        if (Exists) await Catchup();
        var parties = Exists && ((viewerId == S.BuyerId && subjectId == S.SellerId) || (viewerId == S.SellerId && subjectId == S.BuyerId));
        var revealed = parties && TradeStatuses.IsEscrowHeld(S.Status)
            ? await GrainFactory.GetGrain<IUserGrain>(subjectId).GetRevealedIdentity()
            : null;
        var granted = revealed is { PhotoUrl: not null, PhotoUrlExpiresAt: not null };
        await audit.WriteAsync(new AuditEntry(AuditActions.PhotoAccessed, "user", subjectId.ToString(), viewerId,
            new { viewerId, subjectId, tradeId = Id, granted }), Now);
        return granted ? new PhotoGrant(revealed!.PhotoUrl!, revealed.PhotoUrlExpiresAt!.Value) : throw DomainException.NotFound();
    }

    public async Task<FeedbackContext> GetFeedbackContext(Guid callerId)
    {
        var role = RoleOf(callerId);
        await Catchup();
        return new FeedbackContext(Id, RoleName(role), PartnerOf(role), TradeTimers.FeedbackEligible(S), S.EndedAt);
    }

    private async Task Audit(string action, Guid? actorId, object data) =>
        await audit.WriteAsync(new AuditEntry(action, "trade", Id.ToString(), actorId, data), Now);

    private IItemGrain Item => GrainFactory.GetGrain<IItemGrain>(S.ItemId);

    private ICreditAccountGrain BuyerAccount => GrainFactory.GetGrain<ICreditAccountGrain>(S.BuyerId);
}
