using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeXChange.Api.Hosting;
using NeXChange.Silo.Hosting;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>
/// The real system in one test process: a silo host and an API host built exactly as their programs build
/// them, joined through Redis membership under a cluster id of their own, on a fresh database, with the
/// API listening on a real loopback port. Tests talk to it over HTTP only.
/// </summary>
public class ApiFixture : IAsyncLifetime
{
    private IHost? silo;
    private WebApplication? api;

    /// <summary>Becomes admin when verified (Bootstrap:AdminEmails).</summary>
    public const string AdminEmail = "ops@nexchange.test";

    /// <summary>Not Production, which refuses the dev endpoints; not Development, which would add developer pages.</summary>
    public const string TestEnvironmentName = "Test";

    public string DataDir { get; } = TestEnvironment.DataDir("api");

    /// <summary>The local recall list the safety check falls back to (no recall API is reachable here).</summary>
    public string RecallList => Path.Combine(DataDir, "recalls.csv");

    public const string RecalledBrand = "Acme";
    public const string RecalledModel = "Crib 3000";
    public Uri BaseAddress { get; private set; } = null!;
    public string Postgres { get; private set; } = "";

    /// <summary>The JWT key the API was given, so tests can mint expired or otherwise crafted tokens.</summary>
    public string SigningKey { get; } = TestSecrets.New();

    /// <summary>The custody webhook secret: the sandbox partner signs with it, and tests sign their own partner events.</summary>
    public string WebhookSecret { get; } = TestSecrets.New();

    /// <summary>The tier-3 values of this fixture's users, as the privacy scan of every client has learnt them.</summary>
    public Privacy.PersonalDataRegistry PersonalData { get; } = new();

    /// <summary>
    /// A client that shows redirects instead of following them (a followed redirect drops the bearer token) and
    /// fails any answer that departs from the API's OpenAPI document or shows the caller another user's private data.
    /// </summary>
    public HttpClient NewClient() =>
        new(new Privacy.PrivacyScanHandler(PersonalData,
            new Contract.ContractValidatingHandler(BaseAddress, new HttpClientHandler { AllowAutoRedirect = false })))
        { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The silo host's services, e.g. its blob store, for checking what the API left behind.</summary>
    public IServiceProvider SiloServices => silo!.Services;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>How the hosts reach the fixture's database (a fault-injecting proxy, in the fault tests).</summary>
    protected virtual string HostConnection(string postgres) => postgres;

    /// <summary>Extra services for the silo host, e.g. a fake clock for its grain timers.</summary>
    protected virtual void ConfigureSilo(IServiceCollection services) { }
    /// <summary>Logging of both hosts, e.g. a provider that keeps what they write.</summary>
    protected virtual void ConfigureLogging(ILoggingBuilder logging) { }

    /// <summary>
    /// The API host's cluster client, for the few tests that must stop a request half-way, as a crash of the API
    /// would (they call the grain the endpoint calls, and skip what the endpoint does next).
    /// </summary>
    public IClusterClient Cluster => api!.Services.GetRequiredService<IClusterClient>();

    public virtual async Task InitializeAsync()
    {
        Postgres = await TestEnvironment.CreateDatabaseAsync("api", Settings);
        // Chosen before the silo starts: the sandbox partner posts its webhooks to this API.
        var apiPort = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = HostConnection(Postgres),
            ["ConnectionStrings:Redis"] = TestEnvironment.Redis,
            ["Data:Dir"] = DataDir,
            ["Orleans:ClusterId"] = $"api-test-{Guid.NewGuid():N}",
            ["Orleans:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Jwt:SigningKey"] = SigningKey,
            ["App:PublicBaseUrl"] = "http://127.0.0.1",
            ["Bootstrap:AdminEmails:0"] = AdminEmail,
            ["Storage:SigningKey"] = TestSecrets.New(),
            ["Safety:RecallListPath"] = RecallList,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Custody:WebhookSecret"] = WebhookSecret,
            ["Custody:WebhookUrl"] = $"http://127.0.0.1:{apiPort}/api/v1/webhooks/custody",
            ["Custody:DelaySeconds"] = "0",
            // The dev clock drives every trade timer: tests move time instead of sleeping (SPEC.md 8.7).
            ["Dev:Endpoints"] = "true",
            // Every test client comes from 127.0.0.1: the classes are opened wide except where a fixture narrows them.
            ["RateLimits:KeyPrefix"] = $"ratelimit-{Guid.NewGuid():N}:",
            ["RateLimits:Api:Limit"] = "100000",
            ["RateLimits:Login:Limit"] = "100000",
            ["RateLimits:Register:Limit"] = "100000",
            ["RateLimits:PasswordReset:Limit"] = "100000",
        };
        foreach (var (key, value) in Settings) settings[key] = value;
        await File.WriteAllTextAsync(RecallList, $"brand,model,recallId,title,recallDate\n{RecalledBrand},{RecalledModel},R-1001,Crib slats detach,2025-03-01\n");
        silo = SiloHost.Build(["--environment", TestEnvironmentName], b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            ConfigureSilo(b.Services);
            ConfigureLogging(b.Logging);
        });
        await silo.StartAsync();

        api = ApiHost.Build(["--urls", $"http://127.0.0.1:{apiPort}", "--environment", TestEnvironmentName], b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            ConfigureLogging(b.Logging);
        });
        await api.StartAsync();
        var address = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    /// <summary>
    /// After every test of the class ran, the fixture's ledger must reconcile: zero sum, no drift, clearing equal to the
    /// cash-outs in flight (SPEC.md 2.9). A failure here fails the run, naming the fixture.
    /// </summary>
    public virtual async Task DisposeAsync()
    {
        var ledger = Postgres.Length > 0 && api is not null ? await ReconcileAsync() : null;
        if (api is not null) await api.DisposeAsync();
        if (silo is not null)
        {
            await silo.StopAsync();
            silo.Dispose();
        }
        if (Postgres.Length > 0) await TestEnvironment.DropDatabaseAsync(Postgres);
        if (ledger is { Ok: false })
            throw new InvalidOperationException($"{GetType().Name}: the ledger does not reconcile after its tests: " +
                System.Text.Json.JsonSerializer.Serialize(ledger));
    }

    private async Task<NeXChange.Credits.ReconciliationReport> ReconcileAsync()
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(Postgres);
        return await new NeXChange.Credits.LedgerReconciliation(dataSource, TimeProvider.System).RunAsync();
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
