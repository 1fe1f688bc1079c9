using System.Buffers.Binary;

namespace NeXChange.Images;

/// <summary>
/// Walks a WebP's RIFF chunks: the RIFF size must be the file's (a file cut short still loads as a partial picture),
/// each chunk must fit, and there is one still image whose VP8 or VP8L size equals the VP8X canvas when there is one.
/// </summary>
internal static class WebPStructure
{
    private const int RiffHeaderLength = 12, ChunkHeaderLength = 8;
    private const byte AnimationFlag = 0x02;
    private static ReadOnlySpan<byte> Vp8StartCode => [0x9D, 0x01, 0x2A];

    public static ImageHeader Read(ReadOnlySpan<byte> data)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) + 8L != data.Length) throw ImageRefusals.Truncated();
        ImageHeader? canvas = null, image = null;
        var at = RiffHeaderLength;
        for (var chunks = 1; at < data.Length; chunks++)
        {
            if (data.Length - at < ChunkHeaderLength) throw ImageRefusals.Truncated();
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 4)..]);
            if (size > data.Length - at - ChunkHeaderLength) throw ImageRefusals.Truncated();
            if (chunks > ImageLimits.MaxWebPChunks)
                throw ImageRefusals.TooCostly($"The WebP has more than {ImageLimits.MaxWebPChunks} chunks.");
            var type = data.Slice(at, 4);
            var body = data.Slice(at + ChunkHeaderLength, (int)size);
            at += ChunkHeaderLength + (int)size + (int)(size & 1); // chunks are padded to an even length

            if (chunks == 1 && type.SequenceEqual("VP8X"u8)) canvas = Canvas(body);
            else if (type.SequenceEqual("VP8 "u8) || type.SequenceEqual("VP8L"u8))
            {
                if (image is not null) throw ImageRefusals.Invalid("The WebP holds more than one image.");
                image = type[3] == (byte)'L' ? Lossless(body) : Lossy(body);
                if (canvas is { } c && c != image) throw ImageRefusals.Invalid("The WebP image and canvas sizes differ.");
            }
            else if (chunks == 1) throw ImageRefusals.Invalid("The WebP does not start with an image header.");
        }
        return image ?? throw ImageRefusals.Invalid("The WebP holds no image.");
    }

    /// <summary>VP8X: flags, 3 reserved bytes, canvas width - 1 and height - 1 in 24 bits each.</summary>
    private static ImageHeader Canvas(ReadOnlySpan<byte> body)
    {
        if (body.Length < 10) throw ImageRefusals.Truncated();
        // ImageSharp 2.1 does not decode animations; refusing here spares the upload a turn in the queue.
        if ((body[0] & AnimationFlag) != 0) throw ImageRefusals.Invalid("Animated WebP images are not accepted.");
        return ImageHeader.Checked(1 + UInt24(body[4..]), 1 + UInt24(body[7..]));
    }

    /// <summary>VP8 key frame (RFC 6386 9.1): a 3-byte frame tag, the start code 9D 01 2A, 14-bit width and height.</summary>
    private static ImageHeader Lossy(ReadOnlySpan<byte> body)
    {
        if (body.Length < 10) throw ImageRefusals.Truncated();
        if ((body[0] & 1) != 0 || !body[3..6].SequenceEqual(Vp8StartCode))
            throw ImageRefusals.Invalid("The WebP image is not a VP8 key frame.");
        return ImageHeader.Checked(
            BinaryPrimitives.ReadUInt16LittleEndian(body[6..]) & 0x3FFF,
            BinaryPrimitives.ReadUInt16LittleEndian(body[8..]) & 0x3FFF);
    }

    /// <summary>VP8L: the signature 0x2F, then width - 1 and height - 1 in 14 bits each.</summary>
    private static ImageHeader Lossless(ReadOnlySpan<byte> body)
    {
        if (body.Length < 5) throw ImageRefusals.Truncated();
        if (body[0] != 0x2F) throw ImageRefusals.Invalid("The WebP lossless signature is missing.");
        var bits = BinaryPrimitives.ReadUInt32LittleEndian(body[1..]);
        return ImageHeader.Checked(1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF));
    }

    private static long UInt24(ReadOnlySpan<byte> bytes) => bytes[0] | (bytes[1] << 8) | (bytes[2] << 16);
}
