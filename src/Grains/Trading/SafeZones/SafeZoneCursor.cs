using System.Buffers.Binary;
using NeXChange.Paging;

namespace NeXChange.Trading.SafeZones;

/// <summary>A place in the admin list of safe zones, which pages newest first (created_at desc, id desc).</summary>
public sealed record SafeZonePosition(DateTimeOffset CreatedAt, Guid Id);

/// <summary>The <c>before</c> cursor of that list: the last zone's creation time (UTC ticks) and id.</summary>
public static class SafeZoneCursor
{
    private const string Scope = "safe-zones";
    private const int Length = 8 + 16;

    public static string Encode(SafeZonePosition position)
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, position.CreatedAt.UtcTicks);
        position.Id.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return Cursor.Encode(Scope, bytes);
    }

    public static SafeZonePosition Decode(string cursor)
    {
        var bytes = Cursor.Decode(Scope, cursor, Length);
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks) throw Cursor.Invalid();
        return new SafeZonePosition(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes.AsSpan(8), bigEndian: true));
    }
}
