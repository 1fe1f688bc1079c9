namespace NeXChange.Grains.Tests.Storage;

public interface IProbeGrain : IGrainWithGuidKey
{
    Task Write(string value);
    Task<string?> Read();
    Task Clear();
    Task Deactivate();
    Task RunSql(string sql);
    Task FailOnRedis();
}

[GenerateSerializer, Alias("NeXChange.Tests.ProbeState")]
public sealed class ProbeState
{
    [Id(0)] public string? Value { get; set; }
}

/// <summary>A grain with persistent state, to exercise the project's own Orleans ADO.NET SQL on PostgreSQL.</summary>
public sealed class ProbeGrain([PersistentState("probe", "state")] IPersistentState<ProbeState> state, Npgsql.NpgsqlDataSource dataSource)
    : Grain, IProbeGrain
{
    public async Task RunSql(string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Talks to a Redis port where nothing listens, as a silo does when Redis is down.</summary>
    public async Task FailOnRedis()
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse("127.0.0.1:1");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 200;
        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options);
        await redis.GetDatabase().PingAsync();
    }

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
