using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Items.Safety;
using NeXChange.TestSupport;
using StackExchange.Redis;

namespace NeXChange.Grains.Tests.Items.Safety;

/// <summary>
/// The safety check as the silo registers it (<see cref="SafetyModule.AddSafetyCheck"/>), on the test Redis under a
/// key prefix of its own (so the cache and the throttle are this rig's alone and only its keys are deleted) and a
/// recall list file in a fresh folder, on a fake clock. Two rigs built with the same prefix and clock are two silos of
/// one cluster.
/// </summary>
public sealed class SafetyRig : IAsyncDisposable
{
    private static readonly Lazy<ConnectionMultiplexer> SharedRedis = new(() => ConnectionMultiplexer.Connect(TestEnvironment.Redis));

    private readonly ServiceProvider services;

    private SafetyRig(ServiceProvider services, string prefix, string listPath, SettlingClock clock)
    {
        this.services = services;
        Prefix = prefix;
        ListPath = listPath;
        Clock = clock;
    }

    public static IDatabase Redis => SharedRedis.Value.GetDatabase();

    public string Prefix { get; }

    public string ListPath { get; }

    public SettlingClock Clock { get; }

    public ISafetyCheck Check => services.GetRequiredService<ISafetyCheck>();

    public RecallThrottle Throttle => services.GetRequiredService<RecallThrottle>();

    public static SafetyRig Create(
        Uri? api,
        IDictionary<string, string?>? settings = null,
        IConnectionMultiplexer? redis = null,
        string? prefix = null,
        SettlingClock? clock = null)
    {
        prefix ??= $"test-recall-{Guid.NewGuid():N}:";
        var listPath = Path.Combine(TestEnvironment.DataDir("safety"), "recalls.csv");
        var values = new Dictionary<string, string?>
        {
            ["Safety:RecallApi:BaseUrl"] = api?.ToString(),
            ["Safety:RecallListPath"] = listPath,
            ["Safety:KeyPrefix"] = prefix,
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) values[k] = v;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        clock ??= new SettlingClock();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(redis ?? SharedRedis.Value)
            .AddSafetyCheck(configuration)
            .BuildServiceProvider();
        return new SafetyRig(services, prefix, listPath, clock);
    }

    public void WriteList(params string[] rows) =>
        File.WriteAllText(ListPath, string.Join("\n", ["brand,model,recallId,title,recallDate", .. rows]) + "\n");

    public async Task<IReadOnlyList<string>> KeysAsync()
    {
        var server = SharedRedis.Value.GetServers()[0];
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: Prefix + "*")) keys.Add(key.ToString());
        return keys;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var key in await KeysAsync()) await Redis.KeyDeleteAsync(key);
        await services.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(ListPath)!, recursive: true);
    }
}
