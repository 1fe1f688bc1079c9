using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NeXChange.Errors;

namespace NeXChange.Paging;

/// <summary>
/// Opaque keyset cursors (SPEC.md 9.4): the position in base64url plus a check value bound to the list's scope
/// (e.g. the caller). The check only has to catch tampering and cursors taken from another list; the queries are
/// always limited to what the caller may see, so a forged cursor could at most skip within the caller's own list.
/// </summary>
public static class Cursor
{
    private const int CheckLength = 8;

    public static string Encode(string scope, ReadOnlySpan<byte> position)
    {
        var bytes = new byte[position.Length + CheckLength];
        position.CopyTo(bytes);
        Check(scope, position).CopyTo(bytes, position.Length);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The position encoded for <paramref name="scope"/>, of exactly <paramref name="length"/> bytes, or invalid_cursor.</summary>
    public static byte[] Decode(string scope, string cursor, int length)
    {
        var bytes = FromBase64Url(cursor);
        if (bytes is null || bytes.Length != length + CheckLength) throw Invalid();
        var position = bytes[..length];
        if (!CryptographicOperations.FixedTimeEquals(bytes.AsSpan(length), Check(scope, position))) throw Invalid();
        return position;
    }

    /// <summary>A position that is one row id of an identity column (always positive).</summary>
    public static string EncodeId(string scope, long id)
    {
        Span<byte> position = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(position, id);
        return Encode(scope, position);
    }

    /// <summary>The row id encoded by <see cref="EncodeId"/> for <paramref name="scope"/>, or invalid_cursor.</summary>
    public static long DecodeId(string scope, string cursor)
    {
        var id = BinaryPrimitives.ReadInt64BigEndian(Decode(scope, cursor, 8));
        return id > 0 ? id : throw Invalid();
    }

    /// <summary>A position that is a timestamp and a row id, for lists ordered by (time, id).</summary>
    public static string EncodeTimeAndId(string scope, DateTimeOffset at, Guid id) =>
        Encode(scope, [.. BitConverter.GetBytes(at.UtcTicks), .. id.ToByteArray(bigEndian: true)]);

    /// <summary>The position encoded by <see cref="EncodeTimeAndId"/> for <paramref name="scope"/>, or invalid_cursor.</summary>
    public static (DateTimeOffset At, Guid Id) DecodeTimeAndId(string scope, string cursor)
    {
        var position = Decode(scope, cursor, 24);
        var ticks = BitConverter.ToInt64(position, 0);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks) throw Invalid();
        return (new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(position.AsSpan(8, 16), bigEndian: true));
    }

    public static DomainException Invalid() => new(ErrorCodes.InvalidCursor, "The cursor is not valid.");

    private static byte[] Check(string scope, ReadOnlySpan<byte> position)
    {
        var scopeBytes = Encoding.UTF8.GetBytes(scope);
        var input = new byte[scopeBytes.Length + 1 + position.Length];
        scopeBytes.CopyTo(input, 0);
        position.CopyTo(input.AsSpan(scopeBytes.Length + 1));
        return SHA256.HashData(input)[..CheckLength];
    }

    private static byte[]? FromBase64Url(string text)
    {
        if (text.Length is 0 or > 128 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))) return null;
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
