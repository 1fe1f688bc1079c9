using Microsoft.Extensions.Time.Testing;
using NeXChange.Credits;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>
/// A migrated database with small daily outflow limits and no cluster: tests here drive the ledger writer and plain
/// SQL directly, as the runtime role the silo uses, so nothing queues calls the way a grain does.
/// </summary>
public sealed class LedgerDatabase : IAsyncLifetime
{
    public const long DailyOutflowMinor = 1_000;
    public const int DailyOutflowCount = 5;

    public string Postgres { get; private set; } = "";
    public string OwnerPostgres => TestEnvironment.Owner(Postgres);
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>Midday, so a test's postings never straddle the UTC midnight the outflow day turns on.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public PostgresLedgerWriter Writer { get; private set; } = null!;

    /// <summary>A writer whose clock reads <paramref name="now"/>: postings dated on another UTC day.</summary>
    public PostgresLedgerWriter WriterAt(DateTimeOffset now) => new(DataSource, new AccountDirectory(DataSource), new FakeTimeProvider(now));

    public async Task InitializeAsync()
    {
        Postgres = await TestEnvironment.CreateDatabaseAsync("ledgerdef", new Dictionary<string, string?>
        {
            ["Limits:DailyOutflowMinor"] = DailyOutflowMinor.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Limits:DailyOutflowCount"] = DailyOutflowCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        // Racers queue for pooled connections while others hold row locks: a long wait for a connection is part of
        // the race, not a failure (the fixture pool is small, and the machine may be busy).
        DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(Postgres) { Timeout = 300 }.ConnectionString);
        Writer = new PostgresLedgerWriter(DataSource, new AccountDirectory(DataSource), Time);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await TestEnvironment.DropDatabaseAsync(Postgres);
    }

    /// <summary>A user with both accounts, granted <paramref name="grantMinor"/> through the writer.</summary>
    public async Task<Guid> UserAsync(long grantMinor = 0)
    {
        var userId = Guid.CreateVersion7();
        await using (var connection = await DataSource.OpenConnectionAsync())
            await LedgerAccounts.OpenUserAccountsAsync(connection, null, userId, CancellationToken.None);
        if (grantMinor > 0)
            await Writer.PostAsync(Movements.AdminGrant(userId, new AdminGrant(Guid.Empty, $"fund-{userId}", grantMinor, "test funding")));
        return userId;
    }

    public async Task<Guid> AccountIdAsync(Guid userId, string kind = "USER_AVAILABLE") =>
        (await Sql.ScalarAsync<Guid>(Postgres, "select id from ledger.accounts where owner_id = $1 and kind = $2", userId, kind))!;

    public async Task<long> BalanceAsync(Guid userId, string kind = "USER_AVAILABLE") =>
        (await Sql.ScalarAsync<long>(Postgres, "select balance from ledger.accounts where owner_id = $1 and kind = $2", userId, kind))!;

    public Task<ReconciliationReport> ReconcileAsync() => new LedgerReconciliation(DataSource, Time).RunAsync();
}
