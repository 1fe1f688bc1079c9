using Npgsql;

namespace NeXChange.Bench;

/// <summary>
/// Issue 12's baselines: the ledger's movements as one plain PostgreSQL transaction each — a conditional balance
/// update per leg (in id order, so concurrent movements cannot deadlock), the transaction and entry inserts, and for
/// escrow the hold row — in tables of their own without triggers, no grain and no ledger writer. Like the ledger, every
/// grant debits the one issuance account and every hold credits the one platform-fee account. It is what the ledger's
/// guarantees and the cluster cost on top of bare database round trips.
/// </summary>
public sealed class PlainLedger : IAsyncDisposable
{
    private static readonly Guid Issuance = Guid.CreateVersion7();
    private static readonly Guid Fees = Guid.CreateVersion7();

    private readonly NpgsqlDataSource owner;
    private readonly Dictionary<Guid, Guid> escrowOf;

    private PlainLedger(NpgsqlDataSource owner, Dictionary<Guid, Guid> escrowOf) => (this.owner, this.escrowOf) = (owner, escrowOf);

    /// <summary>
    /// The plain tables in the bench database <paramref name="postgres"/>, created as the owner role (the runtime role
    /// has no DDL), with each user's available account holding <paramref name="balanceMinor"/>.
    /// </summary>
    public static async Task<PlainLedger> CreateAsync(string postgres, IReadOnlyList<Guid> users, long balanceMinor)
    {
        // Built like the hosts' data sources (statements prepared on the server), so the baseline is not slowed by
        // parsing and planning that the measured paths are spared.
        var owner = NeXChange.Hosting.PostgresDataSources.Create(new NpgsqlConnectionStringBuilder(
            Environment.GetEnvironmentVariable("NEXCHANGE__ConnectionStrings__PostgresOwner")!) { Database = new NpgsqlConnectionStringBuilder(postgres).Database, MaxPoolSize = 100 }.ConnectionString);
        await using (var schema = owner.CreateCommand("""
            create schema plain;
            create table plain.accounts (id uuid primary key, balance bigint not null check (balance >= 0));
            create table plain.transactions (id uuid primary key, idempotency_key text not null unique, created_at timestamptz not null);
            create table plain.entries (id bigint generated always as identity primary key, transaction_id uuid not null references plain.transactions (id),
                                        account_id uuid not null references plain.accounts (id), amount bigint not null);
            create table plain.holds (trade_id uuid primary key, buyer_id uuid not null, amount bigint not null, fee bigint not null,
                                      status text not null, created_at timestamptz not null, closed_at timestamptz);
            """))
            await schema.ExecuteNonQueryAsync();
        var escrowOf = users.ToDictionary(u => u, _ => Guid.CreateVersion7());
        await using var fund = owner.CreateCommand("insert into plain.accounts (id, balance) select unnest($1::uuid[]), unnest($2::bigint[])");
        // Issuance may go negative in the ledger; here it starts high enough that the check never refuses it.
        fund.Parameters.Add(new() { Value = users.Concat(escrowOf.Values).Append(Issuance).Append(Fees).ToArray() });
        fund.Parameters.Add(new() { Value = users.Select(_ => balanceMinor).Concat(escrowOf.Values.Select(_ => 0L)).Append(long.MaxValue / 2).Append(0L).ToArray() });
        await fund.ExecuteNonQueryAsync();
        return new PlainLedger(owner, escrowOf);
    }

    /// <summary>Moves <paramref name="amount"/>; false (nothing moved) when the sender lacks it.</summary>
    public Task<bool> TransferAsync(Guid from, Guid to, long amount) => PostAsync([(from, -amount), (to, amount)]);

    /// <summary>Issuance → the user's available account.</summary>
    public Task<bool> GrantAsync(Guid user, long amount) => PostAsync([(Issuance, -amount), (user, amount)]);

    /// <summary>escrow_hold: AV −(P+F); ES +P; FEES +F, and the open hold row; false when the buyer lacks P+F.</summary>
    public Task<bool> HoldAsync(Guid tradeId, Guid buyer, long price, long fee) =>
        PostAsync([(buyer, -(price + fee)), (escrowOf[buyer], price), (Fees, fee)],
            new("insert into plain.holds (trade_id, buyer_id, amount, fee, status, created_at) values ($1, $2, $3, $4, 'open', now())")
            {
                Parameters = { new() { Value = tradeId }, new() { Value = buyer }, new() { Value = price }, new() { Value = fee } },
            });

    /// <summary>escrow_release: ES −P; AV(seller) +P, closing the hold; false when it is not open.</summary>
    public Task<bool> ReleaseAsync(Guid tradeId, Guid buyer, Guid seller, long price) =>
        PostAsync([(escrowOf[buyer], -price), (seller, price)],
            new("update plain.holds set status = 'released', closed_at = now() where trade_id = $1 and status = 'open'")
            {
                Parameters = { new() { Value = tradeId } },
            });

    /// <summary>The legs (zero legs left out, as in the ledger) and the hold's row change, committed together or not at all.</summary>
    private async Task<bool> PostAsync((Guid Account, long Delta)[] legs, NpgsqlBatchCommand? hold = null)
    {
        await using var connection = await owner.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var (account, delta) in legs.Where(l => l.Delta != 0).OrderBy(l => l.Account))
        {
            await using var update = new NpgsqlCommand(
                "update plain.accounts set balance = balance + $2 where id = $1 and balance + $2 >= 0", connection, transaction);
            update.Parameters.Add(new() { Value = account });
            update.Parameters.Add(new() { Value = delta });
            if (await update.ExecuteNonQueryAsync() == 0) return false;
        }
        var id = Guid.CreateVersion7();
        var entries = new NpgsqlBatchCommand("insert into plain.entries (transaction_id, account_id, amount) select $1, unnest($2::uuid[]), unnest($3::bigint[])")
        {
            Parameters =
            {
                new() { Value = id },
                new() { Value = legs.Where(l => l.Delta != 0).Select(l => l.Account).ToArray() },
                new() { Value = legs.Where(l => l.Delta != 0).Select(l => l.Delta).ToArray() },
            },
        };
        await using var insert = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new("insert into plain.transactions (id, idempotency_key, created_at) values ($1, $2, now())")
                {
                    Parameters = { new() { Value = id }, new() { Value = id.ToString() } },
                },
                entries,
            },
        };
        if (hold is not null) insert.BatchCommands.Add(hold);
        await insert.ExecuteNonQueryAsync();
        if (hold is not null && hold.RecordsAffected != 1) return false;
        await transaction.CommitAsync();
        return true;
    }

    public ValueTask DisposeAsync() => owner.DisposeAsync();
}
