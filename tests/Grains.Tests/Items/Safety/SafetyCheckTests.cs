using NeXChange.Items;
using NeXChange.Items.Safety;

namespace NeXChange.Grains.Tests.Items.Safety;

public sealed class SafetyCheckTests
{
    private static readonly Guid Heaters = Guid.NewGuid();

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public async Task an_item_without_a_brand_is_not_applicable_and_nobody_is_asked(string? brand)
    {
        await using var api = await RecallApiServer.StartAsync();
        await using var rig = SafetyRig.Create(api.BaseUrl);
        rig.WriteList("acme,,R9,All,2024-01-01");

        var check = await rig.Check.CheckAsync(Heaters, brand, "rx-200");

        Assert.Equal((SafetyCheck.Outcomes.NotApplicable, SafetyCheck.Sources.None, rig.Clock.GetUtcNow()), (check.Outcome, check.Source, check.CheckedAt));
        Assert.Empty(check.RecallIds);
        Assert.Empty(api.Requests);
        Assert.Empty(await rig.KeysAsync());
    }

    [Fact]
    public async Task a_recall_from_the_api_is_cached_for_a_day_and_the_next_check_of_the_same_key_asks_nobody()
    {
        await using var api = await RecallApiServer.StartAsync();
        api.AnswerRecalls("""[{"RecallID": 9876, "Title": "Heater"}, {"RecallNumber": "24-123"}]""");
        await using var rig = SafetyRig.Create(api.BaseUrl);

        var first = await rig.Check.CheckAsync(Heaters, "Acme", "RX-200");
        rig.Clock.Advance(TimeSpan.FromHours(1));
        var second = await rig.Check.CheckAsync(Heaters, "  ACME ", " rx-200");

        Assert.Equal((SafetyCheck.Outcomes.Recall, SafetyCheck.Sources.Api), (first.Outcome, first.Source));
        Assert.Equal(["9876", "24-123"], first.RecallIds);
        Assert.Equal((SafetyCheck.Outcomes.Recall, SafetyCheck.Sources.Cache), (second.Outcome, second.Source));
        Assert.Equal(["9876", "24-123"], second.RecallIds);
        Assert.Equal(rig.Clock.GetUtcNow(), second.CheckedAt);
        Assert.Equal("?format=json&Manufacturer=acme&ProductModel=rx-200", Assert.Single(api.Requests));
        var ttl = await SafetyRig.Redis.KeyTimeToLiveAsync(new RecallKey(Heaters, "acme", "rx-200").RedisKey(rig.Prefix));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(24));
    }

    [Fact]
    public async Task no_recall_from_the_api_is_clear_and_cached()
    {
        await using var api = await RecallApiServer.StartAsync();
        api.AnswerRecalls("[]");
        await using var rig = SafetyRig.Create(api.BaseUrl);

        var first = await rig.Check.CheckAsync(Heaters, "Acme", "RX-300");
        var second = await rig.Check.CheckAsync(Heaters, "Acme", "RX-300");

        Assert.Equal((SafetyCheck.Outcomes.Clear, SafetyCheck.Sources.Api), (first.Outcome, first.Source));
        Assert.Equal((SafetyCheck.Outcomes.Clear, SafetyCheck.Sources.Cache), (second.Outcome, second.Source));
        Assert.Empty(second.RecallIds);
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task the_same_brand_and_model_in_another_category_is_checked_on_its_own()
    {
        await using var api = await RecallApiServer.StartAsync();
        await using var rig = SafetyRig.Create(api.BaseUrl);

        await rig.Check.CheckAsync(Heaters, "Acme", "RX-300");
        rig.Clock.Advance(TimeSpan.FromSeconds(1)); // the next request slot
        var other = await rig.Check.CheckAsync(Guid.NewGuid(), "Acme", "RX-300");

        Assert.Equal(SafetyCheck.Sources.Api, other.Source);
        Assert.Equal(2, api.Requests.Count);
    }

    [Theory]
    [InlineData("500")]
    [InlineData("malformed")]
    public async Task when_the_api_fails_the_local_list_answers_and_its_answer_is_cached(string failure)
    {
        await using var api = await RecallApiServer.StartAsync();
        if (failure == "500") api.AnswerStatus(500);
        else api.AnswerMalformed();
        await using var rig = SafetyRig.Create(api.BaseUrl);
        rig.WriteList("Acme,RX-200,R1,Heater,2024-01-01");

        var first = await rig.Check.CheckAsync(Heaters, "acme", "rx-200");
        var second = await rig.Check.CheckAsync(Heaters, "acme", "rx-200");

        Assert.Equal((SafetyCheck.Outcomes.Recall, SafetyCheck.Sources.LocalList), (first.Outcome, first.Source));
        Assert.Equal(["R1"], first.RecallIds);
        Assert.Equal((SafetyCheck.Outcomes.Recall, SafetyCheck.Sources.Cache), (second.Outcome, second.Source));
        Assert.Equal(["R1"], second.RecallIds);
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task an_api_that_does_not_answer_is_given_up_after_the_timeout_and_the_local_list_answers_and_is_cached()
    {
        await using var api = await RecallApiServer.StartAsync();
        api.Hang();
        await using var rig = SafetyRig.Create(api.BaseUrl);
        rig.WriteList("Acme,RX-200,R1,Heater,2024-01-01");

        var first = rig.Check.CheckAsync(Heaters, "acme", "rx-200");
        await Task.WhenAny(api.Received, first);
        // The request hangs, and the only timer is its 5 s timeout (the slot was free): a tick before it is due it waits.
        rig.Clock.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.Equal((1, false), (rig.Clock.Waiting, first.IsCompleted));
        rig.Clock.Advance(TimeSpan.FromTicks(1));
        var answered = await first;
        var second = await rig.Check.CheckAsync(Heaters, "acme", "rx-200");

        Assert.Equal((SafetyCheck.Outcomes.Recall, SafetyCheck.Sources.LocalList), (answered.Outcome, answered.Source));
        Assert.Equal(["R1"], answered.RecallIds);
        Assert.Equal((SafetyCheck.Outcomes.Recall, SafetyCheck.Sources.Cache), (second.Outcome, second.Source));
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task without_a_configured_api_the_local_list_answers_without_taking_a_request_slot()
    {
        await using var rig = SafetyRig.Create(api: null);
        rig.WriteList("acme,rx-200,R1,Heater,2024-01-01");

        var recalled = await rig.Check.CheckAsync(Heaters, "Acme", "RX-200");
        var clear = await rig.Check.CheckAsync(Heaters, "Acme", "RX-300");

        Assert.Equal((SafetyCheck.Outcomes.Recall, SafetyCheck.Sources.LocalList), (recalled.Outcome, recalled.Source));
        Assert.Equal((SafetyCheck.Outcomes.Clear, SafetyCheck.Sources.LocalList), (clear.Outcome, clear.Source));
        Assert.False(await SafetyRig.Redis.KeyExistsAsync(rig.Prefix + "throttle"));
    }

    [Fact]
    public async Task a_list_row_without_model_recalls_every_model_of_the_brand()
    {
        await using var rig = SafetyRig.Create(api: null);
        rig.WriteList("\"Acme\",\"\",R9,\"All Acme blankets, any model\",2023-11-02", "Beta,B1,R2,Kettle,2024-01-01");

        var anyModel = await rig.Check.CheckAsync(Heaters, " ACME", "Cozy 5");
        var noModel = await rig.Check.CheckAsync(Heaters, "acme", null);
        var otherBrand = await rig.Check.CheckAsync(Heaters, "Beta", "B2");

        Assert.Equal(["R9"], anyModel.RecallIds);
        Assert.Equal(["R9"], noModel.RecallIds);
        Assert.Equal(SafetyCheck.Outcomes.Clear, otherBrand.Outcome);
    }

    [Fact]
    public async Task when_the_api_fails_and_the_list_is_missing_the_check_is_unavailable_and_not_cached()
    {
        await using var api = await RecallApiServer.StartAsync();
        api.AnswerStatus(503);
        await using var rig = SafetyRig.Create(api.BaseUrl);

        var check = await rig.Check.CheckAsync(Heaters, "Acme", "RX-200");

        Assert.Equal((SafetyCheck.Outcomes.Unavailable, SafetyCheck.Sources.None), (check.Outcome, check.Source));
        Assert.Empty(check.RecallIds);
        Assert.False(await SafetyRig.Redis.KeyExistsAsync(new RecallKey(Heaters, "acme", "rx-200").RedisKey(rig.Prefix)));

        api.AnswerRecalls("[]");
        rig.Clock.Advance(TimeSpan.FromSeconds(1)); // the next request slot
        Assert.Equal(SafetyCheck.Sources.Api, (await rig.Check.CheckAsync(Heaters, "Acme", "RX-200")).Source);
    }
}
