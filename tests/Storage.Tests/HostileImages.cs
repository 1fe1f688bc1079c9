using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace NeXChange.Storage.Tests;

/// <summary>
/// Files that are cheap to send and costly to decode, built on the spot (none is committed), and the byte-level
/// surgery that makes them.
/// </summary>
public static class HostileImages
{
    /// <summary>
    /// A progressive greyscale JPEG: a DC scan, then <paramref name="acScans"/> AC scans that each code every block as
    /// one end-of-band run, a few bytes a scan. The decoder still visits every block in every scan, so the decode costs
    /// scans times pixels: 60,000 scans of 4000x4000 are 1.5 MB and minutes of one core.
    /// </summary>
    public static byte[] ProgressiveJpeg(int width, int height, int acScans)
    {
        var jpeg = new List<byte> { 0xFF, 0xD8 };
        void Segment(byte marker, params byte[] body)
        {
            jpeg.AddRange([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2)]);
            jpeg.AddRange(body);
        }
        Segment(0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        Segment(0xC2, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0);
        // DC table: one code "0" for difference category 0. AC table: 4-bit codes 0..14 for end-of-band runs of class
        // 0..14 (EOBRUN of 2^k plus k extra bits), the only symbols these scans use.
        Segment(0xC4, [0x00, 1, .. new byte[15], 0x00]);
        Segment(0xC4, [0x10, 0, 0, 0, 15, .. new byte[12], .. Enumerable.Range(0, 15).Select(k => (byte)(k << 4))]);
        var blocks = ((width + 7) / 8) * ((height + 7) / 8);

        Segment(0xDA, 1, 1, 0x00, 0, 0, 0);
        jpeg.AddRange(new byte[(blocks + 7) / 8]); // one "0" bit a block: every DC difference is 0

        var bits = new BitWriter();
        for (var left = blocks; left > 0;)
        {
            var run = Math.Min(left, 32767);
            var kind = 31 - int.LeadingZeroCount(run);
            bits.Write(kind, 4);
            bits.Write(run - (1 << kind), kind);
            left -= run;
        }
        var acScan = bits.ToEntropyCodedBytes();
        for (var i = 0; i < acScans; i++)
        {
            Segment(0xDA, 1, 1, 0x00, 1, 63, 0);
            jpeg.AddRange(acScan);
        }
        jpeg.AddRange([0xFF, 0xD9]);
        return [.. jpeg];
    }

    /// <summary>The JPEG with <paramref name="count"/> empty comment segments after its SOI.</summary>
    public static byte[] JpegWithComments(byte[] jpeg, int count) =>
        [.. jpeg[..2], .. Enumerable.Repeat<byte[]>([0xFF, 0xFE, 0x00, 0x02], count).SelectMany(c => c), .. jpeg[2..]];

    /// <summary>The PNG with the chunks inserted right after IHDR, each with its CRC.</summary>
    public static byte[] PngWithChunks(byte[] png, IEnumerable<(string Type, byte[] Body)> chunks)
    {
        const int afterIhdr = 8 + 12 + 13;
        var inserted = new List<byte>();
        foreach (var (type, body) in chunks)
        {
            var typed = Encoding.ASCII.GetBytes(type).Concat(body).ToArray();
            inserted.AddRange(BigEndian((uint)body.Length));
            inserted.AddRange(typed);
            inserted.AddRange(BigEndian(Crc32(typed)));
        }
        return [.. png[..afterIhdr], .. inserted, .. png[afterIhdr..]];
    }

    /// <summary>A zTXt, iTXt or iCCP chunk body whose zlib stream inflates to <paramref name="megabytes"/> MB of zeros.</summary>
    public static byte[] CompressedMetadata(string type, int megabytes)
    {
        var zlib = new MemoryStream();
        using (var compressor = new ZLibStream(zlib, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < megabytes; i++) compressor.Write(zeros);
        }
        byte[] prefix = type == "iTXt" ? [.. "Comment"u8, 0, 1, 0, 0, 0] : [.. "Comment"u8, 0, 0];
        return [.. prefix, .. zlib.ToArray()];
    }

    /// <summary>A simple lossy WebP turned extended: a VP8X chunk with the flags and canvas size before its image.</summary>
    public static byte[] WebPWithCanvas(byte[] webp, byte flags, int width, int height)
    {
        byte[] vp8x = [.. "VP8X"u8, 10, 0, 0, 0, flags, 0, 0, 0, .. UInt24(width - 1), .. UInt24(height - 1)];
        byte[] extended = [.. webp[..12], .. vp8x, .. webp[12..]];
        BinaryPrimitives.WriteUInt32LittleEndian(extended.AsSpan(4), (uint)(extended.Length - 8));
        return extended;
    }

    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] UInt24(int value) => [(byte)value, (byte)(value >> 8), (byte)(value >> 16)];

    /// <summary>Most significant bit first, padded with 1 bits and with every 0xFF byte stuffed, as T.81 F.1.2.3 says.</summary>
    private sealed class BitWriter
    {
        private readonly List<bool> bits = [];

        public void Write(int value, int count)
        {
            for (var i = count - 1; i >= 0; i--) bits.Add(((value >> i) & 1) == 1);
        }

        public byte[] ToEntropyCodedBytes()
        {
            var bytes = new List<byte>();
            for (var i = 0; i < bits.Count; i += 8)
            {
                var value = 0;
                for (var j = 0; j < 8; j++) value = (value << 1) | (i + j >= bits.Count || bits[i + j] ? 1 : 0);
                bytes.Add((byte)value);
                if (value == 0xFF) bytes.Add(0x00);
            }
            return [.. bytes];
        }
    }
}
