using System.Runtime.InteropServices;

namespace NeXChange.Images;

internal static class MemoryStreams
{
    /// <summary>A read-only stream over the bytes, without a copy when they live in an array.</summary>
    public static MemoryStream AsStream(this ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
}
