using NeXChange.Storage;

namespace NeXChange.Api.Endpoints;

/// <summary>
/// Blobs of the store (SPEC.md 4.5): public objects under /media/{key} with long, immutable caching (keys are
/// content-addressed, so an object never changes); private ones only under /media/private/{key} with a valid,
/// unexpired signature. Anything else is 404, never a hint whether the object exists.
/// </summary>
public static class Media
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var media = app.MapGroup("/media").WithTags("Media").ExcludeFromDescription();
        media.MapGet("/private/{**key}", Private);
        media.MapGet("/{**key}", Public);
    }

    private static Task<IResult> Public(string key, IBlobStore blobs, HttpContext http) =>
        key.StartsWith("private/", StringComparison.Ordinal) || !BlobKey.IsValid(key)
            ? Task.FromResult(Results.NotFound())
            : Serve(blobs, key, http, "public, max-age=31536000, immutable");

    private static Task<IResult> Private(string key, long? expires, string? sig, IBlobStore blobs, HttpContext http)
    {
        var fullKey = $"private/{key}";
        if (!BlobKey.IsValid(fullKey) || expires is null || sig is null || !blobs.VerifySignature(fullKey, expires.Value, sig))
            return Task.FromResult(Results.NotFound());
        return Serve(blobs, fullKey, http, "private, no-store");
    }

    private static async Task<IResult> Serve(IBlobStore blobs, string key, HttpContext http, string cacheControl)
    {
        var blob = await blobs.GetAsync(key, http.RequestAborted);
        if (blob is null) return Results.NotFound();
        http.Response.RegisterForDisposeAsync(blob);
        http.Response.Headers.CacheControl = cacheControl;
        // The key names the content (its SHA-256 is in it), so it is a strong validator.
        http.Response.Headers.ETag = $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..32]}\"";
        return Results.Stream(blob.Content, blob.ContentType);
    }
}
