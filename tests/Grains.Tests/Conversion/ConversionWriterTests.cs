using NeXChange.Conversion;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Grains.Tests.Credits;
using NeXChange.TestSupport;

namespace NeXChange.Grains.Tests.Conversion;

/// <summary>
/// The production write path of a cash-out's start (ConversionRows inside PostgresLedgerWriter) when the application runs
/// it twice: one after the other, at the same moment, or with a fresh conversion id for the same quote.
/// </summary>
public class ConversionWriterTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private readonly ConversionSql sql = new(db);

    private async Task<(Member User, ConversionRecord Row)> UnstartedCashOutAsync()
    {
        var user = await sql.UserAsync();
        return (user, sql.Executing(user.Id, await sql.QuoteAsync(user.Id, ConversionDirections.CreditsToBtc)));
    }

    private Task<long> ClearingAsync() =>
        Sql.ScalarAsync<long>(db.Postgres, "select sum(balance)::bigint from ledger.accounts where kind = 'CONVERSION_CLEARING'");

    [Fact]
    public async Task a_start_posted_again_under_its_key_replays_and_moves_nothing()
    {
        var (user, row) = await UnstartedCashOutAsync();
        var first = await db.Writer.PostAsync(Movements.ConversionOutStart(row));
        var clearing = await ClearingAsync();

        var again = await db.Writer.PostAsync(Movements.ConversionOutStart(row));

        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal(first.TransactionId, again.TransactionId);
        Assert.Empty(again.BalancesAfter);
        Assert.Equal(1_000 - row.AmountMinor, await db.BalanceAsync(user.Id));
        Assert.Equal(clearing, await ClearingAsync());
        Assert.Equal(1, await sql.ConversionsOfQuoteAsync(row.QuoteId));
        Assert.Equal(1, await sql.TransactionsAsync(row.Id));
        Assert.True((await db.ReconcileAsync()).Ok);
    }

    [Fact]
    public async Task a_start_posted_twice_at_once_commits_one_conversion()
    {
        var (user, row) = await UnstartedCashOutAsync();

        var results = await Task.WhenAll(db.Writer.PostAsync(Movements.ConversionOutStart(row)), db.Writer.PostAsync(Movements.ConversionOutStart(row)));

        Assert.Single(results, r => r.Replayed);
        Assert.Single(results.Select(r => r.TransactionId).Distinct());
        Assert.Equal(1_000 - row.AmountMinor, await db.BalanceAsync(user.Id));
        Assert.Equal(1, await sql.ConversionsOfQuoteAsync(row.QuoteId));
        Assert.True((await db.ReconcileAsync()).Ok);
    }

    [Fact]
    public async Task a_quote_started_again_under_a_new_conversion_id_moves_nothing()
    {
        var (user, row) = await UnstartedCashOutAsync();
        await db.Writer.PostAsync(Movements.ConversionOutStart(row));
        var retry = row with { Id = Guid.CreateVersion7() };

        var refusal = await Assert.ThrowsAsync<DomainException>(() => db.Writer.PostAsync(Movements.ConversionOutStart(retry)));

        Assert.Equal(ErrorCodes.QuoteUsed, refusal.Code);
        Assert.Equal(1_000 - row.AmountMinor, await db.BalanceAsync(user.Id));
        Assert.Equal(0, await sql.TransactionsAsync(retry.Id));
        Assert.Equal(1, await sql.ConversionsOfQuoteAsync(row.QuoteId));
        Assert.True((await db.ReconcileAsync()).Ok);
    }
}
