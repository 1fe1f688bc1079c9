using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Credits;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>Our own <see cref="ICreditHolders"/> port answered from a dictionary the tests fill (the users module owns the real one).</summary>
public sealed class CreditHolders : ICreditHolders
{
    private readonly ConcurrentDictionary<Guid, HolderStatus> statuses = new();

    public void Set(Guid userId, HolderStatus status) => statuses[userId] = status;

    /// <summary>These users have no users row, hence no display name.</summary>
    public Task<TransferParties> GetTransferPartiesAsync(Guid senderId, Guid recipientId) =>
        Task.FromResult(new TransferParties(statuses.TryGetValue(recipientId, out var status) ? status : HolderStatus.Unknown, null));
}

/// <summary>The test cluster plus user creation and direct reads of the ledger tables.</summary>
public class CreditsCluster : TestCluster
{
    public CreditHolders Holders { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ICreditHolders>(Holders);

    public ICreditAccountGrain Account(Guid userId) => Grains.GetGrain<ICreditAccountGrain>(userId);

    /// <summary>A user with both ledger accounts, as registration creates them.</summary>
    public async Task<Guid> NewUserAsync(HolderStatus status = HolderStatus.Eligible)
    {
        var userId = Guid.CreateVersion7();
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await LedgerAccounts.OpenUserAccountsAsync(connection, null, userId, CancellationToken.None);
        Holders.Set(userId, status);
        return userId;
    }

    public async Task<Guid> FundedUserAsync(long amountMinor)
    {
        var userId = await NewUserAsync();
        await Account(userId).GrantByAdmin(new AdminGrant(Guid.CreateVersion7(), "fund", amountMinor, "test funding"));
        return userId;
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters) => (await Sql.ScalarAsync<T>(Postgres, sql, parameters))!;

    public Task<long> BalanceAsync(Guid userId, string kind) =>
        ScalarAsync<long>("select balance from ledger.accounts where owner_id = $1 and kind = $2", userId, kind);

    public Task<long> FeesAsync() => ScalarAsync<long>("select sum(balance)::bigint from ledger.accounts where kind = 'PLATFORM_FEES'");

    public Task<long> TransactionCountAsync(string key) =>
        ScalarAsync<long>("select count(*) from ledger.transactions where idempotency_key = $1", key);

    /// <summary>Moves balances around the guard, as only the schema owner can: corruption the application cannot cause.</summary>
    public Task ShiftBalanceAsOwnerAsync(string where, long by) => Sql.ExecuteAsync(TestEnvironment.Owner(Postgres), $"""
        alter table ledger.accounts disable trigger accounts_guard;
        update ledger.accounts set balance = balance + {by} where {where};
        alter table ledger.accounts enable trigger accounts_guard;
        """);

    public Task<string> HoldStatusAsync(Guid tradeId) => ScalarAsync<string>("select status from ledger.holds where trade_id = $1", tradeId);
}

/// <summary>Small limits so the limit rules can be reached in a few calls.</summary>
public sealed class SmallLimitsCluster : CreditsCluster
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Limits:SingleMovementMaxMinor"] = "50000",
        ["Limits:DailyOutflowMinor"] = "60000",
        ["Limits:DailyOutflowCount"] = "3",
    };
}

/// <summary>The <c>Zero</c> fee policy (SPEC.md 2.5): holds without a FEES leg.</summary>
public sealed class ZeroFeeCluster : CreditsCluster
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Fees:Policy"] = "Zero" };
}
