using System.Net;
using System.Net.Sockets;

namespace NeXChange.Api.RateLimiting;

/// <summary>
/// The network a rate limit counts a client by: one IPv4 address, or one IPv6 /64. An IPv6 client is normally
/// given a whole /64 (SLAAC, privacy addresses) and could otherwise take a fresh bucket for every request.
/// </summary>
public static class ClientNetwork
{
    public static string Of(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        bytes.AsSpan(8).Clear();
        return $"{new IPAddress(bytes)}/64";
    }
}
