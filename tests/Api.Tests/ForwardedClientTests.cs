using System.Globalization;
using System.Net;

namespace NeXChange.Api.Tests;

/// <summary>The test client's own address (127.0.0.1) is the one proxy X-Forwarded-For is believed from.</summary>
public sealed class TrustedProxyFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ForwardedHeaders:TrustedProxies:0"] = "127.0.0.1",
        ["RateLimits:Api:Limit"] = "2",
    };
}

/// <summary>Anonymous requests counted per client network: which client a request comes from decides its window.</summary>
public static class ForwardedRequests
{
    public static async Task<(HttpStatusCode Status, int Remaining)> Categories(this ApiFixture api, string? forwardedFor)
    {
        using var client = api.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/categories");
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        var response = await client.SendAsync(request);
        return (response.StatusCode, int.Parse(response.Headers.GetValues("RateLimit-Remaining").Single(), CultureInfo.InvariantCulture));
    }
}

/// <summary>By default no proxy is trusted: whatever X-Forwarded-For says, the connection's address is the client.</summary>
public sealed class UntrustedForwardingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task forwarded_addresses_from_an_unconfigured_proxy_share_the_connections_window()
    {
        var (_, first) = await api.Categories("203.0.113.1");
        var (_, second) = await api.Categories("203.0.113.2");
        var (_, third) = await api.Categories(null);
        Assert.Equal(first - 1, second);
        Assert.Equal(second - 1, third);
    }
}

/// <summary>Behind a configured proxy the forwarded client is counted, an IPv6 client per /64 (SPEC.md 3.12).</summary>
public sealed class TrustedProxyTests(TrustedProxyFixture api) : IClassFixture<TrustedProxyFixture>
{
    [Fact]
    public async Task a_configured_proxy_forwards_the_client_and_cannot_be_spoofed_past()
    {
        Assert.Equal((HttpStatusCode.OK, 1), await api.Categories("203.0.113.7"));
        // The rightmost entry is what the trusted proxy saw; anything the client wrote to its left is ignored.
        Assert.Equal((HttpStatusCode.OK, 0), await api.Categories("198.51.100.9, 203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await api.Categories("198.51.100.10, 203.0.113.7")).Status);
        Assert.Equal((HttpStatusCode.OK, 1), await api.Categories("203.0.113.8"));
    }

    [Fact]
    public async Task ipv6_clients_in_one_64_share_a_window()
    {
        Assert.Equal((HttpStatusCode.OK, 1), await api.Categories("2001:db8:5:6::1"));
        Assert.Equal((HttpStatusCode.OK, 0), await api.Categories("2001:db8:5:6:ffff:ffff:ffff:fffe"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await api.Categories("2001:db8:5:6:1234::42")).Status);
        Assert.Equal((HttpStatusCode.OK, 1), await api.Categories("2001:db8:5:7::1"));
    }
}
