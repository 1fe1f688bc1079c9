using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace NeXChange.Api.Hosting;

/// <summary>
/// X-Forwarded-For is believed only from the proxies named in <c>ForwardedHeaders:TrustedProxies</c> (addresses or
/// CIDR networks; none by default). Anyone else could name any address there and get a fresh rate-limit bucket per
/// request. ASP.NET Core trusts loopback by default, so the defaults are cleared.
/// </summary>
public static class TrustedProxies
{
    public const string Setting = "ForwardedHeaders:TrustedProxies";

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var networks = configuration.GetSection(Setting).GetChildren().Select(c => Parse(c.Path, c.Value)).ToList();
        return services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var network in networks) o.KnownIPNetworks.Add(network);
            // A chain of trusted proxies is walked from the right; the first address no trusted proxy vouches for is the client.
            o.ForwardLimit = null;
        });
    }

    /// <summary>
    /// Forwarded headers are applied only when some proxy is configured: with no known proxy at all, ASP.NET Core's
    /// middleware believes every sender.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.KnownIPNetworks.Count > 0
            ? app.UseForwardedHeaders()
            : app;

    private static IPNetwork Parse(string setting, string? value)
    {
        if (IPNetwork.TryParse(value, out var network)) return network;
        if (IPAddress.TryParse(value, out var address))
            return new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32);
        throw new InvalidOperationException($"Setting '{setting}' must be an IP address or a CIDR network such as 10.0.0.0/8, not '{value}'.");
    }
}
