using NeXChange.Conversion;
using NeXChange.Credits;
using NeXChange.Grains.Tests.Credits;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Grains.Tests.Conversion;

/// <summary>One statement of a database transaction a test writes by hand.</summary>
public sealed record SqlStep(string Text, params object?[] Parameters);

/// <summary>A registered user (a users row, for the conversion tables' foreign keys) and their AVAILABLE account.</summary>
public sealed record Member(Guid Id, Guid Available);

/// <summary>
/// Conversions written in plain SQL as the runtime role, around the grains and the ledger writer, so that only the
/// database's own rules (migration 0024) stand between a wrong statement and the data. Quotes are made when the
/// fixture's clock reads, valid 60 s, and executed 10 s later.
/// </summary>
public sealed class ConversionSql(LedgerDatabase db)
{
    /// <summary>The SQLSTATE of migration 0024's conversion rules.</summary>
    public const string ConversionRule = "NX006";

    public const string PayoutAddress = "tb1qconversiondatabasetestpayout";

    private const long MidMinorPerBtc = 10_000_000;

    public DateTimeOffset QuotedAt { get; } = db.Time.GetUtcNow();

    public DateTimeOffset ExecutedAt => QuotedAt.AddSeconds(10);

    public async Task<Member> UserAsync(long grantMinor = 1_000)
    {
        var id = await db.UserAsync(grantMinor);
        await Sql.ExecuteAsync(db.Postgres, """
            insert into users (id, email, display_name, display_name_generated_at, created_at, updated_at)
            values ($1, $2, $3, $4, $4, $4)
            """, id, $"{id:N}@convdb.test", $"Convdb_{id:N}", QuotedAt);
        return new Member(id, await db.AccountIdAsync(id));
    }

    public async Task<Quote> QuoteAsync(Guid userId, string direction, long amountMinor = 300)
    {
        var rate = QuoteMath.Rate(direction, MidMinorPerBtc);
        var quote = new Quote(Guid.CreateVersion7(), direction, amountMinor, QuoteMath.Sats(amountMinor, rate), MidMinorPerBtc, rate,
            QuoteMath.SpreadBps, QuotedAt, QuotedAt + QuoteMath.Lifetime);
        await new QuoteStore(db.DataSource).InsertAsync(userId, quote);
        return quote;
    }

    /// <summary>The conversion that executes <paramref name="quote"/> at its terms, in the status its direction starts in.</summary>
    public ConversionRecord Executing(Guid userId, Quote quote) =>
        quote.Direction == ConversionDirections.CreditsToBtc
            ? ConversionRecord.Start(Guid.CreateVersion7(), userId, quote, PayoutAddress, null, null, ExecutedAt)
            : ConversionRecord.Start(Guid.CreateVersion7(), userId, quote, null, $"tb1q{Guid.NewGuid():N}", ExecutedAt.AddMinutes(60), ExecutedAt);

    /// <summary>A started cash-out: its conversion_out_start and its row, committed together.</summary>
    public async Task<ConversionRecord> CashOutAsync(Member user, long amountMinor = 300)
    {
        var row = Executing(user.Id, await QuoteAsync(user.Id, ConversionDirections.CreditsToBtc, amountMinor));
        await CommitAsync([.. Posting(MovementKinds.ConversionOutStart, row.Id, user.Available, row.AmountMinor), Insert(row)]);
        return row;
    }

    /// <summary>A top-up awaiting its deposit (no credits move yet).</summary>
    public async Task<ConversionRecord> TopUpAsync(Member user, long amountMinor = 300)
    {
        var row = Executing(user.Id, await QuoteAsync(user.Id, ConversionDirections.BtcToCredits, amountMinor));
        await CommitAsync(Insert(row));
        return row;
    }

    public static SqlStep Insert(ConversionRecord row) => new("""
        insert into conversions (id, user_id, quote_id, direction, amount_minor, btc_sats, rate_minor_per_btc, status,
                                 payout_address, deposit_address, deposit_expires_at, created_at, completed_at)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        """, row.Id, row.UserId, row.QuoteId, row.Direction, row.AmountMinor, row.BtcSats, row.RateMinorPerBtc, row.Status,
        row.PayoutAddress, row.DepositAddress, row.DepositExpiresAt, row.CreatedAt, row.CompletedAt);

    /// <summary>Moves the conversion to <paramref name="status"/>, stamping completed_at as an ending needs.</summary>
    public SqlStep SetStatus(Guid conversionId, string status) => new("""
        update conversions set status = $2::text, completed_at = case when $2::text in ('completed', 'failed') then $3 end where id = $1
        """, conversionId, status, ExecutedAt.AddMinutes(1));

    /// <summary>
    /// A balanced posting of <paramref name="kind"/> under a key of its own, with the legs SPEC.md 2.4 gives a conversion
    /// kind (any other kind: ISSUANCE to the user, which the database accepts for every kind).
    /// </summary>
    public SqlStep[] Posting(string kind, Guid? conversionId, Guid available, long amountMinor)
    {
        var (from, to) = kind switch
        {
            MovementKinds.ConversionOutStart => (available, LedgerAccounts.SystemAccountId(AccountKind.ConversionClearing, 0)),
            MovementKinds.ConversionOutSettle => (LedgerAccounts.SystemAccountId(AccountKind.ConversionClearing, 0), LedgerAccounts.SystemAccountId(AccountKind.Issuance, 0)),
            MovementKinds.ConversionOutFail => (LedgerAccounts.SystemAccountId(AccountKind.ConversionClearing, 0), available),
            _ => (LedgerAccounts.SystemAccountId(AccountKind.Issuance, 0), available),
        };
        var id = Guid.CreateVersion7();
        return
        [
            new("""
                insert into ledger.transactions (id, idempotency_key, request_hash, kind, conversion_id, created_at)
                values ($1, $2, 'by hand', $3, $4, $5)
                """, id, $"by-hand:{id}", kind, conversionId, ExecutedAt),
            new("""
                insert into ledger.entries (transaction_id, account_id, amount, created_at)
                values ($1, $2, $3, $6), ($1, $4, $5, $6)
                """, id, from, -amountMinor, to, amountMinor, ExecutedAt),
        ];
    }

    /// <summary>Runs <paramref name="steps"/> in one database transaction as the runtime role and commits.</summary>
    public Task CommitAsync(params SqlStep[] steps) => CommitAsync(db.Postgres, steps);

    /// <summary>The same as the owner role, for what the runtime role's grants refuse before any trigger runs.</summary>
    public Task CommitAsOwnerAsync(params SqlStep[] steps) => CommitAsync(db.OwnerPostgres, steps);

    /// <summary>The refusal of <paramref name="steps"/> (as the runtime role); the test checks it names the rule it pins.</summary>
    public Task<PostgresException> RefusedAsync(params SqlStep[] steps) => Assert.ThrowsAsync<PostgresException>(() => CommitAsync(steps));

    public async Task<string?> StatusAsync(Guid conversionId) =>
        await Sql.ScalarAsync<string>(db.Postgres, "select status from conversions where id = $1", conversionId);

    public async Task<long> ConversionsOfQuoteAsync(Guid quoteId) =>
        await Sql.ScalarAsync<long>(db.Postgres, "select count(*) from conversions where quote_id = $1", quoteId);

    public async Task<long> TransactionsAsync(Guid conversionId) =>
        await Sql.ScalarAsync<long>(db.Postgres, "select count(*) from ledger.transactions where conversion_id = $1", conversionId);

    private static async Task CommitAsync(string connectionString, SqlStep[] steps)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var step in steps)
        {
            await using var command = new NpgsqlCommand(step.Text, connection, transaction);
            foreach (var value in step.Parameters) command.Parameters.Add(new() { Value = value ?? DBNull.Value });
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }
}
