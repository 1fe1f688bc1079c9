using NeXChange.Credits;
using NeXChange.Errors;

namespace NeXChange.Grains.Tests.Credits;

public class HoldTests(CreditsCluster cluster) : IClassFixture<CreditsCluster>
{
    private const long Price = 10_000;
    private const long Fee = 574;

    private async Task<(Guid Buyer, Guid Seller, Guid Trade, long FeesBefore)> HeldAsync()
    {
        var buyer = await cluster.FundedUserAsync(20_000);
        var seller = await cluster.NewUserAsync();
        var trade = Guid.CreateVersion7();
        var fees = await cluster.FeesAsync();
        await cluster.Account(buyer).PlaceHold(trade, Price, Fee);
        return (buyer, seller, trade, fees);
    }

    [Fact]
    public async Task a_hold_moves_price_to_escrow_and_fee_to_the_platform()
    {
        var (buyer, _, trade, feesBefore) = await HeldAsync();

        Assert.Equal(20_000 - Price - Fee, await cluster.BalanceAsync(buyer, "USER_AVAILABLE"));
        Assert.Equal(Price, await cluster.BalanceAsync(buyer, "USER_ESCROW"));
        Assert.Equal(feesBefore + Fee, await cluster.FeesAsync());
        Assert.Equal(HoldStatuses.Open, await cluster.HoldStatusAsync(trade));
        Assert.Equal(Price, (await cluster.Account(buyer).GetBalance()).HeldMinor);
    }

    [Fact]
    public async Task release_pays_the_price_to_the_seller_and_keeps_the_fee()
    {
        var (buyer, seller, trade, feesBefore) = await HeldAsync();

        await cluster.Account(buyer).ReleaseHold(trade, seller);

        Assert.Equal(0, await cluster.BalanceAsync(buyer, "USER_ESCROW"));
        Assert.Equal(20_000 - Price - Fee, await cluster.BalanceAsync(buyer, "USER_AVAILABLE"));
        Assert.Equal(Price, await cluster.BalanceAsync(seller, "USER_AVAILABLE"));
        Assert.Equal(feesBefore + Fee, await cluster.FeesAsync());
        Assert.Equal(HoldStatuses.Released, await cluster.HoldStatusAsync(trade));
    }

    [Fact]
    public async Task refund_returns_price_and_fee_to_the_buyer()
    {
        var (buyer, _, trade, feesBefore) = await HeldAsync();

        var posted = await cluster.Account(buyer).RefundHold(trade);

        Assert.Equal(20_000, posted.AvailableMinor);
        Assert.Equal(20_000, await cluster.BalanceAsync(buyer, "USER_AVAILABLE"));
        Assert.Equal(0, await cluster.BalanceAsync(buyer, "USER_ESCROW"));
        Assert.Equal(feesBefore, await cluster.FeesAsync());
        Assert.Equal(HoldStatuses.Refunded, await cluster.HoldStatusAsync(trade));
    }

    [Fact]
    public async Task split_refunds_part_to_the_buyer_pays_the_rest_to_the_seller_and_keeps_the_fee()
    {
        var (buyer, seller, trade, feesBefore) = await HeldAsync();

        await cluster.Account(buyer).SplitHold(trade, seller, 3_000);

        Assert.Equal(20_000 - Price - Fee + 3_000, await cluster.BalanceAsync(buyer, "USER_AVAILABLE"));
        Assert.Equal(Price - 3_000, await cluster.BalanceAsync(seller, "USER_AVAILABLE"));
        Assert.Equal(0, await cluster.BalanceAsync(buyer, "USER_ESCROW"));
        Assert.Equal(feesBefore + Fee, await cluster.FeesAsync());
        Assert.Equal(HoldStatuses.Split, await cluster.HoldStatusAsync(trade));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Price)]
    public async Task split_refund_must_leave_both_sides_something(long refundMinor)
    {
        var (buyer, seller, trade, _) = await HeldAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(buyer).SplitHold(trade, seller, refundMinor));

        Assert.Equal((ErrorCodes.ValidationFailed, "refundMinor"), (refusal.Code, refusal.Errors.Single().Field));
        Assert.Equal(HoldStatuses.Open, await cluster.HoldStatusAsync(trade));
    }

    [Fact]
    public async Task a_hold_whose_fee_no_policy_could_produce_is_refused_and_moves_nothing()
    {
        var buyer = await cluster.FundedUserAsync(20_000);
        var trade = Guid.CreateVersion7();

        // A fee is between 0 (Zero policy) and the Default policy's cap of 5 000 (SPEC.md 2.5); so is P + F's sum.
        foreach (var fee in new[] { -1L, 5_001L, long.MaxValue })
        {
            var refusal = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(buyer).PlaceHold(trade, Price, fee));
            Assert.Equal((ErrorCodes.ValidationFailed, "feeMinor"), (refusal.Code, refusal.Errors.Single().Field));
        }
        var huge = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(buyer).PlaceHold(trade, long.MaxValue, 5_000));

        Assert.Equal((ErrorCodes.ValidationFailed, "priceMinor"), (huge.Code, huge.Errors.Single().Field));
        Assert.Equal(20_000, await cluster.BalanceAsync(buyer, "USER_AVAILABLE"));
        Assert.Equal(0, await cluster.ScalarAsync<long>("select count(*) from ledger.holds where trade_id = $1", trade));
    }

    [Fact]
    public async Task a_fee_frozen_under_another_policy_is_held_as_the_trade_froze_it()
    {
        var buyer = await cluster.FundedUserAsync(20_000);
        var trade = Guid.CreateVersion7();
        // fee(10 000) = 574 under the Default policy; a trade accepted under the Zero policy froze 0 (SPEC.md 2.5).
        await cluster.Account(buyer).PlaceHold(trade, Price, 0);
        Assert.Equal(20_000 - Price, await cluster.BalanceAsync(buyer, "USER_AVAILABLE"));
        Assert.Equal(0, await cluster.ScalarAsync<long>("select fee from ledger.holds where trade_id = $1", trade));
    }

    [Fact]
    public async Task a_closed_hold_cannot_be_closed_by_another_operation()
    {
        var (buyer, seller, trade, _) = await HeldAsync();
        await cluster.Account(buyer).ReleaseHold(trade, seller);

        var refund = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(buyer).RefundHold(trade));
        var split = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(buyer).SplitHold(trade, seller, 1));

        Assert.Equal(ErrorCodes.InvalidTransition, refund.Code);
        Assert.Equal(HoldStatuses.Released, refund.Extensions["currentStatus"]);
        Assert.Equal(ErrorCodes.InvalidTransition, split.Code);
        Assert.Equal(Price, await cluster.BalanceAsync(seller, "USER_AVAILABLE"));
        Assert.Equal(0, await cluster.TransactionCountAsync($"trade:{trade}:refund"));
    }

    [Fact]
    public async Task closing_twice_with_the_same_operation_is_a_replay()
    {
        var (buyer, seller, trade, _) = await HeldAsync();
        var first = await cluster.Account(buyer).ReleaseHold(trade, seller);

        var again = await cluster.Account(buyer).ReleaseHold(trade, seller);

        Assert.True(again.Replayed);
        Assert.Equal(first.TransactionId, again.TransactionId);
        Assert.Equal(Price, await cluster.BalanceAsync(seller, "USER_AVAILABLE"));
    }

    [Fact]
    public async Task placing_the_same_hold_twice_is_a_replay_and_another_price_a_conflict()
    {
        var (buyer, _, trade, _) = await HeldAsync();

        var again = await cluster.Account(buyer).PlaceHold(trade, Price, Fee);
        var other = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(buyer).PlaceHold(trade, Price + 1, Fee));

        Assert.True(again.Replayed);
        Assert.Equal(ErrorCodes.IdempotencyConflict, other.Code);
        Assert.Equal(Price, await cluster.BalanceAsync(buyer, "USER_ESCROW"));
    }

    [Fact]
    public async Task a_hold_is_refused_when_price_and_fee_exceed_the_available_balance()
    {
        var buyer = await cluster.FundedUserAsync(Price);

        var refusal = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(buyer).PlaceHold(Guid.CreateVersion7(), Price, Fee));

        Assert.Equal(ErrorCodes.InsufficientFunds, refusal.Code);
        Assert.Equal(Price + Fee, refusal.Extensions["requiredMinor"]);
        Assert.Equal(0, await cluster.BalanceAsync(buyer, "USER_ESCROW"));
    }

    [Fact]
    public async Task another_buyers_hold_is_not_found()
    {
        var (_, seller, trade, _) = await HeldAsync();
        var stranger = await cluster.FundedUserAsync(100);

        var refusal = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(stranger).ReleaseHold(trade, seller));

        Assert.Equal(ErrorCodes.NotFound, refusal.Code);
        Assert.Equal(HoldStatuses.Open, await cluster.HoldStatusAsync(trade));
    }
}
