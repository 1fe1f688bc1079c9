namespace NeXChange.Images;

/// <summary>The upload formats SPEC.md 4.5 accepts, told apart by magic bytes only (the declared type is ignored).</summary>
public enum UploadFormat { Jpeg, Png, WebP }

public static class UploadFormats
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    // The last chunk of every PNG: length 0, type IEND, its fixed CRC.
    private static ReadOnlySpan<byte> PngIend => [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82];

    public static UploadFormat? Sniff(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return UploadFormat.Jpeg;
        if (data.StartsWith(PngSignature)) return UploadFormat.Png;
        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8)) return UploadFormat.WebP;
        return null;
    }

    /// <summary>
    /// Whether the file ends where its format says it ends. ImageSharp loads a file cut short as a partial image, and
    /// data after the end marker is how polyglots (JPEG + zip, PNG + HTML) ride along, so both are refused.
    /// </summary>
    public static bool IsComplete(UploadFormat format, ReadOnlySpan<byte> data) => format switch
    {
        UploadFormat.Jpeg => data.Length >= 4 && data[^2] == 0xFF && data[^1] == 0xD9,
        UploadFormat.Png => data.Length >= PngSignature.Length + PngIend.Length && data.EndsWith(PngIend),
        UploadFormat.WebP => data.Length >= 12 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[4..8]) + 8L == data.Length,
        _ => false,
    };
}
