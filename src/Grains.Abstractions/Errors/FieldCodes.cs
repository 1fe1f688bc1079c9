namespace NeXChange.Errors;

/// <summary>The stable codes of <see cref="FieldError.Code"/> (SPEC.md 9.1); clients switch on these too.</summary>
public static class FieldCodes
{
    public const string Required = "required";
    public const string TooShort = "too_short";
    public const string TooLong = "too_long";
    public const string OutOfRange = "out_of_range";
    public const string InvalidFormat = "invalid_format";
    public const string TooCommon = "too_common";
    public const string TooYoung = "too_young";
    public const string UnknownZip = "unknown_zip";
    public const string UnknownValue = "unknown_value";
    public const string InvalidValue = "invalid_value";
    public const string UnknownCategory = "unknown_category";
    public const string InactiveCategory = "inactive_category";
}
