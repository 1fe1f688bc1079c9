using NeXChange.Credits;
using NeXChange.Errors;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>Limits configured at SingleMovementMax 50 000, DailyOutflow 60 000 and 3 transactions.</summary>
public class LimitTests(SmallLimitsCluster cluster) : IClassFixture<SmallLimitsCluster>
{
    private async Task<Guid> RichUserAsync()
    {
        var user = await cluster.NewUserAsync();
        for (var i = 0; i < 4; i++) await cluster.Account(user).GrantByAdmin(new AdminGrant(Guid.CreateVersion7(), $"g{i}", 50_000, "funding"));
        return user;
    }

    [Fact]
    public async Task a_transfer_above_the_single_movement_maximum_is_limit_exceeded()
    {
        var sender = await RichUserAsync();
        var recipient = await cluster.NewUserAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(sender).Transfer(new TransferOrder(recipient, 50_001, null, "big")));

        Assert.Equal(ErrorCodes.LimitExceeded, refusal.Code);
        Assert.Equal("single_movement_max", refusal.Extensions["limit"]);
        Assert.Equal(50_000L, refusal.Extensions["limitMinor"]);
        Assert.Equal(0, await cluster.BalanceAsync(recipient, "USER_AVAILABLE"));
    }

    [Fact]
    public async Task an_admin_grant_above_the_single_movement_maximum_is_limit_exceeded()
    {
        var user = await cluster.NewUserAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() =>
            cluster.Account(user).GrantByAdmin(new AdminGrant(Guid.CreateVersion7(), "too-much", 50_001, "x")));

        Assert.Equal((ErrorCodes.LimitExceeded, "single_movement_max"), (refusal.Code, refusal.Extensions["limit"]));
        Assert.Equal(0, await cluster.BalanceAsync(user, "USER_AVAILABLE"));
    }

    [Fact]
    public async Task daily_outflow_amount_counts_transfers_and_holds_with_their_fee()
    {
        var sender = await RichUserAsync();
        var recipient = await cluster.NewUserAsync();
        await cluster.Account(sender).Transfer(new TransferOrder(recipient, 30_000, null, "a"));
        await cluster.Account(sender).PlaceHold(Guid.CreateVersion7(), 9_447, 553); // 10 000 of outflow: fee(9 447) = 553

        var refusal = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(sender).Transfer(new TransferOrder(recipient, 20_001, null, "b")));

        Assert.Equal(ErrorCodes.LimitExceeded, refusal.Code);
        Assert.Equal("daily_outflow_amount", refusal.Extensions["limit"]);
        Assert.Equal(60_000L, refusal.Extensions["limitMinor"]);
        Assert.Equal(20_000L, refusal.Extensions["remainingMinor"]);
        await cluster.Account(sender).Transfer(new TransferOrder(recipient, 20_000, null, "c"));
        var balance = await cluster.Account(sender).GetBalance();
        Assert.Equal((60_000L, 60_000L, 3), (balance.DailyOutflowUsedMinor, balance.DailyOutflowLimitMinor, balance.DailyTransactionsUsed));
    }

    [Fact]
    public async Task daily_outflow_count_is_limit_exceeded_on_the_fourth_transaction()
    {
        var sender = await RichUserAsync();
        var recipient = await cluster.NewUserAsync();
        await cluster.Account(sender).Transfer(new TransferOrder(recipient, 1, null, "1"));
        await cluster.Account(sender).Transfer(new TransferOrder(recipient, 1, null, "2"));
        await cluster.Account(sender).PlaceHold(Guid.CreateVersion7(), 100, 203);

        var refusal = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(sender).Transfer(new TransferOrder(recipient, 1, null, "4")));

        Assert.Equal(ErrorCodes.LimitExceeded, refusal.Code);
        Assert.Equal("daily_outflow_count", refusal.Extensions["limit"]);
        Assert.Equal(3, refusal.Extensions["limitCount"]);
        Assert.Equal(0, refusal.Extensions["remainingCount"]);
        Assert.Equal(2, await cluster.BalanceAsync(recipient, "USER_AVAILABLE"));
    }

    [Fact]
    public async Task a_retry_of_an_acknowledged_transfer_is_replayed_after_the_limit_is_used_up()
    {
        var sender = await RichUserAsync();
        var recipient = await cluster.NewUserAsync();
        var first = await cluster.Account(sender).Transfer(new TransferOrder(recipient, 1, null, "r1"));
        await cluster.Account(sender).Transfer(new TransferOrder(recipient, 1, null, "r2"));
        await cluster.Account(sender).Transfer(new TransferOrder(recipient, 1, null, "r3"));

        var again = await cluster.Account(sender).Transfer(new TransferOrder(recipient, 1, null, "r1"));

        Assert.Equal((first.TransactionId, true), (again.TransactionId, again.Replayed));
        Assert.Equal(3, await cluster.BalanceAsync(recipient, "USER_AVAILABLE"));
    }
}
