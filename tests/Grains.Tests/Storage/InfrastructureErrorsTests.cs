using NeXChange.Errors;
using NeXChange.TestSupport;

namespace NeXChange.Grains.Tests.Storage;

/// <summary>Store failures leave the silo as stable domain errors, never as driver exceptions.</summary>
public sealed class InfrastructureErrorsTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    [Fact]
    public async Task a_failing_statement_is_an_internal_error_without_its_details()
    {
        var grain = cluster.Grains.GetGrain<IProbeGrain>(Guid.NewGuid());
        var error = await Assert.ThrowsAsync<DomainException>(() => grain.RunSql("select * from no_such_table where secret = 'x@example.org'"));
        Assert.Equal(ErrorCodes.InternalError, error.Code);
        Assert.DoesNotContain("example.org", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_unreachable_store_is_service_unavailable_with_a_retry_hint()
    {
        var grain = cluster.Grains.GetGrain<IProbeGrain>(Guid.NewGuid());
        var error = await Assert.ThrowsAsync<DomainException>(grain.FailOnRedis);
        Assert.Equal(ErrorCodes.ServiceUnavailable, error.Code);
        Assert.Equal(1, Convert.ToInt32(error.Extensions["retryAfterSeconds"], System.Globalization.CultureInfo.InvariantCulture));
    }
}
