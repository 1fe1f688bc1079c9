using NeXChange.Items;

namespace NeXChange.Grains.Tests.Items.Safety;

/// <summary>The operator's recall list file as the safety check reads it when the API cannot answer.</summary>
public sealed class RecallListFileTests
{
    private static readonly Dictionary<string, string?> CheckEveryMinute = new() { ["Safety:RecallListCheckInterval"] = "00:01:00" };

    // Each check uses a category of its own so that the cached answer of an earlier check does not hide the list.
    private static Task<SafetyCheck> CheckAsync(SafetyRig rig, string model) => rig.Check.CheckAsync(Guid.NewGuid(), "Acme", model);

    [Fact]
    public async Task a_changed_file_is_read_again_but_not_before_the_check_interval_has_passed()
    {
        await using var rig = SafetyRig.Create(api: null, CheckEveryMinute);
        rig.WriteList("acme,rx-200,R1,Heater,2024-01-01");
        Assert.Equal(SafetyCheck.Outcomes.Clear, (await CheckAsync(rig, "rx-300")).Outcome);

        rig.WriteList("acme,rx-200,R1,Heater,2024-01-01", "acme,rx-300,R2,Heater 300,2024-05-01");
        rig.Clock.Advance(TimeSpan.FromSeconds(59));
        var beforeInterval = await CheckAsync(rig, "rx-300");
        rig.Clock.Advance(TimeSpan.FromSeconds(1));
        var afterInterval = await CheckAsync(rig, "rx-300");

        Assert.Equal(SafetyCheck.Outcomes.Clear, beforeInterval.Outcome);
        Assert.Equal((SafetyCheck.Outcomes.Recall, SafetyCheck.Sources.LocalList), (afterInterval.Outcome, afterInterval.Source));
        Assert.Equal(["R2"], afterInterval.RecallIds);
    }

    [Fact]
    public async Task a_list_that_appears_later_is_picked_up_at_the_next_look()
    {
        await using var rig = SafetyRig.Create(api: null, CheckEveryMinute);
        Assert.Equal(SafetyCheck.Outcomes.Unavailable, (await CheckAsync(rig, "rx-200")).Outcome);

        rig.WriteList("acme,rx-200,R1,Heater,2024-01-01");
        rig.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(["R1"], (await CheckAsync(rig, "rx-200")).RecallIds);
    }

    [Fact]
    public async Task a_list_replaced_by_an_unreadable_file_makes_checks_unavailable_until_it_is_fixed()
    {
        await using var rig = SafetyRig.Create(api: null, CheckEveryMinute);
        rig.WriteList("acme,rx-200,R1,Heater,2024-01-01");
        Assert.Equal(SafetyCheck.Outcomes.Recall, (await CheckAsync(rig, "rx-200")).Outcome);

        rig.WriteList("acme,rx-200,R1,\"Heater,2024-01-01");
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var unreadable = await CheckAsync(rig, "rx-200");
        await File.WriteAllBytesAsync(rig.ListPath, [.. "brand,model,recallId,title,recallDate\nM"u8, 0xFC, .. "ller,m1,R3,Latin-1,2024-01-01\n"u8]);
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var notUtf8 = await CheckAsync(rig, "m1");
        rig.WriteList("acme,rx-200,R1,Heater,2024-01-01");
        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var fixedAgain = await CheckAsync(rig, "rx-200");

        Assert.Equal((SafetyCheck.Outcomes.Unavailable, SafetyCheck.Sources.None), (unreadable.Outcome, unreadable.Source));
        Assert.Equal(SafetyCheck.Outcomes.Unavailable, notUtf8.Outcome);
        Assert.Equal(["R1"], fixedAgain.RecallIds);
    }

    [Fact]
    public async Task a_deleted_list_makes_checks_unavailable_from_the_next_look()
    {
        await using var rig = SafetyRig.Create(api: null, CheckEveryMinute);
        rig.WriteList("acme,rx-200,R1,Heater,2024-01-01");
        await CheckAsync(rig, "rx-200");

        File.Delete(rig.ListPath);
        rig.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(SafetyCheck.Outcomes.Unavailable, (await CheckAsync(rig, "rx-200")).Outcome);
    }
}
