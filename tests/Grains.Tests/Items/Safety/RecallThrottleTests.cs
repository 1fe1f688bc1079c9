using System.Diagnostics;
using NeXChange.Items;

namespace NeXChange.Grains.Tests.Items.Safety;

/// <summary>The recall API is asked at most once per interval across the cluster; who cannot get a slot in time uses the local list.</summary>
public sealed class RecallThrottleTests
{
    [Fact]
    public async Task concurrent_checks_on_two_silos_reach_the_api_at_most_once_per_second()
    {
        await using var api = await RecallApiServer.StartAsync();
        api.AnswerRecalls("[]");
        await using var silo1 = SafetyRig.Create(api.BaseUrl);
        await using var silo2 = SafetyRig.Create(api.BaseUrl, prefix: silo1.Prefix);

        var checks = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? silo1 : silo2).Check.CheckAsync(Guid.NewGuid(), "Acme", $"m{i}")));

        Assert.All(checks, c => Assert.Equal(SafetyCheck.Sources.Api, c.Source));
        Assert.All(Gaps(api), gap => Assert.True(gap >= TimeSpan.FromSeconds(0.8), $"requests {gap.TotalMilliseconds:F0} ms apart"));
        Assert.Equal(4, api.Requests.Count);
    }

    [Fact]
    public async Task callers_that_would_wait_past_the_limit_for_a_slot_use_the_local_list()
    {
        await using var api = await RecallApiServer.StartAsync();
        api.AnswerRecalls("""[{"RecallID": 1}]""");
        // Shortened from 1 s / 5 s: slots at 0, 0.5 and 1.0 s fit in a 1.2 s wait, the fourth would need 1.5 s.
        await using var rig = SafetyRig.Create(api.BaseUrl, new Dictionary<string, string?>
        {
            ["Safety:RecallApi:Interval"] = "00:00:00.5",
            ["Safety:RecallApi:MaxWait"] = "00:00:01.2",
        });
        rig.WriteList("acme,,R9,All,2024-01-01");

        var clock = Stopwatch.StartNew();
        var checks = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => rig.Check.CheckAsync(Guid.NewGuid(), "Acme", $"m{i}")));

        var fromApi = checks.Count(c => c.Source == SafetyCheck.Sources.Api);
        var fromList = checks.Where(c => c.Source == SafetyCheck.Sources.LocalList).ToList();
        Assert.InRange(fromApi, 2, 3);
        Assert.Equal(8 - fromApi, fromList.Count);
        Assert.All(fromList, c => Assert.Equal(["R9"], c.RecallIds));
        Assert.Equal(fromApi, api.Requests.Count);
        Assert.All(Gaps(api), gap => Assert.True(gap >= TimeSpan.FromSeconds(0.4), $"requests {gap.TotalMilliseconds:F0} ms apart"));
        // Nobody waited much past the 1.2 s limit (generous for a loaded machine; a caller that ignored it would take 3.5 s+).
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3.4));
    }

    // Slots are taken a full interval apart; at the server a gap can look shorter by the time the first request of a
    // process spends setting up its connection, hence 80 % of the interval.
    private static IEnumerable<TimeSpan> Gaps(RecallApiServer api)
    {
        var arrivals = api.Requests.Select(r => r.At).Order().ToList();
        return arrivals.Zip(arrivals.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b));
    }
}
