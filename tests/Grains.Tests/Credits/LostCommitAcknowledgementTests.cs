using NeXChange.Credits;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>
/// The server commits a posting but the connection dies before the client hears so: the caller sees an error, and
/// its retry with the same key must find that one transaction, never post a second.
/// </summary>
public class LostCommitAcknowledgementTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    [Fact]
    public async Task a_commit_whose_acknowledgement_is_lost_and_is_retried_with_the_same_key_yields_one_transaction()
    {
        var sender = await db.UserAsync(5_000);
        var recipient = await db.UserAsync();
        await using var proxy = new PostgresFaultProxy(db.Postgres);
        await using var proxied = NpgsqlDataSource.Create(proxy.Through(db.Postgres));
        var writer = new PostgresLedgerWriter(proxied, new AccountDirectory(proxied), db.Time);
        var transfer = Movements.Transfer(sender, new TransferOrder(recipient, 700, "lamp", "lost-ack"));

        var lost = proxy.LoseNextCommitAcknowledgement();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => writer.PostAsync(transfer));
        await lost; // the fault happened where intended: after the server's COMMIT
        var retry = await writer.PostAsync(transfer);

        Assert.True(retry.Replayed);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(db.Postgres, "select count(*) from ledger.transactions where idempotency_key = $1", transfer.IdempotencyKey));
        Assert.Equal(retry.TransactionId, await Sql.ScalarAsync<Guid>(db.Postgres, "select id from ledger.transactions where idempotency_key = $1", transfer.IdempotencyKey));
        Assert.Equal((4_300L, 700L), (await db.BalanceAsync(sender), await db.BalanceAsync(recipient)));
    }
}
