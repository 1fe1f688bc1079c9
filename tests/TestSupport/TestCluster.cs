using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Hosting;
using NeXChange.Silo.Hosting;
using Orleans.TestingHost;

namespace NeXChange.TestSupport;

/// <summary>
/// An in-process cluster of two silos with the production grain services and the real PostgreSQL state and
/// reminder providers, on a database of its own. Share one per test class through <c>IClassFixture</c>.
/// </summary>
public class TestCluster : IAsyncLifetime
{
    private InProcessTestCluster? cluster;

    public string Postgres { get; private set; } = "";

    /// <summary>
    /// The database's now() when the fixture started, read once: the anchor for setup values that the database's own
    /// clock (or the silos' system clock, the same machine's) judges, so a test never reads the wall clock itself.
    /// </summary>
    public DateTimeOffset DatabaseStart { get; private set; }

    public IConfiguration Configuration { get; private set; } = null!;
    public string DataDir { get; } = TestEnvironment.DataDir("grains");

    public IClusterClient Client => cluster!.Client;
    public IGrainFactory Grains => cluster!.Client;

    /// <summary>Extra settings for the silos, e.g. limits or bootstrap admins.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Services shared with the silos (e.g. a fake <see cref="TimeProvider"/>).</summary>
    protected virtual void ConfigureServices(IServiceCollection services) { }

    /// <summary>Runs once <see cref="DatabaseStart"/> is known and before the silos start, e.g. to set a fake clock from it.</summary>
    protected virtual void DatabaseStarted() { }

    public IServiceProvider SiloServices(int index = 0) => cluster!.Silos[index].ServiceProvider;

    public SiloHandle Silo(int index) => cluster!.Silos[index];

    /// <summary>Stops a silo without a graceful shutdown, as a crash would.</summary>
    public Task KillSiloAsync(int index) => cluster!.KillSiloAsync(cluster.Silos[index]);

    public async Task InitializeAsync()
    {
        Postgres = await TestEnvironment.CreateDatabaseAsync("grains", Settings);
        DatabaseStart = await Sql.NowAsync(Postgres);
        DatabaseStarted();
        // What every silo needs; a fixture's own settings come last and win.
        var settings = new Dictionary<string, string?>
        {
            ["Data:Dir"] = DataDir,
            ["Storage:SigningKey"] = TestSecrets.New(),
            ["App:PublicBaseUrl"] = "http://127.0.0.1",
        };
        foreach (var (key, value) in Settings) settings[key] = value;
        Configuration = TestEnvironment.Configuration(Postgres, settings);
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddConfiguration(Configuration);
            ConfigureServices(host.Services);
            host.Services.AddNeXChangeGrainServices(Configuration);
        });
        builder.ConfigureSilo((_, silo) => silo.UseNeXChangeGrains(Configuration));
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null) await cluster.DisposeAsync();
        if (Postgres.Length > 0) await TestEnvironment.DropDatabaseAsync(Postgres);
    }
}
