namespace NeXChange.Hosting;

/// <summary>
/// The domain clock of a development or test silo (<c>Dev:Endpoints</c>): real time plus an offset that only moves
/// forward, through <c>POST /api/v1/dev/clock/advance</c>. Tests move time with it instead of sleeping.
/// </summary>
public sealed class DevClock(TimeProvider real) : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => real.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public DateTimeOffset Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref offsetTicks, by.Ticks);
        return GetUtcNow();
    }
}
