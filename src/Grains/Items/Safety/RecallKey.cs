namespace NeXChange.Items.Safety;

/// <summary>
/// What a recall check is about (SPEC.md 4.4): the category and the trimmed, lower-cased brand and model, so that
/// "ACME " and "acme" share one cache entry and one answer.
/// </summary>
public sealed record RecallKey(Guid CategoryId, string Brand, string Model)
{
    /// <summary>Null when there is no brand: such an item is <c>not_applicable</c>.</summary>
    public static RecallKey? Of(Guid categoryId, string? brand, string? model) =>
        string.IsNullOrWhiteSpace(brand) ? null : new(categoryId, Normalize(brand), Normalize(model));

    public static string Normalize(string? value) => (value ?? "").Trim().ToLowerInvariant();

    /// <summary>
    /// The Redis key under <paramref name="prefix"/>. Brand and model are escaped so that a ':' inside one of them
    /// cannot make two different keys collide ("a:b"/"c" vs "a"/"b:c").
    /// </summary>
    public string RedisKey(string prefix) =>
        $"{prefix}{CategoryId:N}:{Uri.EscapeDataString(Brand)}:{Uri.EscapeDataString(Model)}";
}
