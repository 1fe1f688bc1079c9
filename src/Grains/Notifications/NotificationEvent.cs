using System.Security.Cryptography;
using System.Text;

namespace NeXChange.Notifications;

/// <summary>
/// One event to publish (SPEC.md 6.10): its <see cref="EventId"/> is stable across retries of the same event, so
/// a replay never adds a second entry nor a second email. <see cref="Data"/> is a small flat object the client shows
/// (strings, integers, booleans): display names, item titles, amounts, reason codes; never another user's private data.
/// </summary>
public sealed record NotificationEvent(Guid EventId, string Type, IReadOnlyList<Guid> Recipients, Guid? TradeId,
    Guid? ItemId, IReadOnlyDictionary<string, object?> Data)
{
    private static readonly byte[] Namespace = Encoding.UTF8.GetBytes("nexchange:notification:");

    /// <summary>
    /// A deterministic event id for a stable key such as <c>trade:{id}:offer_received</c>: the first 16 bytes of
    /// SHA-256(namespace + key) marked as an RFC 9562 version 8 (name-based, custom hash) UUID.
    /// </summary>
    public static Guid IdFor(string stableKey)
    {
        var hash = SHA256.HashData([.. Namespace, .. Encoding.UTF8.GetBytes(stableKey)]);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
