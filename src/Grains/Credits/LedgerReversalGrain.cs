using Orleans.Concurrency;

namespace NeXChange.Credits;

/// <summary>
/// Routes an admin reversal to the account grain of the user it debits, which serializes it with that user's other
/// debits and keeps its cached balance right. Stateless: the original transaction is read from the ledger.
/// </summary>
[StatelessWorker]
public sealed class LedgerReversalGrain(LedgerReader ledger) : Grain, ILedgerReversalGrain
{
    public async Task<Posted> Reverse(ReversalOrder order)
    {
        var original = await ledger.GetTransactionAsync(order.TransactionId) ?? throw Errors.DomainException.NotFound();
        return await GrainFactory.GetGrain<ICreditAccountGrain>(Reversals.DebitedUser(original)).Reverse(order);
    }
}
