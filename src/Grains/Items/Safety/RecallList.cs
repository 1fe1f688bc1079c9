namespace NeXChange.Items.Safety;

/// <summary>
/// The operator's recall list, indexed by brand. A row matches an item when the brands are equal and the row's
/// model is empty (the whole brand line is recalled) or equal to the item's model; brand and model are compared
/// trimmed and case-insensitively (SPEC.md 4.4).
/// </summary>
public sealed class RecallList
{
    public sealed record Row(string Brand, string Model, string RecallId);

    private readonly Dictionary<string, List<Row>> byBrand = new(StringComparer.Ordinal);

    public RecallList(IEnumerable<Row> rows)
    {
        foreach (var row in rows)
        {
            var normalized = row with { Brand = RecallKey.Normalize(row.Brand), Model = RecallKey.Normalize(row.Model) };
            if (!byBrand.TryGetValue(normalized.Brand, out var list)) byBrand[normalized.Brand] = list = [];
            list.Add(normalized);
        }
        Count = byBrand.Values.Sum(list => list.Count);
    }

    public int Count { get; }

    /// <summary>The ids of the matching recalls in file order, each once; empty when the item is clear.</summary>
    public IReadOnlyList<string> Match(string brand, string model)
    {
        if (!byBrand.TryGetValue(RecallKey.Normalize(brand), out var rows)) return [];
        var wanted = RecallKey.Normalize(model);
        return rows.Where(r => r.Model.Length == 0 || r.Model == wanted).Select(r => r.RecallId).Distinct().ToList();
    }
}
