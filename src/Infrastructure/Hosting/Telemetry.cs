using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NeXChange.Hosting;

/// <summary>
/// Traces and metrics over OTLP when <c>OpenTelemetry:OtlpEndpoint</c> is set (DESIGN.md 6); nothing is collected
/// otherwise. Spans carry ids only: Npgsql spans leave out parameter values, and no email, name, token or
/// coordinate is ever put on a span or a metric by this code.
/// </summary>
public static class Telemetry
{
    public static IServiceCollection AddNeXChangeTelemetry(this IServiceCollection services, IConfiguration configuration,
        string serviceName, Action<TracerProviderBuilder>? tracing = null, Action<MeterProviderBuilder>? metrics = null)
    {
        if (configuration["OpenTelemetry:OtlpEndpoint"] is not { Length: > 0 } endpoint) return services;
        var otlp = new Uri(endpoint);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t =>
            {
                t.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application").AddNpgsql();
                tracing?.Invoke(t);
                t.AddOtlpExporter(o => o.Endpoint = otlp);
            })
            .WithMetrics(m =>
            {
                m.AddMeter("Microsoft.Orleans").AddRuntimeInstrumentation();
                metrics?.Invoke(m);
                m.AddOtlpExporter(o => o.Endpoint = otlp);
            });
        return services;
    }
}
