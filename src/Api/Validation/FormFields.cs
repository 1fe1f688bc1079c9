namespace NeXChange.Api.Validation;

public static class FormFields
{
    /// <summary>A form field given exactly once, else null: a repeated field is refused, as a JSON member given twice is.</summary>
    public static string? OneValue(this IFormCollection form, string name) => form[name] is { Count: 1 } values ? values[0] : null;
}
