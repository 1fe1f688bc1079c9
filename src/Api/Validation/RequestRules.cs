using NeXChange.Errors;

namespace NeXChange.Api.Validation;

/// <summary>
/// Shape checks of request bodies and query strings, collected so that one 400 lists every field error.
/// Domain rules (limits, balances, states) stay in the grains.
/// </summary>
public sealed class RequestRules
{
    /// <summary>Largest integer a JSON client can carry exactly (2^53 − 1, SPEC.md 2.1).</summary>
    public const long MaxJsonMoney = 9_007_199_254_740_991;

    private readonly List<FieldError> errors = [];

    public T? Required<T>(string field, T? value) where T : struct
    {
        if (value is null) errors.Add(new FieldError(field, "required", $"{field} is required."));
        return value;
    }

    public string? Required(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add(new FieldError(field, "required", $"{field} is required."));
        return value;
    }

    public long? Money(string field, long? value, bool required = true)
    {
        if (value is null)
        {
            if (required) errors.Add(new FieldError(field, "required", $"{field} is required."));
        }
        else if (value is < 0 or > MaxJsonMoney)
        {
            errors.Add(new FieldError(field, "out_of_range", $"{field} must be an integer between 0 and {MaxJsonMoney}."));
        }
        return value;
    }

    /// <summary>Length in Unicode characters after trimming (SPEC.md conventions).</summary>
    public string? Length(string field, string? value, int min, int max)
    {
        if (value is null) return null;
        var length = value.Trim().EnumerateRunes().Count();
        if (length < min) errors.Add(new FieldError(field, "too_short", $"{field} needs at least {min} characters."));
        else if (length > max) errors.Add(new FieldError(field, "too_long", $"{field} allows at most {max} characters."));
        return value.Trim();
    }

    /// <summary>A value of a closed set, when present; anything else is unknown_value.</summary>
    public string? OneOf(string field, string? value, IReadOnlyCollection<string> allowed)
    {
        if (value is not null && !allowed.Contains(value))
            errors.Add(new FieldError(field, "unknown_value", $"{field} is one of {string.Join(", ", allowed)}."));
        return value;
    }

    /// <summary>A uuid sent as text (a query string), or null when absent; anything else is invalid_format.</summary>
    public Guid? Uuid(string field, string? value)
    {
        if (value is null) return null;
        if (Guid.TryParse(value, out var parsed)) return parsed;
        errors.Add(new FieldError(field, "invalid_format", $"{field} must be a uuid."));
        return null;
    }

    public int Range(string field, int? value, int min, int max, int fallback)
    {
        if (value is null) return fallback;
        if (value < min || value > max) errors.Add(new FieldError(field, "out_of_range", $"{field} must be between {min} and {max}."));
        return value.Value;
    }

    public void ThrowIfInvalid()
    {
        if (errors.Count > 0) throw DomainException.Validation([.. errors]);
    }
}
