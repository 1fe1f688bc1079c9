using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeXChange.Api.Hosting;
using NeXChange.Credits;
using NeXChange.Silo.Hosting;
using Npgsql;
using Orleans.Configuration;
using StackExchange.Redis;

namespace NeXChange.Bench;

/// <summary>
/// A silo on a fresh database of its own, with an API host joined to it when asked, both in this process and
/// configured from the environment bench/run.sh prepares (stores, signing keys) plus what every bench needs: the daily
/// outflow limits out of the way (they would refuse a bench's thousands of transfers; SPEC.md's per-transfer rules
/// stay), a cluster id and free ports of its own, logs at Warning. Disposing stops both and drops the database.
/// </summary>
public sealed class BenchCluster : IAsyncDisposable
{
    private static readonly Dictionary<string, string?> Limits = new()
    {
        ["Limits:DailyOutflowCount"] = "1000000",
        ["Limits:DailyOutflowMinor"] = "1000000000000",
    };

    private readonly Dictionary<string, string?> settings;

    private BenchCluster(IHost silo, WebApplication? api, Uri apiUrl, Dictionary<string, string?> settings)
    {
        (Silo, Api, ApiUrl, this.settings) = (silo, api, apiUrl, settings);
    }

    public IHost Silo { get; }

    public WebApplication? Api { get; }

    /// <summary>Where the API listens (chosen even without one: a setting such as a webhook URL may name it).</summary>
    public Uri ApiUrl { get; }

    public IGrainFactory Grains => Silo.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's data source (runtime role) on the bench database.</summary>
    public NpgsqlDataSource DataSource => Silo.Services.GetRequiredService<NpgsqlDataSource>();

    public string Postgres => settings["ConnectionStrings:Postgres"]!;

    /// <param name="name">Part of the database's name.</param>
    /// <param name="withApi">Also start an API host (ApiHost, as Program does) on <see cref="ApiUrl"/>.</param>
    /// <param name="extra">Settings of this bench, given the API's URL; they win over the defaults.</param>
    public static async Task<BenchCluster> StartAsync(string name, bool withApi = false, Func<Uri, IReadOnlyDictionary<string, string?>>? extra = null)
    {
        var redis = Environment.GetEnvironmentVariable("NEXCHANGE__ConnectionStrings__Redis") ?? throw new InvalidOperationException("run through bench/run.sh");
        var apiUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var settings = new Dictionary<string, string?>(Limits)
        {
            ["ConnectionStrings:Redis"] = redis,
            ["Orleans:ClusterId"] = $"bench-{Guid.NewGuid():N}",
            ["Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra?.Invoke(apiUrl) ?? new Dictionary<string, string?>()) settings[key] = value;
        // The migration reads the Limits settings (the ledger triggers enforce them), hence created with the same ones.
        settings["ConnectionStrings:Postgres"] = await BenchDatabase.CreateAsync($"bench_{name}_{DateTime.UtcNow:yyyyMMddHHmmss}", settings, maxPoolSize: 100);

        var silo = SiloHost.Build(["--environment", "Bench"], b => b.Configuration.AddInMemoryCollection(settings));
        await silo.StartAsync();
        WebApplication? api = null;
        if (withApi)
        {
            api = ApiHost.Build(["--urls", apiUrl.ToString().TrimEnd('/'), "--environment", "Bench"], b => b.Configuration.AddInMemoryCollection(settings));
            await api.StartAsync();
        }
        return new BenchCluster(silo, api, apiUrl, settings);
    }

    /// <summary>An Orleans client of this cluster in a host of its own: through the silo's gateway, as the API connects.</summary>
    public async Task<IHost> StartClientAsync()
    {
        var builder = Host.CreateApplicationBuilder(["--environment", "Bench"]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings["Orleans:ClusterId"]!;
                o.ServiceId = settings.GetValueOrDefault("Orleans:ServiceId") ?? "nexchange";
            });
            client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(settings["ConnectionStrings:Redis"]!));
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>
    /// Reconciliation (SPEC.md 2.9) of the whole ledger after a money scenario: prints its outcome, and on drift says so
    /// on stderr; the bench then exits 1.
    /// </summary>
    public async Task<ReconciliationReport> ReconcileAsync()
    {
        var report = await Grains.GetGrain<ILedgerAuditGrain>(0).Reconcile();
        Console.WriteLine($"reconciliation ok={report.Ok} sum={report.SumOfBalancesMinor} transactions={report.TransactionsChecked} entries={report.EntriesChecked}");
        if (!report.Ok)
            await Console.Error.WriteLineAsync($"FAILED: the ledger does not reconcile after the run: {System.Text.Json.JsonSerializer.Serialize(report, System.Text.Json.JsonSerializerOptions.Web)}");
        return report;
    }

    public async ValueTask DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.StopAsync();
            await Api.DisposeAsync();
        }
        await Silo.StopAsync();
        Silo.Dispose();
        await BenchDatabase.DropAsync(Postgres);
    }
}
