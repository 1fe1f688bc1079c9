using NeXChange.Conversion;
using NeXChange.Credits;
using NeXChange.Grains.Tests.Credits;

namespace NeXChange.Grains.Tests.Conversion;

/// <summary>
/// The ledger side of migration 0024, in plain SQL as the runtime role with balanced postings under keys of their own:
/// conversion kinds carry their conversion and no other kind does; each step posts once per conversion; a conversion has
/// one outcome whatever the key; a cash-out settles or fails only after it started.
/// </summary>
public class ConversionLedgerRulesTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private const string CheckViolation = "23514";
    private const string UniqueViolation = "23505";

    private readonly ConversionSql sql = new(db);

    [Theory]
    [InlineData(MovementKinds.ConversionOutStart)]
    [InlineData(MovementKinds.ConversionIn)]
    public async Task a_conversion_posting_needs_its_conversion(string kind)
    {
        var user = await sql.UserAsync();

        var refusal = await sql.RefusedAsync(sql.Posting(kind, null, user.Available, 300));

        Assert.Equal(CheckViolation, refusal.SqlState);
        Assert.Equal("transactions_conversion_link", refusal.ConstraintName);
        Assert.Equal(1_000, await db.BalanceAsync(user.Id));
    }

    [Theory]
    [InlineData(MovementKinds.SignupGrant)]
    [InlineData(MovementKinds.AdminGrant)]
    [InlineData(MovementKinds.Transfer)]
    [InlineData(MovementKinds.EscrowRelease)]
    [InlineData(MovementKinds.AccountClosure)]
    public async Task no_other_posting_names_a_conversion(string kind)
    {
        var user = await sql.UserAsync();
        var conversion = await sql.TopUpAsync(user);

        var refusal = await sql.RefusedAsync(sql.Posting(kind, conversion.Id, user.Available, 300));

        Assert.Equal(CheckViolation, refusal.SqlState);
        Assert.Equal("transactions_conversion_link", refusal.ConstraintName);
        Assert.Equal(0, await sql.TransactionsAsync(conversion.Id));
    }

    [Fact]
    public async Task a_cash_out_starts_once_whatever_the_key()
    {
        var user = await sql.UserAsync();
        var row = await sql.CashOutAsync(user);

        var refusal = await sql.RefusedAsync(sql.Posting(MovementKinds.ConversionOutStart, row.Id, user.Available, row.AmountMinor));

        Assert.Equal(UniqueViolation, refusal.SqlState);
        Assert.Equal("transactions_conversion_step", refusal.ConstraintName);
        Assert.Equal(1_000 - row.AmountMinor, await db.BalanceAsync(user.Id));
        Assert.Equal(1, await sql.TransactionsAsync(row.Id));
    }

    [Theory]
    [InlineData(MovementKinds.ConversionOutSettle, MovementKinds.ConversionOutFail)]
    [InlineData(MovementKinds.ConversionOutFail, MovementKinds.ConversionOutSettle)]
    [InlineData(MovementKinds.ConversionOutSettle, MovementKinds.ConversionIn)]
    public async Task a_conversion_has_one_outcome_whatever_the_key(string first, string second)
    {
        // Another cash-out in flight keeps clearing funded, so the second outcome is not refused for want of credits.
        var user = await sql.UserAsync();
        await sql.CashOutAsync(user);
        var row = await sql.CashOutAsync(user);
        await sql.CommitAsync(sql.Posting(first, row.Id, user.Available, row.AmountMinor));
        var balance = await db.BalanceAsync(user.Id);

        var refusal = await sql.RefusedAsync(sql.Posting(second, row.Id, user.Available, row.AmountMinor));

        Assert.Equal(UniqueViolation, refusal.SqlState);
        Assert.Equal("transactions_conversion_outcome", refusal.ConstraintName);
        Assert.Equal(balance, await db.BalanceAsync(user.Id));
        Assert.Equal(2, await sql.TransactionsAsync(row.Id));
    }

    [Theory]
    [InlineData(MovementKinds.ConversionOutSettle)]
    [InlineData(MovementKinds.ConversionOutFail)]
    public async Task a_cash_out_settles_or_fails_only_after_it_started(string kind)
    {
        // Clearing holds another cash-out's credits, which the posting could otherwise take.
        var user = await sql.UserAsync();
        await sql.CashOutAsync(user);
        var unstarted = Guid.CreateVersion7();

        var refusal = await sql.RefusedAsync(sql.Posting(kind, unstarted, user.Available, 300));

        Assert.Equal(ConversionSql.ConversionRule, refusal.SqlState);
        Assert.Contains("has not started", refusal.MessageText);
        Assert.Equal(700, await db.BalanceAsync(user.Id));
        Assert.Equal(0, await sql.TransactionsAsync(unstarted));
    }
}
