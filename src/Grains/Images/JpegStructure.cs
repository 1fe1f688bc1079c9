using System.Buffers.Binary;

namespace NeXChange.Images;

/// <summary>
/// Walks a JPEG's markers (ITU T.81 B.1): one frame header, then scans whose entropy-coded data runs to the next
/// marker that is neither a stuffed 0xFF00 nor a restart. Counting scans here is what bounds a progressive decode.
/// </summary>
internal static class JpegStructure
{
    private const byte Soi = 0xD8, Eoi = 0xD9, Sos = 0xDA, Tem = 0x01;

    public static ImageHeader Read(ReadOnlySpan<byte> data, int maxScans)
    {
        ImageHeader? frame = null;
        int scans = 0, segments = 0, at = 2;
        while (true)
        {
            // Like libjpeg, step over stray bytes between segments (some cameras pad after APPn) and fill bytes.
            var next = data[at..].IndexOf((byte)0xFF);
            if (next < 0) throw ImageRefusals.Truncated();
            at += next;
            while (at < data.Length && data[at] == 0xFF) at++;
            if (at >= data.Length) throw ImageRefusals.Truncated();
            var marker = data[at++];
            if (marker == Eoi) break;
            if (marker is Tem or (>= 0xD0 and <= 0xD7)) continue; // no length; restarts outside a scan are harmless
            if (marker is 0x00 or Soi) throw ImageRefusals.Invalid("The JPEG marker stream is malformed.");

            if (data.Length - at < 2) throw ImageRefusals.Truncated();
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
            if (length < 2 || length > data.Length - at) throw ImageRefusals.Truncated();
            var segment = data.Slice(at + 2, length - 2);
            at += length;
            if (marker == Sos)
            {
                if (frame is null) throw ImageRefusals.Invalid("The JPEG has a scan before its frame header.");
                if (++scans > maxScans) throw ImageRefusals.TooCostly($"The JPEG has more than {maxScans} scans.");
                at = EndOfEntropyData(data, at);
                continue;
            }
            if (++segments > ImageLimits.MaxJpegSegments)
                throw ImageRefusals.TooCostly($"The JPEG has more than {ImageLimits.MaxJpegSegments} segments.");
            if (IsFrameHeader(marker))
            {
                if (frame is not null) throw ImageRefusals.Invalid("The JPEG has more than one frame.");
                frame = Frame(segment);
            }
        }
        if (frame is not { } header || scans == 0) throw ImageRefusals.Invalid("The JPEG has no image data.");
        // Data after the first EOI (never decoded) is allowed when the file still ends with an EOI, as multi-picture
        // files do (the primary image, then e.g. a gain map); a file ending otherwise is how polyglots (JPEG + zip)
        // ride along.
        if (!data.EndsWith([(byte)0xFF, Eoi])) throw ImageRefusals.Invalid("The file has data after its end.");
        return header;
    }

    /// <summary>SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.</summary>
    private static bool IsFrameHeader(byte marker) => marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    private static ImageHeader Frame(ReadOnlySpan<byte> segment)
    {
        if (segment.Length < 6) throw ImageRefusals.Truncated();
        // Grey, YCbCr/RGB and CMYK/YCCK; a frame of up to 255 components would multiply the pixel budget.
        var components = segment[5];
        if (components is not (1 or 3 or 4) || segment.Length < 6 + 3 * components)
            throw ImageRefusals.Invalid("The JPEG frame header is malformed.");
        return ImageHeader.Checked(
            width: BinaryPrimitives.ReadUInt16BigEndian(segment[3..]),
            height: BinaryPrimitives.ReadUInt16BigEndian(segment[1..]));
    }

    /// <summary>Where the marker after a scan's entropy-coded data starts.</summary>
    private static int EndOfEntropyData(ReadOnlySpan<byte> data, int at)
    {
        while (true)
        {
            var next = data[at..].IndexOf((byte)0xFF);
            if (next < 0 || at + next + 1 >= data.Length) throw ImageRefusals.Truncated();
            at += next;
            var following = data[at + 1];
            if (following == 0xFF) at++; // a fill byte: the marker starts at the next 0xFF
            else if (following == 0x00 || following is >= 0xD0 and <= 0xD7) at += 2; // stuffed 0xFF, or a restart
            else return at;
        }
    }
}
