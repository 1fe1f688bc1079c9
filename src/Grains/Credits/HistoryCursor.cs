using NeXChange.Paging;

namespace NeXChange.Credits;

/// <summary>The <c>before</c> cursor of history pages: the last entry id, bound to the user whose history it pages.</summary>
public static class HistoryCursor
{
    public static string Encode(Guid userId, long entryId) => Cursor.EncodeId(Scope(userId), entryId);

    public static long Decode(Guid userId, string cursor) => Cursor.DecodeId(Scope(userId), cursor);

    private static string Scope(Guid userId) => $"history:{userId}";
}
