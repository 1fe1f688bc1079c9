using NeXChange.Errors;

namespace NeXChange.Items.Categories;

/// <summary>
/// Keeps the whole tree in memory and is the only writer of the categories table, so sibling-name, slug, depth and
/// cycle checks see every earlier edit. Seeds the default tree on first activation when the table is empty.
/// </summary>
public sealed class CategoryCatalogGrain(CategoryStore store, TimeProvider time)
    : Grain, ICategoryCatalogGrain
{
    private Dictionary<Guid, Category> all = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        all = (await store.LoadAsync()).ToDictionary(c => c.Id);
        if (all.Count == 0) await SeedAsync();
    }

    public Task<IReadOnlyList<CategoryNode>> GetActiveTree() => Task.FromResult<IReadOnlyList<CategoryNode>>(Children(null));

    public Task<IReadOnlyList<Category>> List() =>
        Task.FromResult<IReadOnlyList<Category>>(all.Values.OrderBy(c => c.SortOrder).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList());

    public Task<CategoryStatus?> Find(Guid id)
    {
        if (!all.TryGetValue(id, out var category)) return Task.FromResult<CategoryStatus?>(null);
        var ancestors = new List<Category>();
        for (var parent = category.ParentId; parent is not null; parent = all[parent.Value].ParentId) ancestors.Insert(0, all[parent.Value]);
        var usable = category.Active && ancestors.All(a => a.Active);
        return Task.FromResult<CategoryStatus?>(new CategoryStatus(category, usable, ancestors));
    }

    public async Task<Category> Create(Guid adminId, CategoryEdit edit)
    {
        var name = CategoryRules.ValidName(edit.Name);
        CategoryRules.CheckPlacement(null, edit.ParentId, all);
        var category = new Category(Guid.CreateVersion7(), name, CategoryRules.UniqueSlug(name, Slugs()), edit.ParentId, edit.SortOrder, edit.Active);
        return await SaveAsync(category, adminId, before: null);
    }

    public async Task<Category> Update(Guid adminId, Guid id, CategoryEdit edit)
    {
        if (!all.TryGetValue(id, out var before)) throw DomainException.NotFound();
        var name = CategoryRules.ValidName(edit.Name);
        CategoryRules.CheckPlacement(id, edit.ParentId, all);
        var slug = string.Equals(name, before.Name, StringComparison.Ordinal)
            ? before.Slug
            : CategoryRules.UniqueSlug(name, Slugs(except: id));
        return await SaveAsync(before with { Name = name, Slug = slug, ParentId = edit.ParentId, SortOrder = edit.SortOrder, Active = edit.Active },
            adminId, before);
    }

    private async Task<Category> SaveAsync(Category category, Guid? actorId, Category? before)
    {
        if (!await store.SaveAsync(category, actorId, before, time.GetUtcNow()))
            throw new DomainException(ErrorCodes.NameTaken, "A sibling category already has this name.");
        all[category.Id] = category;
        return category;
    }

    private async Task SeedAsync()
    {
        var order = 0;
        foreach (var (name, children) in DefaultCategories.Tree)
        {
            var parent = await SaveAsync(new Category(Guid.CreateVersion7(), name, CategoryRules.UniqueSlug(name, Slugs()), null, order++, true), null, null);
            var childOrder = 0;
            foreach (var child in children)
                await SaveAsync(new Category(Guid.CreateVersion7(), child, CategoryRules.UniqueSlug(child, Slugs()), parent.Id, childOrder++, true), null, null);
        }
    }

    private HashSet<string> Slugs(Guid? except = null) => all.Values.Where(c => c.Id != except).Select(c => c.Slug).ToHashSet(StringComparer.Ordinal);

    private List<CategoryNode> Children(Guid? parentId) =>
        all.Values.Where(c => c.ParentId == parentId && c.Active)
            .OrderBy(c => c.SortOrder).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .Select(c => new CategoryNode(c.Id, c.Name, c.Slug, Children(c.Id)))
            .ToList();
}
