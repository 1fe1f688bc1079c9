using System.Globalization;
using System.Text;
using NeXChange.Errors;

namespace NeXChange.Items.Categories;

/// <summary>Pure rules of the category tree: names, slugs, depth and cycles (SPEC.md 4.2).</summary>
public static class CategoryRules
{
    public const int MaxDepth = 3;

    public static string ValidName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        var length = trimmed.EnumerateRunes().Count();
        if (length == 0) throw DomainException.Validation("name", FieldCodes.Required, "A name is required.");
        if (length < 2) throw DomainException.Validation("name", FieldCodes.TooShort, "A name needs at least 2 characters.");
        if (length > 60) throw DomainException.Validation("name", FieldCodes.TooLong, "A name allows at most 60 characters.");
        return trimmed;
    }

    /// <summary>"Phones & Tablets" → "phones-tablets": ASCII letters and digits, accents folded, runs of anything else one dash.</summary>
    public static string Slug(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsAsciiLetterOrDigit(c)) builder.Append(char.ToLowerInvariant(c));
            else if (builder.Length > 0 && builder[^1] != '-') builder.Append('-');
        }
        var slug = builder.ToString().Trim('-');
        return slug.Length > 0 ? slug : "category";
    }

    /// <summary>A slug not yet taken: the base, else base-2, base-3, …</summary>
    public static string UniqueSlug(string name, IReadOnlySet<string> taken)
    {
        var slug = Slug(name);
        for (var n = 2; taken.Contains(slug); n++) slug = $"{Slug(name)}-{n}";
        return slug;
    }

    /// <summary>
    /// Refuses a parent that is the category itself or one of its descendants (a cycle), and a placement that makes
    /// the deepest node of the moved subtree deeper than <see cref="MaxDepth"/>.
    /// </summary>
    public static void CheckPlacement(Guid? id, Guid? parentId, IReadOnlyDictionary<Guid, Category> all)
    {
        if (parentId is null) return;
        if (!all.ContainsKey(parentId.Value))
            throw DomainException.Validation("parentId", FieldCodes.UnknownValue, "The parent category does not exist.");
        var parentDepth = 1;
        for (var cursor = all[parentId.Value]; ; cursor = all[cursor.ParentId.Value], parentDepth++)
        {
            if (cursor.Id == id) throw DomainException.Validation("parentId", FieldCodes.InvalidValue, "A category cannot be placed under itself or its descendants.");
            if (cursor.ParentId is null) break;
        }
        var subtreeHeight = id is null ? 1 : Height(id.Value, all);
        if (parentDepth + subtreeHeight > MaxDepth)
            throw DomainException.Validation("parentId", FieldCodes.OutOfRange, $"Categories nest at most {MaxDepth} levels deep.");
    }

    private static int Height(Guid id, IReadOnlyDictionary<Guid, Category> all) =>
        1 + all.Values.Where(c => c.ParentId == id).Select(c => Height(c.Id, all)).DefaultIfEmpty(0).Max();
}
