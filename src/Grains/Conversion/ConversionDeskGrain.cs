using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Hosting;
using NeXChange.Users;

namespace NeXChange.Conversion;

/// <summary>
/// One user's quotes (SPEC.md 7.1). A quote is refused before anything is stored: bad input (400), not ID-verified
/// (403), over the single movement maximum (422), breaker paused (503), and for a cash-out the funds and daily limits the
/// ledger would check at execution (422), asked of the user's credit account so the limit rules live in one place.
/// </summary>
public sealed class ConversionDeskGrain(
    QuoteStore quotes,
    IOptions<LimitOptions> limits,
    [FromKeyedServices(Clocks.Domain)] TimeProvider time) : Grain, IConversionDeskGrain
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
        var me = await GrainFactory.GetGrain<IUserGrain>(UserId).GetMe();
        if (!me.EmailVerified || me.VerificationStatus != VerificationStates.Verified) throw ConversionRefusals.IdVerificationRequired();
        var max = limits.Value.SingleMovementMaxMinor;
        if (amountMinor > max) throw Refusals.AmountLimit("single_movement_max", max, max);

        var status = await GrainFactory.GetGrain<IPriceMonitorGrain>(0).GetStatus();
        if (status.Status == BreakerStatuses.Paused) throw ConversionRefusals.Paused(status);
        var mid = status.MidMinorPerBtc!.Value;
        var rate = QuoteMath.Rate(direction, mid);
        var sats = QuoteMath.Sats(amountMinor, rate);
        if (sats < 1) throw Refusals.OutOfRange("amountMinor", "The amount buys less than one satoshi at the current rate.");
        if (direction == ConversionDirections.CreditsToBtc)
            await GrainFactory.GetGrain<ICreditAccountGrain>(UserId).CheckCanConvertOut(amountMinor);

        // Milliseconds, as the API writes timestamps (SPEC.md 8.1): the stored quote reads back exactly as it was answered.
        var now = time.GetUtcNow();
        var createdAt = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        var quote = new Quote(Guid.CreateVersion7(createdAt), direction, amountMinor, sats, mid, rate, QuoteMath.SpreadBps,
            createdAt, createdAt + QuoteMath.Lifetime);
        await quotes.InsertAsync(UserId, quote);
        return quote;
    }

    public async Task<Quote> GetQuote(Guid quoteId) => await quotes.FindAsync(UserId, quoteId) ?? throw DomainException.NotFound();
}
