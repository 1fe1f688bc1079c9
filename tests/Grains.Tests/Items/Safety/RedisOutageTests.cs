using NeXChange.Items;
using StackExchange.Redis;

namespace NeXChange.Grains.Tests.Items.Safety;

/// <summary>
/// Without Redis there is neither cache nor cluster-wide throttle: the API is not called (its rate limit cannot be
/// kept) and checks are answered from the local list, each time afresh. The dead Redis times commands out only after
/// ten minutes, so a check that sent one would hang on it and the one-minute guard below reports that.
/// </summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan RedisTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(1);

    private ConnectionMultiplexer deadRedis = null!;

    public async Task InitializeAsync() =>
        deadRedis = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", ClosedPort() } },
            AbortOnConnectFail = false,
            ConnectTimeout = 500,
            AsyncTimeout = (int)RedisTimeout.TotalMilliseconds,
            SyncTimeout = (int)RedisTimeout.TotalMilliseconds,
        });

    public async Task DisposeAsync() => await deadRedis.DisposeAsync();

    [Fact]
    public async Task with_redis_down_checks_are_answered_from_the_local_list_without_waiting_for_redis()
    {
        await using var api = await RecallApiServer.StartAsync();
        api.AnswerRecalls("""[{"RecallID": 1}]""");
        await using var rig = SafetyRig.Create(api.BaseUrl, redis: deadRedis);
        rig.WriteList("acme,rx-200,R1,Heater,2024-01-01");

        var first = await rig.Check.CheckAsync(Guid.Empty, "Acme", "RX-200").WaitAsync(HangGuard);
        var second = await rig.Check.CheckAsync(Guid.Empty, "Acme", "RX-200").WaitAsync(HangGuard);

        Assert.Equal((SafetyCheck.Outcomes.Recall, SafetyCheck.Sources.LocalList), (first.Outcome, first.Source));
        Assert.Equal((SafetyCheck.Outcomes.Recall, SafetyCheck.Sources.LocalList), (second.Outcome, second.Source));
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task with_redis_down_and_no_list_the_check_is_unavailable_not_an_error()
    {
        await using var rig = SafetyRig.Create(api: null, redis: deadRedis);

        var check = await rig.Check.CheckAsync(Guid.Empty, "Acme", "RX-200").WaitAsync(HangGuard);

        Assert.Equal((SafetyCheck.Outcomes.Unavailable, SafetyCheck.Sources.None), (check.Outcome, check.Source));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
