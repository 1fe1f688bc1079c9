namespace NeXChange.Items;

/// <summary>
/// The category tree (SPEC.md 4.2): single writer of admin edits and a cache of the whole tree for reads.
/// One activation (key 0); the tree is small and changes rarely.
/// </summary>
public interface ICategoryCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>The active tree, children ordered by sortOrder then name; an inactive node hides its subtree.</summary>
    Task<IReadOnlyList<CategoryNode>> GetActiveTree();

    /// <summary>Every category, inactive ones included (admin view).</summary>
    Task<IReadOnlyList<Category>> List();

    /// <summary>The category and whether it and all its ancestors are active; null when unknown.</summary>
    Task<CategoryStatus?> Find(Guid id);

    Task<Category> Create(Guid adminId, CategoryEdit edit);

    Task<Category> Update(Guid adminId, Guid id, CategoryEdit edit);
}

[GenerateSerializer, Alias("NeXChange.Items.Category")]
public sealed record Category(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Slug,
    [property: Id(3)] Guid? ParentId,
    [property: Id(4)] int SortOrder,
    [property: Id(5)] bool Active);

[GenerateSerializer, Alias("NeXChange.Items.CategoryNode")]
public sealed record CategoryNode(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Slug,
    [property: Id(3)] IReadOnlyList<CategoryNode> Children);

/// <summary>A create or full update; on create an absent <see cref="Active"/> means active.</summary>
[GenerateSerializer, Alias("NeXChange.Items.CategoryEdit")]
public sealed record CategoryEdit(
    [property: Id(0)] string Name,
    [property: Id(1)] Guid? ParentId,
    [property: Id(2)] int SortOrder,
    [property: Id(3)] bool Active);

/// <summary>Ancestors are ordered from the root down to the parent.</summary>
[GenerateSerializer, Alias("NeXChange.Items.CategoryStatus")]
public sealed record CategoryStatus(
    [property: Id(0)] Category Category,
    [property: Id(1)] bool Usable,
    [property: Id(2)] IReadOnlyList<Category> Ancestors);
