using System.Buffers.Binary;
using System.Security.Cryptography;
using NeXChange.Errors;

namespace NeXChange.Credits;

/// <summary>
/// The opaque <c>before</c> cursor of history pages: the last entry id plus a check value bound to the user, in
/// base64url. The check only has to catch tampering and cursors from another user's pages; a forged one could
/// at most page the caller's own entries, because the query is always limited to the caller's accounts.
/// </summary>
public static class HistoryCursor
{
    public static string Encode(Guid userId, long entryId)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, entryId);
        Check(userId, entryId).CopyTo(bytes, 8);
        return Base64Url(bytes);
    }

    public static long Decode(Guid userId, string cursor)
    {
        var bytes = FromBase64Url(cursor);
        if (bytes is not { Length: 16 }) throw Invalid();
        var entryId = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (entryId <= 0 || !CryptographicOperations.FixedTimeEquals(bytes.AsSpan(8), Check(userId, entryId))) throw Invalid();
        return entryId;
    }

    private static byte[] Check(Guid userId, long entryId)
    {
        var input = new byte[24];
        userId.TryWriteBytes(input);
        BinaryPrimitives.WriteInt64BigEndian(input.AsSpan(16), entryId);
        return SHA256.HashData(input)[..8];
    }

    private static DomainException Invalid() => new(ErrorCodes.InvalidCursor, "The cursor is not valid.");

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        if (text.Length is 0 or > 64 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))) return null;
        var padded = text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - text.Length % 4) % 4);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
