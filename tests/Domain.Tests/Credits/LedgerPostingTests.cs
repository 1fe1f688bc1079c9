using NeXChange.Credits;
using NeXChange.Errors;

namespace NeXChange.Domain.Tests.Credits;

public class LedgerPostingTests
{
    private static readonly Guid Sender = Guid.CreateVersion7();
    private static readonly Guid Recipient = Guid.CreateVersion7();

    [Fact]
    public void the_request_hash_ignores_leg_order_but_not_amounts()
    {
        var posting = Movements.Transfer(Sender, new TransferOrder(Recipient, 500, "rent", "k1"));
        var reordered = posting with { Legs = posting.Legs.Reverse().ToArray() };
        Assert.Equal(posting.RequestHash(), reordered.RequestHash());
        Assert.NotEqual(posting.RequestHash(), Movements.Transfer(Sender, new TransferOrder(Recipient, 501, "rent", "k1")).RequestHash());
        Assert.NotEqual(posting.RequestHash(), Movements.Transfer(Sender, new TransferOrder(Recipient, 500, "rent!", "k1")).RequestHash());
    }

    [Fact]
    public void a_hold_without_fee_has_no_fees_leg()
    {
        var hold = Movements.Hold(Sender, Guid.CreateVersion7(), 1_000, 0);
        Assert.Equal(2, hold.Legs.Count);
        Assert.Equal(0, hold.Legs.Sum(l => l.AmountMinor));
    }

    [Fact]
    public void every_movement_is_balanced()
    {
        var hold = new HoldRecord(Guid.CreateVersion7(), Sender, 10_000, 574, HoldStatuses.Open);
        LedgerPosting[] postings =
        [
            Movements.SignupGrant(Sender, 10_000),
            Movements.AdminGrant(Sender, new AdminGrant(Recipient, "k", 77, "because")),
            Movements.Transfer(Sender, new TransferOrder(Recipient, 5, null, "k")),
            Movements.Hold(Sender, hold.TradeId, 10_000, 574),
            Movements.Release(hold, Recipient),
            Movements.Refund(hold),
            Movements.Split(hold, Recipient, 3_000),
        ];
        Assert.All(postings, p => Assert.Equal(0, p.Legs.Sum(l => l.AmountMinor)));
    }

    [Fact]
    public void a_history_cursor_round_trips_for_its_user_only()
    {
        var cursor = HistoryCursor.Encode(Sender, 42);
        Assert.Equal(42, HistoryCursor.Decode(Sender, cursor));
        Assert.Equal(ErrorCodes.InvalidCursor, Assert.Throws<DomainException>(() => HistoryCursor.Decode(Recipient, cursor)).Code);
        var tampered = (cursor[0] == 'A' ? "B" : "A") + cursor[1..];
        Assert.Equal(ErrorCodes.InvalidCursor, Assert.Throws<DomainException>(() => HistoryCursor.Decode(Sender, tampered)).Code);
        Assert.Equal(ErrorCodes.InvalidCursor, Assert.Throws<DomainException>(() => HistoryCursor.Decode(Sender, "not a cursor")).Code);
    }
}
