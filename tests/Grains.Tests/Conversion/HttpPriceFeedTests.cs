using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NeXChange.Conversion;

namespace NeXChange.Grains.Tests.Conversion;

/// <summary>The production feed adapter against a real local HTTP server that answers what each test tells it to.</summary>
public sealed class HttpPriceFeedTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly HttpListener listener = new();
    private readonly Uri url;
    private readonly FakeTimeProvider clock = new(Now);
    private readonly TaskCompletionSource hang = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HttpPriceFeedTests()
    {
        var port = FreePort();
        url = new Uri($"http://127.0.0.1:{port}/price/");
        listener.Prefixes.Add(url.ToString());
        listener.Start();
    }

    public void Dispose()
    {
        hang.TrySetResult();
        listener.Close();
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>Reads once while the server answers the next request with <paramref name="status"/> and <paramref name="body"/>.</summary>
    private async Task<PriceObservation?> ReadAnswering(int status, string body, bool hangFirst = false)
    {
        // Generous unless the timeout is what is tested: a garbage answer must be refused for being garbage, not for being late.
        var timeout = TimeSpan.FromSeconds(hangFirst ? 2 : 60);
        var feed = new HttpPriceFeed(new HttpClient { Timeout = timeout }, url, clock, NullLogger<HttpPriceFeed>.Instance);
        var serve = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            if (hangFirst) await hang.Task;
            context.Response.StatusCode = status;
            var bytes = Encoding.UTF8.GetBytes(body);
            try
            {
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client gave up first (the timeout case).
            }
        });
        var reading = await feed.ReadAsync(CancellationToken.None);
        hang.TrySetResult();
        await serve;
        return reading;
    }

    [Fact]
    public async Task a_well_formed_answer_is_a_reading()
    {
        var reading = await ReadAnswering(200, """{"midMinorPerBtc":10000000,"observedAt":"2026-06-01T11:59:50.000Z"}""");
        Assert.Equal(new PriceObservation(10_000_000, Now.AddSeconds(-10)), reading);
    }

    [Fact]
    public async Task an_observation_from_the_future_counts_as_observed_now()
    {
        var reading = await ReadAnswering(200, """{"midMinorPerBtc":10000000,"observedAt":"2026-06-01T13:00:00Z"}""");
        Assert.Equal(Now, reading!.ObservedAt);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"midMinorPerBtc":10000000}""")]
    [InlineData("""{"observedAt":"2026-06-01T11:59:50Z"}""")]
    [InlineData("""{"midMinorPerBtc":10000000.5,"observedAt":"2026-06-01T11:59:50Z"}""")]
    [InlineData("""{"midMinorPerBtc":"10000000","observedAt":"2026-06-01T11:59:50Z"}""")]
    [InlineData("""{"midMinorPerBtc":0,"observedAt":"2026-06-01T11:59:50Z"}""")]
    [InlineData("""{"midMinorPerBtc":-5,"observedAt":"2026-06-01T11:59:50Z"}""")]
    [InlineData("""{"midMinorPerBtc":100000000000001,"observedAt":"2026-06-01T11:59:50Z"}""")]
    [InlineData("""{"midMinorPerBtc":10000000,"observedAt":"yesterday"}""")]
    public async Task garbage_is_no_reading(string body) => Assert.Null(await ReadAnswering(200, body));

    [Fact]
    public async Task an_error_status_is_no_reading() =>
        Assert.Null(await ReadAnswering(503, """{"midMinorPerBtc":10000000,"observedAt":"2026-06-01T11:59:50Z"}"""));

    [Fact]
    public async Task a_source_slower_than_the_timeout_is_no_reading() =>
        Assert.Null(await ReadAnswering(200, """{"midMinorPerBtc":10000000,"observedAt":"2026-06-01T11:59:50Z"}""", hangFirst: true));

    [Fact]
    public async Task a_source_nobody_listens_on_is_no_reading()
    {
        var feed = new HttpPriceFeed(new HttpClient { Timeout = TimeSpan.FromSeconds(1) }, new Uri($"http://127.0.0.1:{FreePort()}/"), clock,
            NullLogger<HttpPriceFeed>.Instance);
        Assert.Null(await feed.ReadAsync(CancellationToken.None));
    }
}
