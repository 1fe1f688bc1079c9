using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NeXChange.Storage;
using Npgsql;
using StackExchange.Redis;

namespace NeXChange.Api.Hosting;

/// <summary>
/// /health/live answers while the process runs; /health/ready needs PostgreSQL and an active silo, and lists
/// Redis and the blob store as Degraded when they are down, without failing readiness (SPEC.md 8.7).
/// </summary>
public static class HealthChecks
{
    private const string Ready = "ready";

    public static IServiceCollection AddNeXChangeHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<PostgresCheck>("postgres", HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(5))
            .AddCheck<ClusterCheck>("orleans", HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(5))
            .AddCheck<RedisCheck>("redis", HealthStatus.Degraded, [Ready], TimeSpan.FromSeconds(3))
            .AddCheck<BlobStoreCheck>("blobs", HealthStatus.Degraded, [Ready], TimeSpan.FromSeconds(3));
        return services;
    }

    public static void MapNeXChangeHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Write });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = Write });
    }

    /// <summary>
    /// Statuses only: this endpoint is public, and a failed check's description is its exception's message (hosts,
    /// ports, user names, driver errors). The details go to the logs of the host that ran the check.
    /// </summary>
    private static Task Write(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString() }),
        }, JsonSerializerOptions.Web));
    }

    private sealed class PostgresCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class ClusterCheck(IClusterClient client) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(true, cancellationToken);
            return hosts.Count > 0 ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s)") : HealthCheckResult.Unhealthy("no active silo");
        }
    }

    /// <summary>A read of a key that never exists: answers only when the store (folder or bucket) is reachable.</summary>
    private sealed class BlobStoreCheck(IBlobStore blobs) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            await blobs.ExistsAsync("health/probe", cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class RedisCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
    }
}
