using Microsoft.Extensions.DependencyInjection;
using NeXChange.Errors;
using NeXChange.Trading;
using NeXChange.Users.Verification;

namespace NeXChange.Hosting;

/// <summary>
/// Moves the dev clock and sweeps the trades whose timers are now due and the verification documents past retention.
/// One clock per silo: the local run and the tests have one silo; with several, each keeps its own offset (dev only, never in production).
/// </summary>
public sealed class DevClockGrain(IServiceProvider services, TradeStore trades, VerificationDesk verifications) : Grain, IDevClockGrain
{
    private const int SweepBatch = 500;

    public async Task<DateTimeOffset> Advance(long seconds)
    {
        var clock = services.GetService<DevClock>() ?? throw DomainException.NotFound();
        var now = clock.Advance(TimeSpan.FromSeconds(seconds));
        var swept = new HashSet<Guid>();
        // A trade whose timer fires may arm the next one, due already too; each trade applies all of its own.
        while (true)
        {
            var due = (await trades.DueAsync(now, SweepBatch)).Where(swept.Add).ToList();
            if (due.Count == 0) break;
            await Task.WhenAll(due.Select(id => GrainFactory.GetGrain<ITradeGrain>(id).ApplyDueTimers()));
        }
        await verifications.DeleteDueDocumentsAsync();
        return now;
    }
}
