using NeXChange.Errors;

namespace NeXChange.Api.Endpoints;

/// <summary>Reading an uploaded image from multipart; its content is checked by the image pipeline in the silo.</summary>
public static class Uploads
{
    public const long MaxImageBytes = 10 * 1024 * 1024;

    public static async Task<byte[]> ReadImage(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null) throw DomainException.Validation("file", FieldCodes.Required, "A multipart field 'file' is required.");
        // Refused before it is copied: the silo would refuse it anyway (SPEC.md 4.5 step 1).
        if (file.Length > MaxImageBytes) throw new DomainException(ErrorCodes.PayloadTooLarge, "An image has at most 10 MB.");
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
