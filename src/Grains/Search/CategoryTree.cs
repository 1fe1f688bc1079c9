namespace NeXChange.Search;

/// <summary>
/// The whole category tree (a few dozen rows, read per search so a new category is known at once) with each name's
/// English lexemes. Used for the descendant filter, the category facet roll-up and the categoryMatch signal.
/// </summary>
public sealed class CategoryTree
{
    public sealed record Node(Guid Id, string Name, Guid? ParentId, IReadOnlySet<string> Lexemes);

    private readonly Dictionary<Guid, Node> nodes;
    private readonly ILookup<Guid?, Node> children;

    public CategoryTree(IEnumerable<Node> all)
    {
        nodes = all.ToDictionary(n => n.Id);
        children = nodes.Values.ToLookup(n => n.ParentId);
    }

    public bool Contains(Guid id) => nodes.ContainsKey(id);

    public IReadOnlyList<Node> ChildrenOf(Guid? parentId) => children[parentId].ToList();

    /// <summary>The category and all below it.</summary>
    public IReadOnlyList<Guid> Subtree(Guid id)
    {
        var result = new List<Guid>();
        var stack = new Stack<Guid>([id]);
        while (stack.TryPop(out var next))
        {
            result.Add(next);
            foreach (var child in children[next]) stack.Push(child.Id);
        }
        return result;
    }

    /// <summary>
    /// The categories whose own name or an ancestor's name shares a lexeme with q (SPEC.md 5.3 categoryMatch):
    /// "vintage cameras" matches Cameras and, through it, nothing above; "electronics" matches Electronics and every
    /// category below it. Lexemes are PostgreSQL's <c>english</c> stems, so "camera" and "cameras" agree.
    /// </summary>
    public IReadOnlyList<Guid> MatchingQuery(IReadOnlySet<string> queryLexemes) =>
        queryLexemes.Count == 0
            ? []
            : nodes.Values.Where(n => n.Lexemes.Overlaps(queryLexemes)).SelectMany(n => Subtree(n.Id)).Distinct().ToList();

    /// <summary>Rolls per-category counts up into the children of <paramref name="parentId"/> (SPEC.md 5.4).</summary>
    public IReadOnlyList<CategoryFacet> Facets(Guid? parentId, IReadOnlyDictionary<Guid, long> counts) =>
        ChildrenOf(parentId)
            .Select(c => new CategoryFacet(c.Id, c.Name, Subtree(c.Id).Sum(id => counts.GetValueOrDefault(id))))
            .Where(f => f.Count > 0)
            .OrderByDescending(f => f.Count)
            .ThenBy(f => f.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
}
