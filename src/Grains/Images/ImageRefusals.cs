using NeXChange.Errors;

namespace NeXChange.Images;

/// <summary>
/// The refusals of the photo pipeline. Every unusable image is <c>image_invalid</c> (SPEC.md 4.5); its
/// <c>reason</c> tells the header's size (<c>dimensions</c>) and a file too costly to decode (<c>decode_cost</c>)
/// apart from a broken one. A full queue is <c>service_unavailable</c> with Retry-After (SPEC.md 9.2, 9.3).
/// </summary>
internal static class ImageRefusals
{
    public static DomainException Invalid(string detail) => new(ErrorCodes.ImageInvalid, detail);

    public static DomainException Truncated() => Invalid("The file is truncated, malformed or has data after its end.");

    public static DomainException Dimensions() => new(ErrorCodes.ImageInvalid,
        $"Width and height must be between 1 and {ImageLimits.MaxDimension} pixels.", extensions: Reason("dimensions"));

    public static DomainException TooCostly(string detail) => new(ErrorCodes.ImageInvalid, detail, extensions: Reason("decode_cost"));

    public static DomainException Busy() => new(ErrorCodes.ServiceUnavailable, "Photo processing is at capacity; try again shortly.",
        extensions: new Dictionary<string, object> { ["retryAfterSeconds"] = ImageLimits.BusyRetryAfterSeconds });

    private static Dictionary<string, object> Reason(string reason) => new() { ["reason"] = reason };
}
