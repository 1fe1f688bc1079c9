using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeXChange.Api.RateLimiting;
using StackExchange.Redis;

namespace NeXChange.Api.Tests;

/// <summary>With Redis unreachable the api class lets requests through and the auth classes refuse with 503 (SPEC.md 3.12).</summary>
public sealed class RateLimitFailureTests
{
    private static async Task<(int Status, bool Reached)> Run(string? className)
    {
        var options = ConfigurationOptions.Parse("127.0.0.1:1");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 200;
        options.AsyncTimeout = 500;
        options.ConnectRetry = 0;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        await using var deadRedis = await ConnectionMultiplexer.ConnectAsync(options);
        var limits = RateLimitOptions.From(new ConfigurationBuilder().Build());
        var reached = false;
        var middleware = new RateLimitMiddleware(_ => { reached = true; return Task.CompletedTask; },
            new SlidingWindow(deadRedis, limits, TimeProvider.System), limits, Options.Create(new JsonOptions()), NullLogger<RateLimitMiddleware>.Instance);

        var context = new DefaultHttpContext();
        context.Request.Path = "/api/v1/auth/login";
        context.Request.Body = new MemoryStream("{\"email\":\"a@b.org\"}"u8.ToArray());
        context.Response.Body = new MemoryStream();
        var metadata = className is null ? new EndpointMetadataCollection() : new EndpointMetadataCollection(new RateLimitedAs(className));
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, metadata, "test"));
        await middleware.InvokeAsync(context);
        return (context.Response.StatusCode, reached);
    }

    [Fact]
    public async Task the_api_class_fails_open() => Assert.Equal((200, true), await Run(null));

    [Theory]
    [InlineData(RateLimitOptions.Login)]
    [InlineData(RateLimitOptions.Register)]
    [InlineData(RateLimitOptions.PasswordReset)]
    public async Task the_auth_classes_fail_closed_with_503(string className) => Assert.Equal((503, false), await Run(className));
}
