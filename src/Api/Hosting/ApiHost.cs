using System.Text.Json;
using System.Text.Json.Serialization;
using NeXChange.Api.Auth;
using NeXChange.Api.Idempotency;
using NeXChange.Api.Json;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Problems;
using NeXChange.Api.RateLimiting;
using NeXChange.Hosting;
using NeXChange.Storage;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Configuration;
using Orleans.Dashboard;
using Scalar.AspNetCore;
using StackExchange.Redis;

namespace NeXChange.Api.Hosting;

/// <summary>Composes the HTTP front end; Program and the API tests build it the same way.</summary>
public static class ApiHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddEnvironmentVariables("NEXCHANGE__");
        configure?.Invoke(builder);
        var configuration = builder.Configuration;
        var devEndpoints = configuration.DevEndpoints(builder.Environment.EnvironmentName);

        var redis = configuration.Require("ConnectionStrings:Redis");
        var postgres = configuration.Require("ConnectionStrings:Postgres");
        builder.Services.AddSingleton(_ => PostgresDataSources.Create(postgres));
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(WithAbortOff(redis)));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddBlobStore(configuration);

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = configuration["Orleans:ClusterId"] ?? "nexchange-local";
                o.ServiceId = configuration["Orleans:ServiceId"] ?? "nexchange";
            });
            client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
            client.AddDashboard();
        });

        builder.Services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        // Binding failures reach the one exception-to-problem mapping, which names the member but never echoes the
        // framework's message (it carries .NET type names).
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ErrorHandling>();
        builder.Services.AddNeXChangeOpenApi();
        builder.Services.AddNeXChangeAuth(configuration);
        builder.Services.AddNeXChangeHealthChecks();
        builder.Services.AddNeXChangeTelemetry(configuration, "nexchange-api",
            t => t.AddAspNetCoreInstrumentation(o => o.RecordException = true), m => m.AddAspNetCoreInstrumentation());
        builder.Services.AddNeXChangeIdempotency();
        builder.Services.AddSingleton(RateLimitOptions.From(configuration));
        builder.Services.AddSingleton<SlidingWindow>();
        builder.Services.AddTrustedProxies(configuration);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 11 * 1024 * 1024);

        var app = builder.Build();
        app.UseMiddleware<SecurityHeaders>();
        app.UseTrustedProxies();
        app.UseExceptionHandler();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<JsonBodyLimit>();
        app.UseStatusCodePages(StatusCodeProblems.Write);
        app.UseAuthentication();
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapNeXChangeHealthChecks();
        Endpoints.Media.Map(app);
        app.MapOrleansDashboard(DashboardCookie.Path).RequireAuthorization(AuthSetup.DashboardPolicy).ExcludeFromDescription();
        Endpoints.DashboardSignIn.Map(app);

        var api = app.MapGroup("/api/v1");
        Endpoints.Auth.Map(api);
        Endpoints.Me.Map(api);
        Endpoints.Notifications.Map(api);
        Endpoints.Users.Map(api);
        Endpoints.Credits.Map(api);
        Endpoints.Admin.Map(api);
        Endpoints.Categories.Map(api);
        Endpoints.SafeZones.Map(api);
        Endpoints.Items.Map(api);
        Endpoints.Search.Map(api);
        Endpoints.Moderation.Map(api);
        Endpoints.Trades.Map(api);
        Endpoints.Disputes.Map(api);
        Endpoints.Verification.Map(api);
        Endpoints.Feedback.Map(api);
        Endpoints.Audit.Map(api);
        Endpoints.DataRequests.Map(api);
        Endpoints.Conversion.Map(api);
        if (devEndpoints) Endpoints.Dev.Map(api);
        return app;
    }

    /// <summary>
    /// camelCase, snake_case enums, unknown properties refused (SPEC.md 8.1). Names bind case-insensitively, so a
    /// member given twice in any casing ("email" and "Email") is refused too: otherwise the value a check (or the rate
    /// limiter) reads and the value the endpoint binds could differ.
    /// </summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new UtcTimestampConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    // The API must start even when Redis is briefly down: the affected endpoints answer 503 instead. While it is down,
    // commands fail at once instead of waiting in the client's backlog for the 5 s timeout (otherwise every request
    // that fails open, session check and api rate limit, took over 10 s, and a login 5 s to be refused), and the client
    // tries to reconnect every second rather than backing off exponentially (a restarted Redis was unused for 20 s).
    private static ConfigurationOptions WithAbortOff(string redis)
    {
        var options = ConfigurationOptions.Parse(redis);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        return options;
    }
}
