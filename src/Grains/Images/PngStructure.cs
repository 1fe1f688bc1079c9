using System.Buffers.Binary;
using System.IO.Compression;

namespace NeXChange.Images;

/// <summary>
/// Walks a PNG's chunks: IHDR first, IEND last and at the very end of the file (a file cut short still loads as a
/// partial picture, and data after IEND is how polyglots ride along), a bounded number of chunks, and compressed
/// metadata that inflates to a bounded size. The size of each chunk is checked against the file before it is read.
/// </summary>
internal static class PngStructure
{
    private const int SignatureLength = 8, ChunkOverhead = 12; // length, type, CRC

    public static ImageHeader Read(ReadOnlyMemory<byte> file)
    {
        var data = file.Span;
        ImageHeader? header = null;
        long inflated = 0;
        var at = SignatureLength;
        for (var chunks = 1; ; chunks++)
        {
            if (data.Length - at < ChunkOverhead) throw ImageRefusals.Truncated();
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
            if (length > data.Length - at - ChunkOverhead) throw ImageRefusals.Truncated();
            if (chunks > ImageLimits.MaxPngChunks)
                throw ImageRefusals.TooCostly($"The PNG has more than {ImageLimits.MaxPngChunks} chunks.");
            var type = data.Slice(at + 4, 4);
            var body = file.Slice(at + 8, (int)length);
            at += ChunkOverhead + (int)length;

            if (header is null)
            {
                if (!type.SequenceEqual("IHDR"u8) || length != 13) throw ImageRefusals.Invalid("The PNG does not start with its header.");
                header = ImageHeader.Checked(
                    width: BinaryPrimitives.ReadUInt32BigEndian(body.Span),
                    height: BinaryPrimitives.ReadUInt32BigEndian(body.Span[4..]));
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                return at == data.Length ? header.Value : throw ImageRefusals.Truncated();
            }
            else if (CompressedPart(type, body) is { } compressed)
            {
                inflated += InflatedLength(compressed, ImageLimits.MaxPngMetadataBytes - inflated);
                if (inflated > ImageLimits.MaxPngMetadataBytes)
                    throw ImageRefusals.TooCostly($"The PNG's metadata inflates to more than {ImageLimits.MaxPngMetadataBytes} bytes.");
            }
        }
    }

    /// <summary>The zlib stream of a zTXt, a compressed iTXt or an iCCP chunk (PNG 11.3.3–11.3.4); null for others.</summary>
    private static ReadOnlyMemory<byte>? CompressedPart(ReadOnlySpan<byte> type, ReadOnlyMemory<byte> body)
    {
        var keywordEnd = body.Span.IndexOf((byte)0);
        if (keywordEnd < 0) return null;
        // zTXt and iCCP: keyword, 0, method, data. iTXt: keyword, 0, flag, method, language, 0, keyword, 0, text.
        if (type.SequenceEqual("zTXt"u8) || type.SequenceEqual("iCCP"u8)) return body[Math.Min(body.Length, keywordEnd + 2)..];
        if (!type.SequenceEqual("iTXt"u8) || body.Length < keywordEnd + 3 || body.Span[keywordEnd + 1] != 1) return null;
        var rest = body[(keywordEnd + 3)..];
        var language = rest.Span.IndexOf((byte)0);
        var translated = language < 0 ? -1 : rest.Span[(language + 1)..].IndexOf((byte)0);
        return translated < 0 ? null : rest[(language + translated + 2)..];
    }

    /// <summary>
    /// How many bytes the zlib stream inflates to, reading no further than one byte past <paramref name="budget"/>.
    /// A stream that does not inflate counts as what it gave before failing: the decoder skips it the same way.
    /// </summary>
    private static long InflatedLength(ReadOnlyMemory<byte> compressed, long budget)
    {
        using var zlib = new ZLibStream(compressed.AsStream(), CompressionMode.Decompress);
        var buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            int read;
            while (total <= budget && (read = zlib.Read(buffer)) > 0) total += read;
        }
        catch (InvalidDataException)
        {
            // Counted up to where it broke; whether a broken chunk matters is the decoder's call.
        }
        return total;
    }
}
