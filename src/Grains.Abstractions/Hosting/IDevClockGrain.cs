namespace NeXChange.Hosting;

/// <summary>
/// The dev clock (SPEC.md 8.7), present only with <c>Dev:Endpoints</c>: moves the domain clock forward and then runs
/// every trade timer that became due, so the call returns with the world already moved on.
/// </summary>
public interface IDevClockGrain : IGrainWithIntegerKey
{
    /// <summary>The new domain time; not_found when the silo has no dev clock.</summary>
    Task<DateTimeOffset> Advance(long seconds);
}
