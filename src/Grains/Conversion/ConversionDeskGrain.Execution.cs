using Microsoft.Extensions.Logging;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Paging;

namespace NeXChange.Conversion;

public sealed partial class ConversionDeskGrain
{
    /// <summary>A top-up's deposit address is valid this long (SPEC.md 7.3).</summary>
    public static readonly TimeSpan DepositWindow = TimeSpan.FromMinutes(60);

    public async Task<ConversionView> Execute(ExecutionOrder order)
    {
        if (!partner.Enabled) throw new DomainException(ErrorCodes.ServiceUnavailable, "No custodial partner is configured.");
        var quote = await quotes.FindAsync(UserId, order.QuoteId) ?? throw DomainException.NotFound();
        await guard.TakeAsync(UserId, quote.Direction, quote.AmountMinor);
        try
        {
            return await ExecuteGuardedAsync(quote, order.PayoutAddress);
        }
        catch
        {
            // No conversion exists: the guard must not stop the user's next attempt (SPEC.md 7.3 step 1).
            await guard.ReleaseAsync(UserId, quote.Direction, quote.AmountMinor);
            throw;
        }
    }

    private async Task<ConversionView> ExecuteGuardedAsync(Quote quote, string? payoutAddress)
    {
        var now = Now();
        if (now > quote.ExpiresAt) throw new DomainException(ErrorCodes.QuoteExpired, "The quote has expired; ask for a new one.");
        if (await quotes.IsUsedAsync(quote.QuoteId)) throw ConversionRows.QuoteUsed();
        await EnsureNotPausedAsync();
        await EnsureIdVerifiedAsync();
        var id = Guid.CreateVersion7(now);
        if (quote.Direction == ConversionDirections.CreditsToBtc)
        {
            if (payoutAddress is null) throw DomainException.Validation("payoutAddress", FieldCodes.Required, "A cash-out needs a payout address.");
            if (!partner.IsValidAddress(payoutAddress))
                throw DomainException.Validation("payoutAddress", FieldCodes.InvalidFormat, "The payout address is not a valid BTC address.");
            await GrainFactory.GetGrain<ICreditAccountGrain>(UserId).StartConversionOut(id, quote, payoutAddress, now);
            await KeepWorkingAsync();
            SchedulePayout(id, TimeSpan.Zero);
        }
        else
        {
            if (payoutAddress is not null)
                throw DomainException.Validation("payoutAddress", FieldCodes.UnknownValue, "Only a cash-out (credits_to_btc) has a payout address.");
            var expiresAt = now + DepositWindow;
            string address;
            try
            {
                address = await CallPartnerAsync(token => partner.OpenDepositAsync(new DepositRequest(id, quote.BtcSats, expiresAt), token));
            }
            catch (Exception e) when (e is not DomainException)
            {
                logger.LogWarning(e, "The custodial partner did not open a deposit address for conversion {ConversionId}", id);
                throw new DomainException(ErrorCodes.ServiceUnavailable, "The custodial partner did not answer; try again.");
            }
            await conversions.InsertAsync(ConversionRecord.Start(id, UserId, quote, null, address, expiresAt, now));
            await KeepWorkingAsync();
        }
        return await GetConversion(id);
    }

    public async Task<ConversionView> GetConversion(Guid conversionId)
    {
        await ExpireDueAsync();
        var row = await conversions.FindAsync(UserId, conversionId) ?? throw DomainException.NotFound();
        return row.View((await conversions.TransactionIdsAsync([row.Id]))[row.Id]);
    }

    public async Task<ConversionPage> ListConversions(string? before, int limit)
    {
        if (limit is < 1 or > 100) throw Refusals.OutOfRange("limit", "The limit must be between 1 and 100.");
        Guid? beforeId = before is null ? null : new Guid(Cursor.Decode(CursorScope, before, 16), bigEndian: true);
        await ExpireDueAsync();
        var rows = await conversions.ListAsync(UserId, beforeId, limit + 1);
        var page = rows.Take(limit).ToList();
        var transactions = await conversions.TransactionIdsAsync(page.Select(r => r.Id).ToList());
        return new ConversionPage(page.Select(r => r.View(transactions[r.Id])).ToList(),
            rows.Count > limit ? Cursor.Encode(CursorScope, page[^1].Id.ToByteArray(bigEndian: true)) : null);
    }

    public async Task<bool> HasConversionInFlight()
    {
        await ExpireDueAsync();
        return await conversions.HasInFlightAsync(UserId);
    }

    private string CursorScope => $"conversions:{UserId}";

    /// <summary>A partner call bounded by Custody:TimeoutSeconds, whether or not the adapter honours its token.</summary>
    private async Task<T> CallPartnerAsync<T>(Func<CancellationToken, Task<T>> call)
    {
        var timeout = TimeSpan.FromSeconds(custody.Value.TimeoutSeconds);
        using var cancellation = new CancellationTokenSource(timeout);
        return await call(cancellation.Token).WaitAsync(timeout);
    }
}
