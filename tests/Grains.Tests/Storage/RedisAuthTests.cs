using NeXChange.TestSupport;
using StackExchange.Redis;

namespace NeXChange.Grains.Tests.Storage;

/// <summary>
/// Redis holds refresh sessions, idempotency records and cluster membership: a local client that lacks the generated
/// password (deploy/lib.sh starts Redis with requirepass) must get nothing from it.
/// </summary>
public sealed class RedisAuthTests
{
    [Fact]
    public async Task a_connection_without_the_password_is_refused()
    {
        var options = ConfigurationOptions.Parse(TestEnvironment.Redis);
        Assert.False(string.IsNullOrEmpty(options.Password), "the test Redis address carries no password");
        options.Password = null;
        options.AbortOnConnectFail = true;

        var refused = await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync(options));

        // Not "unable to connect": the server answered, and refused the client for want of the password.
        Assert.Equal(ConnectionFailureType.AuthenticationFailure, refused.FailureType);
        Assert.Contains("NOAUTH", refused.ToString(), StringComparison.Ordinal);
    }
}
