using System.Text.RegularExpressions;
using NeXChange.Errors;

namespace NeXChange.Items;

/// <summary>The editable fields of an item after validation and normalisation (SPEC.md 4.1).</summary>
public sealed partial record ItemFields(
    string Title,
    string Description,
    Guid CategoryId,
    string Condition,
    long PriceMinor,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Attributes,
    string KnownIssues)
{
    public static readonly IReadOnlySet<string> Conditions = new HashSet<string>(StringComparer.Ordinal) { "new", "like_new", "good", "fair", "poor" };

    public const long MinPriceMinor = 100;
    public const long MaxPriceMinor = 10_000_000;

    /// <summary>
    /// Validates every field of <paramref name="draft"/> at once and returns the normalised fields, or throws one
    /// validation_failed listing all field errors. <paramref name="category"/> resolves the category (null = unknown).
    /// </summary>
    public static ItemFields From(ItemDraft draft, Func<Guid, CategoryStatus?> category)
    {
        var errors = new List<FieldError>();
        var title = Text(errors, "title", draft.Title, 10, 100, required: true);
        var description = Text(errors, "description", draft.Description, 50, 2000, required: true);
        var knownIssues = Text(errors, "knownIssues", draft.KnownIssues, 0, 1000, required: false);

        if (draft.CategoryId is not { } categoryId)
            errors.Add(new FieldError("categoryId", FieldCodes.Required, "categoryId is required."));
        else if (category(categoryId) is not { } found)
            errors.Add(new FieldError("categoryId", FieldCodes.UnknownCategory, "The category does not exist."));
        else if (!found.Usable)
            errors.Add(new FieldError("categoryId", FieldCodes.InactiveCategory, "The category is not active."));

        if (draft.Condition is null)
            errors.Add(new FieldError("condition", FieldCodes.Required, "condition is required."));
        else if (!Conditions.Contains(draft.Condition))
            errors.Add(new FieldError("condition", FieldCodes.UnknownValue, "condition is one of new, like_new, good, fair, poor."));

        if (draft.PriceMinor is null)
            errors.Add(new FieldError("priceMinor", FieldCodes.Required, "priceMinor is required."));
        else if (draft.PriceMinor is < MinPriceMinor or > MaxPriceMinor)
            errors.Add(new FieldError("priceMinor", FieldCodes.OutOfRange, $"priceMinor must be between {MinPriceMinor} and {MaxPriceMinor}."));

        var tags = ValidTags(errors, draft.Tags ?? []);
        var attributes = ValidAttributes(errors, draft.Attributes ?? new Dictionary<string, string>());

        if (errors.Count > 0) throw DomainException.Validation([.. errors]);
        return new ItemFields(title!, description!, draft.CategoryId!.Value, draft.Condition!, draft.PriceMinor!.Value, tags, attributes, knownIssues ?? "");
    }

    /// <summary>The fields as a draft again, so a PATCH can be applied over them and re-validated as a whole.</summary>
    public ItemDraft ToDraft() => new(Title, Description, CategoryId, Condition, PriceMinor, Tags, Attributes, KnownIssues);

    public string? Brand => Attributes.TryGetValue("brand", out var brand) ? brand : null;

    public string? Model => Attributes.TryGetValue("model", out var model) ? model : null;

    private static string? Text(List<FieldError> errors, string field, string? value, int min, int max, bool required)
    {
        var trimmed = value?.Trim();
        if (trimmed is null && !required) return null;
        var length = trimmed?.EnumerateRunes().Count() ?? 0;
        if (trimmed is null || (length == 0 && required))
            errors.Add(new FieldError(field, FieldCodes.Required, $"{field} is required."));
        else if (length < min) errors.Add(new FieldError(field, FieldCodes.TooShort, $"{field} needs at least {min} characters."));
        else if (length > max) errors.Add(new FieldError(field, FieldCodes.TooLong, $"{field} allows at most {max} characters."));
        return trimmed;
    }

    private static List<string> ValidTags(List<FieldError> errors, IReadOnlyList<string> raw)
    {
        if (raw.Count > 10) errors.Add(new FieldError("tags", FieldCodes.TooLong, "At most 10 tags."));
        var tags = new List<string>();
        for (var i = 0; i < raw.Count; i++)
        {
            var tag = (raw[i] ?? "").Trim().ToLowerInvariant();
            var length = tag.EnumerateRunes().Count();
            if (length is < 1 or > 30) errors.Add(new FieldError($"tags[{i}]", length < 1 ? FieldCodes.TooShort : FieldCodes.TooLong, "A tag has 1-30 characters."));
            else if (!tags.Contains(tag)) tags.Add(tag);
        }
        return tags;
    }

    private static Dictionary<string, string> ValidAttributes(List<FieldError> errors, IReadOnlyDictionary<string, string> raw)
    {
        if (raw.Count > 20) errors.Add(new FieldError("attributes", FieldCodes.TooLong, "At most 20 attributes."));
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in raw)
        {
            if (!AttributeKey().IsMatch(key))
            {
                errors.Add(new FieldError($"attributes.{(key.Length > 40 ? key[..40] : key)}", FieldCodes.InvalidFormat, "Keys are 1-40 of a-z, 0-9 and _."));
                continue;
            }
            var trimmed = (value ?? "").Trim();
            var length = trimmed.EnumerateRunes().Count();
            if (length is < 1 or > 200)
                errors.Add(new FieldError($"attributes.{key}", length < 1 ? FieldCodes.TooShort : FieldCodes.TooLong, "A value has 1-200 characters."));
            else attributes[key] = trimmed;
        }
        return attributes;
    }

    [GeneratedRegex("^[a-z0-9_]{1,40}$")]
    private static partial Regex AttributeKey();
}
