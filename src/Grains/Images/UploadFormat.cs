namespace NeXChange.Images;

/// <summary>The upload formats SPEC.md 4.5 accepts, told apart by magic bytes only (the declared type is ignored).</summary>
public enum UploadFormat { Jpeg, Png, WebP }

public static class UploadFormats
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static UploadFormat? Sniff(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return UploadFormat.Jpeg;
        if (data.StartsWith(PngSignature)) return UploadFormat.Png;
        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8)) return UploadFormat.WebP;
        return null;
    }
}
