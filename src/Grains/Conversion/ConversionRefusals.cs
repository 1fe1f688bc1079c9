using NeXChange.Errors;

namespace NeXChange.Conversion;

/// <summary>The conversion refusals of SPEC.md 7 with their problem members (9.1).</summary>
public static class ConversionRefusals
{
    public static DomainException Paused(ConversionStatus status) =>
        new(ErrorCodes.ConversionPaused, $"Conversion is paused ({status.Reason}).", extensions: new Dictionary<string, object>
        {
            ["retryAfterSeconds"] = status.RetryAfterSeconds!.Value,
        });

    public static DomainException IdVerificationRequired() =>
        new(ErrorCodes.IdVerificationRequired, "Conversion needs a verified email and a verified identity.");
}
