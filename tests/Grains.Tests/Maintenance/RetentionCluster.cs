using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NeXChange.Credits;
using NeXChange.Hosting;
using NeXChange.Maintenance;
using NeXChange.Storage;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Grains.Tests.Maintenance;

/// <summary>
/// A cluster whose domain clock (trades, retention) is fake. It starts 7 years and a day before the database's now()
/// at fixture start (<see cref="TestCluster.DatabaseStart"/>), since the database's clock has the last word on the
/// 7-year rules: a trade made and ended then is aged by moving the clock to that anchor; only the trade test moves it,
/// forward. Users, categories and items are arranged with SQL, as their own modules are tested elsewhere.
/// </summary>
public sealed class RetentionCluster : TestCluster
{
    public FakeTimeProvider Clock { get; } = new();

    protected override void DatabaseStarted() => Clock.SetUtcNow(DatabaseStart.AddYears(-TradeRetention.KeptYears).AddDays(-1));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:SigningKey"] = new string('r', 48),
        ["App:PublicBaseUrl"] = "http://127.0.0.1",
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddKeyedSingleton<TimeProvider>(Clocks.Domain, Clock);

    public string Owner => TestEnvironment.Owner(Postgres);

    public IBlobStore Blobs => SiloServices().GetRequiredService<IBlobStore>();

    public Task<MaintenanceReport> RunDaily() => Grains.GetGrain<IMaintenanceGrain>(0).RunDaily();

    /// <summary>An email-verified user in Chicago with its two ledger accounts, as registration leaves one.</summary>
    public async Task<Guid> UserAsync()
    {
        var id = Guid.CreateVersion7();
        await Sql.ExecuteAsync(Postgres, """
            insert into users (id, email, display_name, display_name_generated_at, email_verified, zip_code, city, area_lat, area_lng,
                               created_at, updated_at)
            values ($1, $2, $3, now(), true, '60601', 'Chicago', 41.88, -87.63, now(), now())
            """, id, $"{id:N}@example.org", $"Keeper{id.ToString("N")[..8]}");
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await LedgerAccounts.OpenUserAccountsAsync(connection, null, id, CancellationToken.None);
        return id;
    }

    public async Task<Guid> CategoryAsync()
    {
        var id = Guid.CreateVersion7();
        await Sql.ExecuteAsync(Postgres, """
            insert into categories (id, name, slug, parent_id, active, created_at, updated_at)
            values ($1, $2, $2, null, true, now(), now())
            """, id, $"retained-{id:N}");
        return id;
    }

    /// <summary>An item row in <paramref name="status"/> since <paramref name="since"/>, with one photo of <paramref name="sha256"/>.</summary>
    public async Task<Guid> ItemAsync(Guid ownerId, Guid categoryId, string status, DateTimeOffset since, string sha256)
    {
        var id = Guid.CreateVersion7();
        await Sql.ExecuteAsync(Postgres, """
            insert into items (id, owner_id, status, title, description, category_id, condition, price_minor, general_area,
                               photos, version, created_at, updated_at, published_at, status_changed_at)
            values ($1, $2, $3, 'A kept lamp', 'A lamp that has seen better days but still lights a room.', $4, 'good', 2500,
                    'Chicago area', jsonb_build_array(jsonb_build_object('id', $5::uuid, 'sha256', $6::text, 'width', 10, 'height', 10)),
                    1, $7, $7, $7, $7)
            """, id, ownerId, status, categoryId, Guid.CreateVersion7(), sha256, since);
        return id;
    }

    /// <summary>An old blob (past the orphan job's 24 h grace) under <paramref name="prefix"/>.</summary>
    public Task<string> OldBlobAsync(string prefix) => this.PutAgedBlobAsync($"{prefix}/master.jpg", TimeSpan.FromDays(3));
}
