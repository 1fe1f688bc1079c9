using System.Buffers.Binary;
using NeXChange.Paging;

namespace NeXChange.Credits;

/// <summary>The <c>before</c> cursor of history pages: the last entry id, bound to the user whose history it pages.</summary>
public static class HistoryCursor
{
    public static string Encode(Guid userId, long entryId)
    {
        Span<byte> position = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(position, entryId);
        return Cursor.Encode(Scope(userId), position);
    }

    public static long Decode(Guid userId, string cursor)
    {
        var entryId = BinaryPrimitives.ReadInt64BigEndian(Cursor.Decode(Scope(userId), cursor, 8));
        return entryId > 0 ? entryId : throw Cursor.Invalid();
    }

    private static string Scope(Guid userId) => $"history:{userId}";
}
