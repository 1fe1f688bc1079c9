using Microsoft.Extensions.DependencyInjection;
using NeXChange.Hosting;
using NeXChange.Trading;

namespace NeXChange.Maintenance;

/// <summary>
/// SPEC.md 3.11: trades, disputes and feedback are kept 7 years after the trade ended; then the trade's grain state,
/// its dispute and feedback rows go and its trades row stays as the tombstone the ledger's trade ids point at
/// (migration 0020). Candidates come from the domain clock; the database's clock has the last word.
/// </summary>
public sealed class TradeRetention(DueRows rows, IGrainFactory grains, [FromKeyedServices(Clocks.Domain)] TimeProvider time)
{
    public const int KeptYears = 7;

    // Served by the trades_retention index (0020).
    private const string Due = """
        select ended_at, id from trades
        where purged_at is null and ended_at < $1
          and ($2::timestamptz is null or (ended_at, id) > ($2, $3))
        order by ended_at, id limit $4
        """;

    public Task<int> PurgeDueAsync()
    {
        var cutoff = time.GetUtcNow().AddYears(-KeptYears);
        return rows.SweepAsync(Due, cutoff, id => grains.GetGrain<ITradeGrain>(id).Purge(cutoff));
    }
}
