using Npgsql;

namespace NeXChange.Bench;

/// <summary>
/// Issue 12's baseline: the same transfers as one plain PostgreSQL transaction each — two conditional balance updates
/// (in id order, so concurrent transfers cannot deadlock) and the transaction and entry inserts — in tables of their own
/// without triggers, no grain and no ledger writer. It is what the ledger's guarantees and the cluster cost on top of a
/// bare database round trip.
/// </summary>
public sealed class PlainLedger(NpgsqlDataSource owner)
{
    public async Task CreateAsync(IReadOnlyList<Guid> accounts, long balanceMinor)
    {
        await using (var schema = owner.CreateCommand("""
            create schema plain;
            create table plain.accounts (id uuid primary key, balance bigint not null check (balance >= 0));
            create table plain.transactions (id uuid primary key, idempotency_key text not null unique, created_at timestamptz not null);
            create table plain.entries (id bigint generated always as identity primary key, transaction_id uuid not null references plain.transactions (id),
                                        account_id uuid not null references plain.accounts (id), amount bigint not null);
            """))
            await schema.ExecuteNonQueryAsync();
        await using var fund = owner.CreateCommand("insert into plain.accounts (id, balance) select unnest($1::uuid[]), $2");
        fund.Parameters.Add(new() { Value = accounts.ToArray() });
        fund.Parameters.Add(new() { Value = balanceMinor });
        await fund.ExecuteNonQueryAsync();
    }

    /// <summary>Moves <paramref name="amount"/>; false (nothing moved) when the sender lacks it.</summary>
    public async Task<bool> TransferAsync(Guid from, Guid to, long amount)
    {
        await using var connection = await owner.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var (account, delta) in new[] { (from, -amount), (to, amount) }.OrderBy(l => l.Item1))
        {
            await using var update = new NpgsqlCommand(
                "update plain.accounts set balance = balance + $2 where id = $1 and balance + $2 >= 0", connection, transaction);
            update.Parameters.Add(new() { Value = account });
            update.Parameters.Add(new() { Value = delta });
            if (await update.ExecuteNonQueryAsync() == 0) return false;
        }
        var id = Guid.CreateVersion7();
        await using var insert = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new("insert into plain.transactions (id, idempotency_key, created_at) values ($1, $2, now())")
                {
                    Parameters = { new() { Value = id }, new() { Value = id.ToString() } },
                },
                new("insert into plain.entries (transaction_id, account_id, amount) values ($1, $2, $4), ($1, $3, $5)")
                {
                    Parameters = { new() { Value = id }, new() { Value = from }, new() { Value = to }, new() { Value = -amount }, new() { Value = amount } },
                },
            },
        };
        await insert.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return true;
    }
}
