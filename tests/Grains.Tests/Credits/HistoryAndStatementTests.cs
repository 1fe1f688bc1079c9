using NeXChange.Credits;
using NeXChange.Errors;

namespace NeXChange.Grains.Tests.Credits;

public class HistoryAndStatementTests(CreditsCluster cluster) : IClassFixture<CreditsCluster>
{
    [Fact]
    public async Task history_pages_newest_first_without_gaps_or_repeats()
    {
        var user = await cluster.FundedUserAsync(10_000);
        var other = await cluster.NewUserAsync();
        for (var i = 1; i <= 6; i++) await cluster.Account(user).Transfer(new TransferOrder(other, i, null, $"h-{i}"));
        await cluster.Account(user).PlaceHold(Guid.CreateVersion7(), 500, 218); // one entry on each of AV and ES (and one on FEES)

        var seen = new List<LedgerEntry>();
        string? before = null;
        do
        {
            var page = await cluster.Account(user).GetHistory(before, 3);
            Assert.InRange(page.Items.Count, 1, 3);
            seen.AddRange(page.Items);
            before = page.NextBefore;
        }
        while (before is not null);

        Assert.Equal(9, seen.Count); // grant + 6 transfers + 2 hold legs
        Assert.Equal(seen.OrderByDescending(e => e.EntryId).Select(e => e.EntryId), seen.Select(e => e.EntryId));
        Assert.Equal(["available", "escrow"], seen.Take(2).Select(e => e.Account).Order());
        Assert.Equal(MovementKinds.AdminGrant, seen[^1].Kind);
    }

    [Fact]
    public async Task a_tampered_cursor_is_refused()
    {
        var user = await cluster.FundedUserAsync(100);
        var other = await cluster.NewUserAsync();
        await cluster.Account(user).Transfer(new TransferOrder(other, 1, null, "x"));
        var cursor = (await cluster.Account(user).GetHistory(null, 1)).NextBefore!;

        var tampered = (cursor[0] == 'A' ? "B" : "A") + cursor[1..];
        var refusal = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(user).GetHistory(tampered, 1));
        var foreign = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(other).GetHistory(cursor, 1));

        Assert.Equal(ErrorCodes.InvalidCursor, refusal.Code);
        Assert.Equal(ErrorCodes.InvalidCursor, foreign.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task history_limit_outside_1_to_100_is_a_validation_error(int limit)
    {
        var user = await cluster.NewUserAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(user).GetHistory(null, limit));

        Assert.Equal((ErrorCodes.ValidationFailed, "limit"), (refusal.Code, refusal.Errors.Single().Field));
    }

    [Fact]
    public async Task statement_closing_is_opening_plus_credits_minus_debits_and_equals_the_balance()
    {
        var user = await cluster.FundedUserAsync(10_000);
        var other = await cluster.FundedUserAsync(10_000);
        await cluster.Account(user).Transfer(new TransferOrder(other, 1_234, null, "s1"));
        await cluster.Account(other).Transfer(new TransferOrder(user, 99, null, "s2"));
        var trade = Guid.CreateVersion7();
        var held = await cluster.Account(user).PlaceHold(trade, 2_000, 274);
        // The ledger's own clock: the hold is this account's last movement; three days back covers the rest.
        var today = DateOnly.FromDateTime(held.CreatedAt.UtcDateTime);

        var statement = await cluster.Account(user).GetStatement(today.AddDays(-3), today);

        var av = statement.Available;
        Assert.Equal((0L, 10_000L + 99, 1_234L + 2_274), (av.OpeningMinor, av.CreditsMinor, av.DebitsMinor));
        Assert.Equal(av.OpeningMinor + av.CreditsMinor - av.DebitsMinor, av.ClosingMinor);
        Assert.Equal(await cluster.BalanceAsync(user, "USER_AVAILABLE"), av.ClosingMinor);
        Assert.Equal(4, av.Entries.Count);
        Assert.Equal((0L, 2_000L, 0L, 2_000L), (statement.Escrow.OpeningMinor, statement.Escrow.CreditsMinor, statement.Escrow.DebitsMinor, statement.Escrow.ClosingMinor));

        // A period starting tomorrow opens with today's closing balance and has no movements.
        var later = await cluster.Account(user).GetStatement(today.AddDays(1), today.AddDays(2));
        Assert.Equal((av.ClosingMinor, av.ClosingMinor, 0), (later.Available.OpeningMinor, later.Available.ClosingMinor, later.Available.Entries.Count));
    }

    [Fact]
    public async Task statement_period_must_be_ordered_and_at_most_366_days()
    {
        var user = await cluster.NewUserAsync();
        var day = new DateOnly(2026, 1, 10);

        var reversed = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(user).GetStatement(day, day.AddDays(-1)));
        var tooLong = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(user).GetStatement(day, day.AddDays(366)));
        var longest = await cluster.Account(user).GetStatement(day, day.AddDays(365));

        Assert.Equal(ErrorCodes.ValidationFailed, reversed.Code);
        Assert.Equal(ErrorCodes.ValidationFailed, tooLong.Code);
        Assert.Equal(0, longest.Available.ClosingMinor);
    }
}
