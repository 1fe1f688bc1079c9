using NeXChange.Trading.SafeZones;

namespace NeXChange.Silo.Commands;

/// <summary><c>seed-safe-zones</c>: adds the local run's safe zones (<see cref="SafeZoneSeed"/>) that are not there yet.</summary>
public sealed class SeedSafeZonesCommand(SafeZoneStore store, TimeProvider time) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandArguments arguments, CommandConsole console)
    {
        var inserted = await store.InsertMissingAsync(SafeZoneSeed.Zones(), time.GetUtcNow());
        await console.Output.WriteLineAsync($"safe zones: {inserted} added, {await store.CountAsync()} in total");
        return ExitCodes.Ok;
    }
}
