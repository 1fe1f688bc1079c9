namespace NeXChange.Storage;

/// <summary>Content types of the extensions the project stores (photos, verification documents, data-export archives).</summary>
public static class ContentTypes
{
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string WebP = "image/webp";
    public const string Pdf = "application/pdf";
    public const string Zip = "application/zip";
    public const string Binary = "application/octet-stream";

    public static string FromKey(string key) => Path.GetExtension(key).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => Jpeg,
        ".png" => Png,
        ".webp" => WebP,
        ".pdf" => Pdf,
        ".zip" => Zip,
        _ => Binary,
    };
}
