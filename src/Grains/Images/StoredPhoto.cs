using NeXChange.Items;

namespace NeXChange.Images;

/// <summary>
/// A photo in the blob store, as records keep it: the key of each variant is <c>{KeyPrefix}/{variant}.{ext}</c>
/// (<see cref="KeyOf"/>), so only the prefix is persisted.
/// </summary>
[GenerateSerializer, Alias("NeXChange.StoredPhoto")]
public sealed record StoredPhoto(
    [property: Id(0)] string Sha256,
    [property: Id(1)] int Width,
    [property: Id(2)] int Height,
    [property: Id(3)] string KeyPrefix)
{
    public string KeyOf(string variant, PhotoFormat format) => $"{KeyPrefix}/{variant}.{format.Extension()}";

    /// <summary>Every blob of the photo (what a delete removes and what orphan cleanup must find referenced).</summary>
    public IEnumerable<string> Keys => PhotoVariants.All.Select(v => KeyOf(v.Variant, v.Format));
}

/// <summary>The photo object's URL members of SPEC.md 4.5: <c>urls</c> and <c>webpUrls</c> (there is no WebP master).</summary>
[GenerateSerializer, Alias("NeXChange.PhotoLinks")]
public sealed record PhotoLinks([property: Id(0)] PhotoUrls Urls, [property: Id(1)] WebpUrls WebpUrls);
