using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeXChange.Audit;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Hosting;
using NeXChange.Notifications;
using NeXChange.Users;

namespace NeXChange.Conversion;

/// <summary>
/// One user's conversions (SPEC.md 7), one call at a time: quotes, execution, the partner's events and the work that
/// follows (payout requests with their retries, deposit expiry). Rows live in the database; the grain keeps nothing a
/// restart would lose: an Orleans reminder resumes payout requests and expiries while any is open.
/// </summary>
public sealed partial class ConversionDeskGrain(
    QuoteStore quotes,
    ConversionStore conversions,
    DuplicateGuard guard,
    ICustodyPartner partner,
    ILedgerWriter writer,
    ConversionNotices notices,
    AuditLog audit,
    IOptions<LimitOptions> limits,
    IOptions<CustodyOptions> custody,
    [FromKeyedServices(Clocks.Domain)] TimeProvider time,
    ILogger<ConversionDeskGrain> logger) : Grain, IConversionDeskGrain, IRemindable
{
    public const long MinAmountMinor = 100;

    private Guid UserId => this.GetPrimaryKey();

    public async Task<Quote> CreateQuote(string? direction, long amountMinor)
    {
        if (direction is null || !ConversionDirections.All.Contains(direction))
            throw DomainException.Validation("direction", direction is null ? FieldCodes.Required : FieldCodes.UnknownValue,
                $"direction is one of {string.Join(", ", ConversionDirections.All)}.");
        if (amountMinor < MinAmountMinor)
            throw Refusals.OutOfRange("amountMinor", $"The amount must be at least {MinAmountMinor}.");
        await EnsureIdVerifiedAsync();
        var max = limits.Value.SingleMovementMaxMinor;
        if (amountMinor > max) throw Refusals.AmountLimit("single_movement_max", max, max);

        var mid = (await EnsureNotPausedAsync()).MidMinorPerBtc!.Value;
        var rate = QuoteMath.Rate(direction, mid);
        var sats = QuoteMath.Sats(amountMinor, rate);
        if (sats < 1) throw Refusals.OutOfRange("amountMinor", "The amount buys less than one satoshi at the current rate.");
        if (direction == ConversionDirections.CreditsToBtc)
            await GrainFactory.GetGrain<ICreditAccountGrain>(UserId).CheckCanConvertOut(amountMinor);

        var createdAt = Now();
        var quote = new Quote(Guid.CreateVersion7(createdAt), direction, amountMinor, sats, mid, rate, QuoteMath.SpreadBps,
            createdAt, createdAt + QuoteMath.Lifetime);
        await quotes.InsertAsync(UserId, quote);
        return quote;
    }

    public async Task<Quote> GetQuote(Guid quoteId) => await quotes.FindAsync(UserId, quoteId) ?? throw DomainException.NotFound();

    private async Task EnsureIdVerifiedAsync()
    {
        var me = await GrainFactory.GetGrain<IUserGrain>(UserId).GetMe();
        if (!me.EmailVerified || me.VerificationStatus != VerificationStates.Verified) throw ConversionRefusals.IdVerificationRequired();
    }

    private async Task<ConversionStatus> EnsureNotPausedAsync()
    {
        var status = await GrainFactory.GetGrain<IPriceMonitorGrain>(0).GetStatus();
        return status.Status == BreakerStatuses.Paused ? throw ConversionRefusals.Paused(status) : status;
    }

    /// <summary>The domain clock to the millisecond, as the API writes timestamps (SPEC.md 8.1): stored rows read back as answered.</summary>
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }
}
