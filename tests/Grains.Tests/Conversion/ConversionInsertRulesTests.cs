using NeXChange.Conversion;
using NeXChange.Credits;
using NeXChange.Grains.Tests.Credits;

namespace NeXChange.Grains.Tests.Conversion;

/// <summary>
/// How a conversion may come to exist (migration 0024), in plain SQL as the runtime role: it executes one quote, once, at
/// the quote's terms and before it expires, for the quote's owner, in the status its direction starts in, and a cash-out
/// only with its conversion_out_start. Each refused attempt is otherwise valid, so only the rule named can refuse it.
/// </summary>
public class ConversionInsertRulesTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private const string UniqueViolation = "23505";

    private readonly ConversionSql sql = new(db);

    [Fact]
    public async Task a_conversion_at_its_quotes_terms_is_accepted_in_both_directions()
    {
        var user = await sql.UserAsync();

        var cashOut = await sql.CashOutAsync(user);
        var topUp = await sql.TopUpAsync(user);

        Assert.Equal(ConversionStatuses.PendingPayout, await sql.StatusAsync(cashOut.Id));
        Assert.Equal(ConversionStatuses.AwaitingDeposit, await sql.StatusAsync(topUp.Id));
        Assert.Equal(700, await db.BalanceAsync(user.Id));
    }

    [Theory]
    [InlineData("user")]
    [InlineData("direction")]
    [InlineData("amount")]
    [InlineData("sats")]
    [InlineData("rate")]
    public async Task a_conversion_that_differs_from_its_quote_is_refused(string term)
    {
        // Top-ups move no credits when they start, so nothing but the quote rule stands in the way.
        var user = await sql.UserAsync();
        var other = await sql.UserAsync();
        var quote = await sql.QuoteAsync(user.Id, term == "direction" ? ConversionDirections.CreditsToBtc : ConversionDirections.BtcToCredits);
        var row = sql.Executing(user.Id, quote with { Direction = ConversionDirections.BtcToCredits });
        var wrong = term switch
        {
            "user" => row with { UserId = other.Id },
            "direction" => row,
            "amount" => row with { AmountMinor = row.AmountMinor - 1 },
            "sats" => row with { BtcSats = row.BtcSats - 1 },
            _ => row with { RateMinorPerBtc = row.RateMinorPerBtc + 1 },
        };

        var refusal = await sql.RefusedAsync(ConversionSql.Insert(wrong));

        Assert.Equal(ConversionSql.ConversionRule, refusal.SqlState);
        Assert.Contains("does not match its quote", refusal.MessageText);
        Assert.Equal(0, await sql.ConversionsOfQuoteAsync(quote.QuoteId));
    }

    [Fact]
    public async Task a_quote_executes_until_it_expires_and_not_a_moment_later()
    {
        var user = await sql.UserAsync();
        var quote = await sql.QuoteAsync(user.Id, ConversionDirections.BtcToCredits);
        var row = sql.Executing(user.Id, quote);

        var refusal = await sql.RefusedAsync(ConversionSql.Insert(row with { CreatedAt = quote.ExpiresAt.AddMilliseconds(1) }));
        await sql.CommitAsync(ConversionSql.Insert(row with { CreatedAt = quote.ExpiresAt }));

        Assert.Equal(ConversionSql.ConversionRule, refusal.SqlState);
        Assert.Contains("expired quote", refusal.MessageText);
        Assert.Equal(1, await sql.ConversionsOfQuoteAsync(quote.QuoteId));
    }

    [Fact]
    public async Task a_quote_executes_once()
    {
        var user = await sql.UserAsync();
        var quote = await sql.QuoteAsync(user.Id, ConversionDirections.BtcToCredits);
        await sql.CommitAsync(ConversionSql.Insert(sql.Executing(user.Id, quote)));

        // A second conversion at the same terms, as application code that skipped used_at would write it.
        var refusal = await sql.RefusedAsync(ConversionSql.Insert(sql.Executing(user.Id, quote)));

        Assert.Equal(UniqueViolation, refusal.SqlState);
        Assert.Equal("conversions_quote_id_key", refusal.ConstraintName);
        Assert.Equal(1, await sql.ConversionsOfQuoteAsync(quote.QuoteId));
    }

    [Fact]
    public async Task a_cash_out_cannot_exist_without_its_own_start_posting()
    {
        var user = await sql.UserAsync();
        var row = sql.Executing(user.Id, await sql.QuoteAsync(user.Id, ConversionDirections.CreditsToBtc));

        var alone = await sql.RefusedAsync(ConversionSql.Insert(row));
        // A start posted for another conversion in the same transaction does not count.
        var another = await sql.RefusedAsync(
            [.. sql.Posting(MovementKinds.ConversionOutStart, Guid.CreateVersion7(), user.Available, row.AmountMinor), ConversionSql.Insert(row)]);

        Assert.Equal([ConversionSql.ConversionRule, ConversionSql.ConversionRule], new[] { alone.SqlState, another.SqlState });
        Assert.All(new[] { alone, another }, e => Assert.Contains("has no conversion_out_start", e.MessageText));
        Assert.Equal(0, await sql.ConversionsOfQuoteAsync(row.QuoteId));
        Assert.Equal(1_000, await db.BalanceAsync(user.Id));
    }

    [Theory]
    [InlineData(ConversionDirections.CreditsToBtc, ConversionStatuses.AwaitingDeposit)]
    [InlineData(ConversionDirections.CreditsToBtc, ConversionStatuses.Expired)]
    [InlineData(ConversionDirections.CreditsToBtc, ConversionStatuses.Completed)]
    [InlineData(ConversionDirections.CreditsToBtc, ConversionStatuses.Failed)]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.PendingPayout)]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.Expired)]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.Completed)]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.Failed)]
    public async Task a_conversion_starts_only_in_the_status_of_its_direction(string direction, string status)
    {
        var user = await sql.UserAsync();
        var row = sql.Executing(user.Id, await sql.QuoteAsync(user.Id, direction));
        var ended = status is ConversionStatuses.Completed or ConversionStatuses.Failed;
        var wrong = row with { Status = status, CompletedAt = ended ? row.CreatedAt : null };
        SqlStep[] start = direction == ConversionDirections.CreditsToBtc
            ? sql.Posting(MovementKinds.ConversionOutStart, row.Id, user.Available, row.AmountMinor)
            : [];

        var refusal = await sql.RefusedAsync([.. start, ConversionSql.Insert(wrong)]);

        Assert.Equal(ConversionSql.ConversionRule, refusal.SqlState);
        Assert.Contains($"cannot start as {status}", refusal.MessageText);
        Assert.Equal(0, await sql.ConversionsOfQuoteAsync(row.QuoteId));
    }
}
