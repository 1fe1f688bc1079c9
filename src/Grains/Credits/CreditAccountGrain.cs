using Microsoft.Extensions.Options;
using NeXChange.Conversion;
using NeXChange.Errors;
using NeXChange.Notifications;

namespace NeXChange.Credits;

/// <summary>
/// The single writer of one user's debits. It validates against cached balances and today's outflow, posts through
/// <see cref="ILedgerWriter"/>, then updates the cache from the balances the database stamped. The cache is only a
/// fast path: the database refuses overdrafts regardless, and a shortfall is re-read before it is reported because
/// credits posted by other users' grains are not in this cache. Only this grain debits these accounts, so the cache can
/// be low but never high: payers do not tell the payee's grain (that cost a grain call and a read per transfer), the
/// payee re-reads when a debit would not fit.
/// </summary>
public sealed class CreditAccountGrain(
    ILedgerWriter writer,
    LedgerReader ledger,
    AccountDirectory directory,
    ICreditHolders holders,
    IOptions<LimitOptions> limitOptions,
    IOptions<CreditOptions> creditOptions,
    CreditNotices notices,
    TimeProvider time) : Grain, ICreditAccountGrain
{
    private readonly LimitOptions limits = limitOptions.Value;
    private UserAccounts? accounts;
    private long available;
    private long escrow;
    private DateOnly outflowDay;
    private long outflowMinor;
    private int outflowCount;

    private Guid UserId => this.GetPrimaryKey();

    public async Task<Balance> GetBalance()
    {
        var own = await LoadAsync();
        // Read fresh: a payee's notification may still be in flight, and a balance read must show every posted credit.
        (available, escrow) = await ledger.GetBalancesAsync(own);
        return new Balance(available, escrow, outflowMinor, limits.DailyOutflowMinor, outflowCount, limits.DailyOutflowCount);
    }

    public async Task<Posted> GrantSignup()
    {
        await LoadAsync();
        return await PostAsync(Movements.SignupGrant(UserId, creditOptions.Value.SignupGrantMinor));
    }

    public async Task<Posted> GrantByAdmin(AdminGrant grant)
    {
        RequireKey(grant.IdempotencyKey);
        if (grant.AmountMinor < 1) throw Refusals.OutOfRange("amountMinor", "The amount must be at least 1.");
        if (string.IsNullOrWhiteSpace(grant.Reason)) throw DomainException.Validation("reason", "required", "A reason is required.");
        await LoadAsync();
        return await PostAsync(notices.WithGrantReceived(Movements.AdminGrant(UserId, grant), UserId, grant.AmountMinor), () =>
        {
            EnsureSingleMovement(grant.AmountMinor);
            return Task.CompletedTask;
        });
    }

    public async Task<Posted?> CloseAccount()
    {
        var own = await LoadAsync();
        (available, escrow) = await ledger.GetBalancesAsync(own);
        // Once posted, AV is 0 and a repeat has nothing to close; the key closure:{userId} guards a concurrent repeat.
        if (available <= 0) return null;
        return await PostAsync(Movements.AccountClosure(UserId, available));
    }

    public async Task<Posted> Transfer(TransferOrder order)
    {
        RequireKey(order.IdempotencyKey);
        if (order.AmountMinor < limits.TransferMinMinor)
            throw Refusals.OutOfRange("amountMinor", $"The amount must be at least {limits.TransferMinMinor}.");
        if (order.RecipientId == UserId) throw DomainException.Validation("recipientId", "invalid_value", "Credits cannot be sent to yourself.");
        await LoadAsync();
        var parties = await holders.GetTransferPartiesAsync(UserId, order.RecipientId);
        var transfer = notices.WithTransferReceived(Movements.Transfer(UserId, order), UserId, parties.SenderDisplayName, order);
        return await PostAsync(transfer, async () =>
        {
            EnsureSingleMovement(order.AmountMinor);
            switch (parties.Recipient)
            {
                case HolderStatus.Unknown: throw DomainException.NotFound();
                case HolderStatus.Unverified:
                    throw new DomainException(ErrorCodes.RecipientNotEligible, "The recipient cannot receive credits yet.");
            }
            EnsureOutflowAllowed(order.AmountMinor);
            await EnsureAvailableAsync(order.AmountMinor);
        });
    }

    public async Task<Posted> Reverse(ReversalOrder order)
    {
        RequireKey(order.IdempotencyKey);
        if (string.IsNullOrWhiteSpace(order.Reason)) throw DomainException.Validation("reason", "required", "A reason is required.");
        await LoadAsync();
        var original = await ledger.GetTransactionAsync(order.TransactionId) ?? throw DomainException.NotFound();
        if (Reversals.DebitedUser(original) != UserId)
            throw new InvalidOperationException($"The reversal of {original.Id} was routed to the wrong account grain.");
        var posting = Movements.Reversal(original, UserId, order);
        var debitMinor = -posting.Legs.Single(l => l.Account == AccountRef.Available(UserId)).AmountMinor;
        Posted posted;
        try
        {
            posted = await PostAsync(posting, () => EnsureAvailableAsync(debitMinor));
        }
        catch (DomainException e) when (e.Code == ErrorCodes.IdempotencyConflict)
        {
            throw Reversals.AlreadyReversed();
        }
        return posted;
    }

    public async Task<Posted> PlaceHold(Guid tradeId, long priceMinor, long feeMinor)
    {
        if (priceMinor < 1) throw Refusals.OutOfRange("priceMinor", "The price must be at least 1.");
        // The trade froze the fee when the price was agreed (SPEC.md 2.5), so a policy switched since must not refuse
        // it; the bound only stops a fee that no policy could have produced.
        if (feeMinor < 0 || feeMinor > DefaultFeePolicy.MaxFeeMinor)
            throw Refusals.OutOfRange("feeMinor", $"The fee must be between 0 and {DefaultFeePolicy.MaxFeeMinor}.");
        if (priceMinor > long.MaxValue - feeMinor) throw Refusals.OutOfRange("priceMinor", "The price is too large.");
        var totalMinor = priceMinor + feeMinor;
        await LoadAsync();
        return await PostAsync(Movements.Hold(UserId, tradeId, priceMinor, feeMinor), () => EnsureCanDebitAsync(priceMinor, totalMinor));
    }

    public async Task CheckCanHold(long priceMinor, long feeMinor)
    {
        await LoadAsync();
        await EnsureCanDebitAsync(priceMinor, priceMinor + feeMinor);
    }

    public async Task CheckCanConvertOut(long amountMinor)
    {
        await LoadAsync();
        await EnsureCanDebitAsync(amountMinor, amountMinor);
    }

    public async Task<Posted> StartConversionOut(Guid conversionId, Quote quote, string payoutAddress, DateTimeOffset createdAt)
    {
        if (quote.Direction != ConversionDirections.CreditsToBtc) throw new ArgumentException("Only a cash-out starts with a debit.", nameof(quote));
        await LoadAsync();
        var row = ConversionRecord.Start(conversionId, UserId, quote, payoutAddress, null, null, createdAt);
        return await PostAsync(Movements.ConversionOutStart(row), () => EnsureCanDebitAsync(quote.AmountMinor, quote.AmountMinor));
    }

    public async Task<Posted> ReleaseHold(Guid tradeId, Guid sellerId)
    {
        var hold = await OwnHoldAsync(tradeId, sellerId);
        return await PostAsync(Movements.Release(hold, sellerId), () => EnsureOpen(hold));
    }

    public async Task<Posted> RefundHold(Guid tradeId)
    {
        var hold = await OwnHoldAsync(tradeId, sellerId: null);
        return await PostAsync(Movements.Refund(hold), () => EnsureOpen(hold));
    }

    public async Task<Posted> SplitHold(Guid tradeId, Guid sellerId, long refundMinor)
    {
        var hold = await OwnHoldAsync(tradeId, sellerId);
        if (refundMinor < 1 || refundMinor > hold.AmountMinor - 1)
            throw Refusals.OutOfRange("refundMinor", $"The refund must be between 1 and {hold.AmountMinor - 1}.");
        return await PostAsync(Movements.Split(hold, sellerId, refundMinor), () => EnsureOpen(hold));
    }

    public async Task<HistoryPage> GetHistory(string? before, int limit)
    {
        if (limit is < 1 or > 100) throw Refusals.OutOfRange("limit", "The limit must be between 1 and 100.");
        long? beforeId = before is null ? null : HistoryCursor.Decode(UserId, before);
        var own = await LoadAsync();
        var rows = await ledger.GetHistoryAsync(UserId, own, beforeId, limit + 1);
        var page = rows.Take(limit).ToList();
        return new HistoryPage(page, rows.Count > limit ? HistoryCursor.Encode(UserId, page[^1].EntryId) : null);
    }

    public async Task<IReadOnlyList<LedgerEntry>> GetTransaction(Guid transactionId)
    {
        var entries = await ledger.GetTransactionEntriesAsync(UserId, await LoadAsync(), transactionId);
        return entries.Count > 0 ? entries : throw DomainException.NotFound();
    }

    public async Task<Statement> GetStatement(DateOnly from, DateOnly to)
    {
        if (from > to) throw Refusals.OutOfRange("to", "'to' must not be before 'from'.");
        if (to.DayNumber - from.DayNumber + 1 > 366) throw Refusals.OutOfRange("to", "A statement spans at most 366 days.");
        var own = await LoadAsync();
        var start = StartOf(from);
        var end = StartOf(to.AddDays(1));
        return new Statement(from, to,
            await ledger.GetStatementAsync(UserId, own, own.AvailableId, start, end),
            await ledger.GetStatementAsync(UserId, own, own.EscrowId, start, end));
    }

    /// <summary>
    /// Runs the checks, then posts. A refused check first looks up the ledger key: a retry of an acknowledged request
    /// must get its original transaction even when it would be refused now (funds spent since, limit used up).
    /// </summary>
    private async Task<Posted> PostAsync(LedgerPosting posting, Func<Task>? check = null)
    {
        if (check is not null)
        {
            try
            {
                await check();
            }
            catch (DomainException)
            {
                var replay = await writer.FindAsync(posting);
                if (replay is null) throw;
                return new Posted(replay.TransactionId, replay.CreatedAt, true, available);
            }
        }

        PostResult result;
        try
        {
            result = await writer.PostAsync(posting);
        }
        catch (DomainException e) when (e.Code == ErrorCodes.InsufficientFunds)
        {
            // The database disagreed with the cache; take its numbers for the next request.
            (available, escrow) = await ledger.GetBalancesAsync(accounts!);
            throw;
        }
        if (!result.Replayed) Apply(posting, result);
        return new Posted(result.TransactionId, result.CreatedAt, result.Replayed, available);
    }

    private void Apply(LedgerPosting posting, PostResult result)
    {
        var own = accounts!;
        if (result.BalancesAfter.TryGetValue(own.AvailableId, out var av)) available = av;
        if (result.BalancesAfter.TryGetValue(own.EscrowId, out var es)) escrow = es;
        if (!MovementKinds.Outflows.Contains(posting.Kind)) return;
        if (DateOnly.FromDateTime(result.CreatedAt.UtcDateTime) == outflowDay)
        {
            outflowMinor -= posting.Legs.Single(l => l.Account == AccountRef.Available(UserId)).AmountMinor;
            outflowCount++;
        }
        else
        {
            // Posted just after midnight: recount from the ledger on the next request.
            outflowDay = default;
        }
    }

    /// <summary>Resolves this user's accounts and balances once, and today's outflow whenever the UTC day changed.</summary>
    private async Task<UserAccounts> LoadAsync()
    {
        if (accounts is null)
        {
            var ids = await directory.ResolveAsync([AccountRef.Available(UserId), AccountRef.Escrow(UserId)]);
            var own = new UserAccounts(ids[AccountRef.Available(UserId)], ids[AccountRef.Escrow(UserId)]);
            (available, escrow) = await ledger.GetBalancesAsync(own);
            accounts = own;
        }
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (today != outflowDay)
        {
            (outflowMinor, outflowCount) = await ledger.GetOutflowAsync(accounts.AvailableId, StartOf(today), StartOf(today.AddDays(1)));
            outflowDay = today;
        }
        return accounts;
    }

    private async Task<HoldRecord> OwnHoldAsync(Guid tradeId, Guid? sellerId)
    {
        if (sellerId == UserId) throw DomainException.Validation("sellerId", "invalid_value", "The seller cannot be the buyer.");
        await LoadAsync();
        var hold = await ledger.GetHoldAsync(tradeId);
        // Another buyer's hold is reported as unknown: its existence is not this user's business.
        return hold is not null && hold.BuyerId == UserId ? hold : throw DomainException.NotFound();
    }

    private static Task EnsureOpen(HoldRecord hold) =>
        hold.Status == HoldStatuses.Open ? Task.CompletedTask : throw Refusals.InvalidTransition(hold.Status);

    /// <summary>The checks of an outflow: the movement's own size, then today's allowance for the whole debit, then the funds.</summary>
    private async Task EnsureCanDebitAsync(long movementMinor, long debitMinor)
    {
        EnsureSingleMovement(movementMinor);
        EnsureOutflowAllowed(debitMinor);
        await EnsureAvailableAsync(debitMinor);
    }

    private void EnsureSingleMovement(long amountMinor)
    {
        if (amountMinor > limits.SingleMovementMaxMinor)
            throw Refusals.AmountLimit("single_movement_max", limits.SingleMovementMaxMinor, limits.SingleMovementMaxMinor);
    }

    private void EnsureOutflowAllowed(long amountMinor)
    {
        if (outflowCount + 1 > limits.DailyOutflowCount)
            throw Refusals.CountLimit("daily_outflow_count", limits.DailyOutflowCount, Math.Max(0, limits.DailyOutflowCount - outflowCount));
        if (amountMinor > limits.DailyOutflowMinor - outflowMinor)
            throw Refusals.AmountLimit("daily_outflow_amount", limits.DailyOutflowMinor, Math.Max(0, limits.DailyOutflowMinor - outflowMinor));
    }

    private async Task EnsureAvailableAsync(long requiredMinor)
    {
        if (available >= requiredMinor) return;
        (available, escrow) = await ledger.GetBalancesAsync(accounts!);
        if (available < requiredMinor) throw Refusals.InsufficientFunds(available, requiredMinor);
    }

    /// <summary>The caller's Idempotency-Key: 1–255 visible ASCII characters (SPEC.md 2.7).</summary>
    private static void RequireKey(string key)
    {
        if (key is not { Length: >= 1 and <= 255 } || key.Any(c => c is < '!' or > '~'))
            throw DomainException.Validation("Idempotency-Key", "invalid_format", "The key must be 1-255 visible ASCII characters.");
    }

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
