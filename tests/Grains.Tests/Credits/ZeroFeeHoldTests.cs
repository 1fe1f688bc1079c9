using NeXChange.Credits;

namespace NeXChange.Grains.Tests.Credits;

public class ZeroFeeHoldTests(ZeroFeeCluster cluster) : IClassFixture<ZeroFeeCluster>
{
    [Fact]
    public async Task a_hold_without_fee_posts_no_fees_entry()
    {
        var buyer = await cluster.FundedUserAsync(5_000);
        var trade = Guid.CreateVersion7();

        var posted = await cluster.Account(buyer).PlaceHold(trade, 1_000, 0);

        Assert.Equal(2, await cluster.ScalarAsync<long>("select count(*) from ledger.entries where transaction_id = $1", posted.TransactionId));
        Assert.Equal(4_000, posted.AvailableMinor);
    }
}
