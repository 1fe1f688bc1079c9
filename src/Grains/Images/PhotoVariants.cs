namespace NeXChange.Images;

/// <summary>The variant names and formats of SPEC.md 4.5; they are part of every stored key and URL.</summary>
public static class PhotoVariants
{
    public const string Master = "master";
    public const string Thumb = "thumb";
    public const string W400 = "w400";
    public const string W800 = "w800";

    public const int ThumbSize = 150;

    /// <summary>Every stored (variant, format) pair: master as JPEG only, the others as JPEG and WebP.</summary>
    public static readonly IReadOnlyList<(string Variant, PhotoFormat Format)> All =
    [
        (Master, PhotoFormat.Jpeg),
        (Thumb, PhotoFormat.Jpeg), (Thumb, PhotoFormat.WebP),
        (W400, PhotoFormat.Jpeg), (W400, PhotoFormat.WebP),
        (W800, PhotoFormat.Jpeg), (W800, PhotoFormat.WebP),
    ];
}

public enum PhotoFormat { Jpeg, WebP }

public static class PhotoFormatExtensions
{
    public static string Extension(this PhotoFormat format) => format == PhotoFormat.Jpeg ? "jpg" : "webp";
    public static string ContentType(this PhotoFormat format) =>
        format == PhotoFormat.Jpeg ? Storage.ContentTypes.Jpeg : Storage.ContentTypes.WebP;
}

/// <summary>One encoded output of the pipeline.</summary>
public sealed record PhotoVariant(string Name, PhotoFormat Format, int Width, int Height, byte[] Bytes);

/// <summary>What the pipeline made of an upload; <see cref="Sha256"/> is of the master JPEG and names the photo.</summary>
public sealed record ProcessedPhoto(string Sha256, int Width, int Height, IReadOnlyList<PhotoVariant> Variants);
