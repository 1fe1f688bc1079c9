namespace NeXChange.Grains.Tests.Storage;

public interface IProbeGrain : IGrainWithGuidKey
{
    Task Write(string value);
    Task<string?> Read();
    Task Clear();
    Task Deactivate();
}

[GenerateSerializer, Alias("NeXChange.Tests.ProbeState")]
public sealed class ProbeState
{
    [Id(0)] public string? Value { get; set; }
}

/// <summary>A grain with persistent state, to exercise the project's own Orleans ADO.NET SQL on PostgreSQL.</summary>
public sealed class ProbeGrain([PersistentState("probe", "state")] IPersistentState<ProbeState> state) : Grain, IProbeGrain
{
    public Task Write(string value)
    {
        state.State.Value = value;
        return state.WriteStateAsync();
    }

    public Task<string?> Read() => Task.FromResult(state.State.Value);

    public Task Clear() => state.ClearStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
