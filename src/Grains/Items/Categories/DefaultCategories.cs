namespace NeXChange.Items.Categories;

/// <summary>The tree seeded on first start when the table is empty (SPEC.md 4.2), in display order.</summary>
public static class DefaultCategories
{
    public static readonly IReadOnlyList<(string Name, string[] Children)> Tree =
    [
        ("Electronics", ["Phones & Tablets", "Computers", "Audio & Video", "Cameras"]),
        ("Home & Garden", ["Furniture", "Kitchen", "Decor", "Garden & Outdoor"]),
        ("Tools & DIY", []),
        ("Sports & Outdoors", ["Bicycles", "Fitness", "Camping"]),
        ("Toys & Games", []),
        ("Baby & Kids", []),
        ("Books", []),
        ("Music & Movies", []),
        ("Clothing & Accessories", []),
        ("Musical Instruments", []),
        ("Collectibles & Art", []),
        ("Other", []),
    ];
}
