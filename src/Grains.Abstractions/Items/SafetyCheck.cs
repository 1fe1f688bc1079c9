namespace NeXChange.Items;

/// <summary>Outcome of the recall check of an item (SPEC.md 4.4), kept on the item and shown to its owner and moderators.</summary>
[GenerateSerializer, Alias("NeXChange.Items.SafetyCheck")]
public sealed record SafetyCheck(
    [property: Id(0)] string Outcome,
    [property: Id(1)] string Source,
    [property: Id(2)] DateTimeOffset CheckedAt,
    [property: Id(3)] IReadOnlyList<string> RecallIds)
{
    public static class Outcomes
    {
        public const string Clear = "clear";
        public const string Recall = "recall";
        public const string NotApplicable = "not_applicable";
        public const string Unavailable = "unavailable";
    }

    public static class Sources
    {
        public const string Cache = "cache";
        public const string Api = "api";
        public const string LocalList = "local_list";
        public const string None = "none";
    }
}
