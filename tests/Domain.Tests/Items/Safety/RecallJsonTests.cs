using NeXChange.Items.Safety;

namespace NeXChange.Domain.Tests.Items.Safety;

public sealed class RecallJsonTests
{
    [Fact]
    public void recall_ids_are_read_as_numbers_or_strings_and_other_fields_are_ignored()
    {
        var matches = RecallJson.Parse("""
            [
              {"RecallID": 9876, "RecallNumber": "24123", "Title": "Heater", "Products": [{"Name": "RX", "Model": "RX-200"}], "Extra": {"x": [1]}},
              {"RecallID": " A-17 ", "Products": null}
            ]
            """);

        Assert.Equal(["9876", "A-17"], matches.Select(m => m.RecallId));
    }

    [Fact]
    public void property_names_match_in_any_case_and_recall_number_stands_in_for_a_missing_id()
    {
        var matches = RecallJson.Parse("""[{"recallid": 5}, {"RECALLNUMBER": "24-001"}, {"RecallID": null, "RecallNumber": "24-002"}]""");

        Assert.Equal(["5", "24-001", "24-002"], matches.Select(m => m.RecallId));
    }

    [Fact]
    public void an_empty_array_is_no_recall()
    {
        Assert.Empty(RecallJson.Parse("[]"));
    }

    [Fact]
    public void a_recall_listed_twice_counts_once()
    {
        Assert.Equal(["7"], RecallJson.Parse("""[{"RecallID": 7}, {"RecallID": "7"}]""").Select(m => m.RecallId));
    }

    [Theory]
    [InlineData("""{"RecallID": 1}""")]
    [InlineData("null")]
    [InlineData("""[1, 2]""")]
    [InlineData("""[{"Title": "no id"}]""")]
    [InlineData("""[{"RecallID": ""}]""")]
    [InlineData("""[{"RecallID": true}]""")]
    public void an_answer_of_another_shape_is_malformed(string json)
    {
        Assert.Throws<FormatException>(() => RecallJson.Parse(json));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[{\"RecallID\": 1}")]
    [InlineData("<html>busy</html>")]
    public void text_that_is_not_json_is_malformed(string text)
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => RecallJson.Parse(text));
    }

    [Fact]
    public void the_search_asks_for_json_by_manufacturer_and_model_escaped()
    {
        var uri = CpscRecallApi.SearchUri(new Uri("http://recalls.test/RestWebServices/Recall"), "acme & co", "rx/200");

        Assert.Equal("http://recalls.test/RestWebServices/Recall?format=json&Manufacturer=acme%20%26%20co&ProductModel=rx%2F200", uri.AbsoluteUri);
    }

    [Fact]
    public void the_search_leaves_out_an_empty_model_and_keeps_a_query_already_in_the_base_url()
    {
        var uri = CpscRecallApi.SearchUri(new Uri("http://recalls.test/Recall?key=k"), "acme", "");

        Assert.Equal("http://recalls.test/Recall?key=k&format=json&Manufacturer=acme", uri.AbsoluteUri);
    }
}
