using NeXChange.Users;

namespace NeXChange.Domain.Tests.Users;

public sealed class DisplayNameTests
{
    public static TheoryData<string> Lists => new() { "adjectives", "nouns" };

    private static IReadOnlyList<string> List(string name) => name == "adjectives" ? DisplayNames.Adjectives : DisplayNames.Nouns;

    [Theory, MemberData(nameof(Lists))]
    public void word_lists_hold_at_least_150_words(string list) => Assert.True(List(list).Count >= 150, $"{list}: {List(list).Count}");

    [Theory, MemberData(nameof(Lists))]
    public void words_are_capitalized_ascii_letters_of_3_to_10_characters(string list) =>
        Assert.All(List(list), w => Assert.Matches("^[A-Z][a-z]{2,9}$", w));

    [Theory, MemberData(nameof(Lists))]
    public void word_lists_have_no_duplicates_ignoring_case(string list) =>
        Assert.Equal(List(list).Count, List(list).Distinct(StringComparer.OrdinalIgnoreCase).Count());

    [Fact]
    public void generated_names_match_the_published_pattern_and_use_the_lists()
    {
        var adjectives = DisplayNames.Adjectives.ToHashSet();
        var nouns = DisplayNames.Nouns.ToHashSet();
        for (var i = 0; i < 2000; i++)
        {
            var name = DisplayNames.Generate();
            Assert.Matches(DisplayNames.Pattern(), name);
            var number = int.Parse(name[(name.IndexOf('_') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(number, 1000, 9999);
            var words = name[..name.IndexOf('_')];
            Assert.Contains(adjectives, a => words.StartsWith(a, StringComparison.Ordinal) && nouns.Contains(words[a.Length..]));
        }
    }

    [Theory]
    [InlineData("SwiftEagle_7432", true)]
    [InlineData("swiftEagle_7432", false)]
    [InlineData("SwiftEagle_0999", false)]
    [InlineData("SwiftEagle_743", false)]
    [InlineData("Swift_7432", false)]
    [InlineData("SwiftEAgle_7432", false)]
    public void the_pattern_accepts_only_adjective_noun_and_four_digits(string name, bool matches) =>
        Assert.Equal(matches, DisplayNames.Pattern().IsMatch(name));

    [Fact]
    public void generated_names_spread_over_the_lists()
    {
        var names = Enumerable.Range(0, 500).Select(_ => DisplayNames.Generate()).ToList();
        Assert.True(names.Distinct().Count() > 490);
    }
}
