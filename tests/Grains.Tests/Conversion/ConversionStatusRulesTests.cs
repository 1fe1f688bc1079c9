using NeXChange.Conversion;
using NeXChange.Credits;
using NeXChange.Grains.Tests.Credits;
using NeXChange.TestSupport;

namespace NeXChange.Grains.Tests.Conversion;

/// <summary>
/// How a conversion may change (migration 0024), in plain SQL as the runtime role: along SPEC.md 7.3's graph only, never
/// after it ended, never in its terms, never away; and it ends in a status that moves credits only with that posting.
/// Handled partner events are append-only.
/// </summary>
public class ConversionStatusRulesTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private const string InsufficientPrivilege = "42501";

    private readonly ConversionSql sql = new(db);

    /// <summary>A started conversion of <paramref name="direction"/>, moved to <paramref name="status"/> if one is given (no credits move).</summary>
    private async Task<(Member User, ConversionRecord Row)> ConversionAsync(string direction, string? status = null)
    {
        var user = await sql.UserAsync();
        var row = direction == ConversionDirections.CreditsToBtc ? await sql.CashOutAsync(user) : await sql.TopUpAsync(user);
        if (status is not null) await sql.CommitAsync(sql.SetStatus(row.Id, status));
        return (user, row);
    }

    [Theory]
    [InlineData(ConversionDirections.CreditsToBtc, ConversionStatuses.Failed, MovementKinds.ConversionOutFail)]
    [InlineData(ConversionDirections.CreditsToBtc, ConversionStatuses.Completed, MovementKinds.ConversionOutSettle)]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.Completed, MovementKinds.ConversionIn)]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.Failed, null)]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.Expired, null)]
    public async Task a_conversion_moves_along_the_graph_with_the_posting_its_end_needs(string direction, string status, string? posting)
    {
        var (user, row) = await ConversionAsync(direction);
        SqlStep[] moves = posting is null ? [] : sql.Posting(posting, row.Id, user.Available, row.AmountMinor);

        await sql.CommitAsync([.. moves, sql.SetStatus(row.Id, status)]);

        Assert.Equal(status, await sql.StatusAsync(row.Id));
    }

    [Theory]
    [InlineData(ConversionStatuses.Completed, MovementKinds.ConversionIn)]
    [InlineData(ConversionStatuses.Failed, null)]
    public async Task an_expired_top_up_still_ends_when_the_partner_answers(string status, string? posting)
    {
        var (user, row) = await ConversionAsync(ConversionDirections.BtcToCredits, ConversionStatuses.Expired);
        SqlStep[] moves = posting is null ? [] : sql.Posting(posting, row.Id, user.Available, row.AmountMinor);

        await sql.CommitAsync([.. moves, sql.SetStatus(row.Id, status)]);

        Assert.Equal(status, await sql.StatusAsync(row.Id));
    }

    [Theory]
    [InlineData(ConversionDirections.CreditsToBtc, ConversionStatuses.PendingPayout, ConversionStatuses.AwaitingDeposit)]
    [InlineData(ConversionDirections.CreditsToBtc, ConversionStatuses.PendingPayout, ConversionStatuses.Expired)]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.AwaitingDeposit, ConversionStatuses.PendingPayout)]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.Expired, ConversionStatuses.AwaitingDeposit)]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.Expired, ConversionStatuses.PendingPayout)]
    public async Task a_move_off_the_graph_is_refused(string direction, string from, string to)
    {
        var (_, row) = await ConversionAsync(direction, from == ConversionStatuses.Expired ? from : null);

        var refusal = await sql.RefusedAsync(sql.SetStatus(row.Id, to));

        Assert.Equal(ConversionSql.ConversionRule, refusal.SqlState);
        Assert.Contains($"cannot go from {from} to {to}", refusal.MessageText);
        Assert.Equal(from, await sql.StatusAsync(row.Id));
    }

    [Theory]
    [InlineData(ConversionDirections.CreditsToBtc, ConversionStatuses.Completed, "failure_reason = 'rewritten'")]
    [InlineData(ConversionDirections.CreditsToBtc, ConversionStatuses.Failed, "partner_tx_id = 'rewritten'")]
    [InlineData(ConversionDirections.CreditsToBtc, ConversionStatuses.Completed, "payout_attempts = payout_attempts + 1")]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.Completed, "completed_at = completed_at + interval '1 day'")]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.Failed, "failure_reason = null")]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.Failed, "status = 'completed'")]
    public async Task an_ended_conversion_changes_no_more(string direction, string ended, string change)
    {
        var (user, row) = await ConversionAsync(direction);
        var posting = (direction, ended) switch
        {
            (ConversionDirections.CreditsToBtc, ConversionStatuses.Completed) => MovementKinds.ConversionOutSettle,
            (ConversionDirections.CreditsToBtc, _) => MovementKinds.ConversionOutFail,
            // A failed top-up moves nothing; its conversion_in is there so that completing it later lacks no posting.
            _ => MovementKinds.ConversionIn,
        };
        await sql.CommitAsync([.. sql.Posting(posting, row.Id, user.Available, row.AmountMinor), sql.SetStatus(row.Id, ended)]);

        var refusal = await sql.RefusedAsync(new SqlStep($"update conversions set {change} where id = $1", row.Id));

        Assert.Equal(ConversionSql.ConversionRule, refusal.SqlState);
        Assert.Contains($"has ended ({ended})", refusal.MessageText);
        Assert.Equal(ended, await sql.StatusAsync(row.Id));
    }

    [Theory]
    [InlineData(ConversionDirections.BtcToCredits, "id = $2")]
    [InlineData(ConversionDirections.BtcToCredits, "user_id = $2")]
    [InlineData(ConversionDirections.BtcToCredits, "quote_id = $2")]
    [InlineData(ConversionDirections.BtcToCredits, "amount_minor = amount_minor + 1")]
    [InlineData(ConversionDirections.BtcToCredits, "btc_sats = btc_sats - 1")]
    [InlineData(ConversionDirections.BtcToCredits, "rate_minor_per_btc = rate_minor_per_btc + 1")]
    [InlineData(ConversionDirections.BtcToCredits, "created_at = created_at - interval '1 minute'")]
    [InlineData(ConversionDirections.BtcToCredits, "deposit_address = 'tb1qsomeoneelsesdepositaddress00'")]
    [InlineData(ConversionDirections.BtcToCredits, "deposit_expires_at = deposit_expires_at + interval '1 day'")]
    [InlineData(ConversionDirections.BtcToCredits,
        "direction = 'credits_to_btc', payout_address = 'tb1qattackerpayoutaddress0000', deposit_address = null, deposit_expires_at = null")]
    [InlineData(ConversionDirections.CreditsToBtc, "payout_address = 'tb1qattackerpayoutaddress0000'")]
    public async Task the_terms_of_a_conversion_are_immutable(string direction, string change)
    {
        var (user, row) = await ConversionAsync(direction);
        // Whatever a $2 names is otherwise acceptable: a fresh id, another registered user, another unused quote of the user.
        var target = change switch
        {
            _ when change.StartsWith("user_id", StringComparison.Ordinal) => (await sql.UserAsync()).Id,
            _ when change.StartsWith("quote_id", StringComparison.Ordinal) => (await sql.QuoteAsync(user.Id, direction)).QuoteId,
            _ => Guid.CreateVersion7(),
        };
        object[] parameters = change.Contains("$2", StringComparison.Ordinal) ? [row.Id, target] : [row.Id];

        var refusal = await sql.RefusedAsync(new SqlStep($"update conversions set {change} where id = $1", parameters));

        Assert.Equal(ConversionSql.ConversionRule, refusal.SqlState);
        Assert.Contains("are immutable", refusal.MessageText);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(db.Postgres,
            "select count(*) from conversions where id = $1 and user_id = $2 and quote_id = $3 and amount_minor = $4 and btc_sats = $5 and direction = $6",
            row.Id, row.UserId, row.QuoteId, row.AmountMinor, row.BtcSats, row.Direction));
    }

    [Fact]
    public async Task a_conversion_is_never_deleted_by_the_runtime_role_nor_by_the_owner()
    {
        var (_, row) = await ConversionAsync(ConversionDirections.BtcToCredits);
        var delete = new SqlStep("delete from conversions where id = $1", row.Id);

        var runtime = await sql.RefusedAsync(delete);
        var owner = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => sql.CommitAsOwnerAsync(delete));

        Assert.Equal(InsufficientPrivilege, runtime.SqlState);
        Assert.Equal(ConversionSql.ConversionRule, owner.SqlState);
        Assert.Contains("never deleted", owner.MessageText);
        Assert.Equal(ConversionStatuses.AwaitingDeposit, await sql.StatusAsync(row.Id));
    }

    [Theory]
    [InlineData(ConversionDirections.CreditsToBtc, ConversionStatuses.Completed, "without conversion_out_settle")]
    [InlineData(ConversionDirections.CreditsToBtc, ConversionStatuses.Failed, "without conversion_out_fail")]
    [InlineData(ConversionDirections.BtcToCredits, ConversionStatuses.Completed, "without conversion_in")]
    public async Task an_end_that_moves_credits_needs_its_posting(string direction, string status, string message)
    {
        var (_, row) = await ConversionAsync(direction);

        var refusal = await sql.RefusedAsync(sql.SetStatus(row.Id, status));

        Assert.Equal(ConversionSql.ConversionRule, refusal.SqlState);
        Assert.Contains(message, refusal.MessageText);
        Assert.Equal(row.Status, await sql.StatusAsync(row.Id));
    }

    [Fact]
    public async Task an_expired_top_up_completes_only_with_its_conversion_in()
    {
        var (_, row) = await ConversionAsync(ConversionDirections.BtcToCredits, ConversionStatuses.Expired);

        var refusal = await sql.RefusedAsync(sql.SetStatus(row.Id, ConversionStatuses.Completed));

        Assert.Equal(ConversionSql.ConversionRule, refusal.SqlState);
        Assert.Contains("without conversion_in", refusal.MessageText);
        Assert.Equal(ConversionStatuses.Expired, await sql.StatusAsync(row.Id));
    }

    [Fact]
    public async Task a_cash_out_whose_payout_failed_cannot_be_marked_completed()
    {
        var (user, row) = await ConversionAsync(ConversionDirections.CreditsToBtc);
        // The refund committed on its own, as a crash between the posting and the status change would leave it.
        await sql.CommitAsync(sql.Posting(MovementKinds.ConversionOutFail, row.Id, user.Available, row.AmountMinor));

        var refusal = await sql.RefusedAsync(sql.SetStatus(row.Id, ConversionStatuses.Completed));

        Assert.Equal(ConversionSql.ConversionRule, refusal.SqlState);
        Assert.Contains("without conversion_out_settle", refusal.MessageText);
        Assert.Equal(1_000, await db.BalanceAsync(user.Id));
    }

    [Theory]
    [InlineData("update custody_events set outcome = 'ignored' where event_id = $1")]
    [InlineData("delete from custody_events where event_id = $1")]
    public async Task handled_partner_events_are_only_appended(string change)
    {
        var (_, row) = await ConversionAsync(ConversionDirections.BtcToCredits);
        var eventId = $"sandbox:{row.Id}:deposit_detected";
        await sql.CommitAsync(new SqlStep(
            "insert into custody_events (event_id, conversion_id, type, outcome, received_at) values ($1, $2, 'deposit_detected', 'applied', now())",
            eventId, row.Id));

        var refusal = await sql.RefusedAsync(new SqlStep(change, eventId));

        Assert.Equal(InsufficientPrivilege, refusal.SqlState);
        Assert.Equal("applied", await Sql.ScalarAsync<string>(db.Postgres, "select outcome from custody_events where event_id = $1", eventId));
    }
}
