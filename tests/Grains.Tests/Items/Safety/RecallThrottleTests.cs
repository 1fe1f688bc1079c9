using NeXChange.Items;

namespace NeXChange.Grains.Tests.Items.Safety;

/// <summary>
/// The recall API is asked at most once per interval across the cluster; who cannot get a slot in time uses the local
/// list. Slots are read on the rigs' fake clock, which moves only once every caller has its slot or waits for one.
/// </summary>
public sealed class RecallThrottleTests
{
    /// <summary>When each caller was let through, on the fake clock; null for a caller that got no slot.</summary>
    private static async Task<DateTimeOffset?[]> AcquireAllAsync(SettlingClock clock, IEnumerable<SafetyRig> callers)
    {
        var attempts = callers.Select(async rig => await rig.Throttle.TryAcquireAsync(CancellationToken.None) ? clock.GetUtcNow() : (DateTimeOffset?)null).ToList();
        await clock.RunAsync(attempts);
        return await Task.WhenAll(attempts);
    }

    [Fact]
    public async Task callers_on_two_silos_get_request_slots_at_most_once_per_second()
    {
        var clock = new SettlingClock();
        var start = clock.GetUtcNow();
        await using var silo1 = SafetyRig.Create(api: null, clock: clock);
        await using var silo2 = SafetyRig.Create(api: null, prefix: silo1.Prefix, clock: clock);

        var slots = await AcquireAllAsync(clock, [silo1, silo2, silo1, silo2]);

        // Four callers within a 5 s wait: one slot each, a full second apart, the first at once.
        Assert.Equal([0.0, 1, 2, 3], slots.Select(s => (s!.Value - start).TotalSeconds).Order());
    }

    [Fact]
    public async Task callers_that_would_wait_past_the_limit_get_no_slot_and_give_up_at_once()
    {
        var clock = new SettlingClock();
        var start = clock.GetUtcNow();
        // Shortened from 1 s / 5 s: slots at 0, 0.5 and 1.0 s fit in a 1.2 s wait, the fourth would need 1.5 s.
        await using var rig = SafetyRig.Create(api: null, new Dictionary<string, string?>
        {
            ["Safety:RecallApi:Interval"] = "00:00:00.5",
            ["Safety:RecallApi:MaxWait"] = "00:00:01.2",
        }, clock: clock);

        var slots = await AcquireAllAsync(clock, Enumerable.Repeat(rig, 8));

        Assert.Equal([0.0, 0.5, 1.0], slots.OfType<DateTimeOffset>().Select(s => (s - start).TotalSeconds).Order());
        // The five without a slot were answered before the clock moved at all.
        Assert.Equal(5, slots.Count(s => s is null));
        Assert.Equal(0, clock.Waiting);
    }

    [Fact]
    public async Task checks_that_get_no_slot_are_answered_from_the_local_list()
    {
        await using var api = await RecallApiServer.StartAsync();
        api.AnswerRecalls("""[{"RecallID": 1}]""");
        // One slot a minute and no patience: the first check takes the slot, every other one has to do without.
        await using var rig = SafetyRig.Create(api.BaseUrl, new Dictionary<string, string?>
        {
            ["Safety:RecallApi:Interval"] = "00:01:00",
            ["Safety:RecallApi:MaxWait"] = "00:00:00",
        });
        rig.WriteList("acme,,R9,All,2024-01-01");

        var checks = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => rig.Check.CheckAsync(Guid.NewGuid(), "Acme", $"m{i}")));

        Assert.Equal(["1"], Assert.Single(checks, c => c.Source == SafetyCheck.Sources.Api).RecallIds);
        var fromList = checks.Where(c => c.Source != SafetyCheck.Sources.Api).ToList();
        Assert.All(fromList, c => Assert.Equal(SafetyCheck.Sources.LocalList, c.Source));
        Assert.All(fromList, c => Assert.Equal(["R9"], c.RecallIds));
        Assert.Single(api.Requests);
    }
}
