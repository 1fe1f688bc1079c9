using NeXChange.Credits;
using NeXChange.Errors;

namespace NeXChange.Grains.Tests.Credits;

public class TransferTests(CreditsCluster cluster) : IClassFixture<CreditsCluster>
{
    [Fact]
    public async Task signup_grant_is_posted_once_even_under_concurrent_calls()
    {
        var user = await cluster.NewUserAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cluster.Account(user).GrantSignup()));

        Assert.Single(results.Select(r => r.TransactionId).Distinct());
        Assert.Single(results, r => !r.Replayed);
        Assert.Equal(10_000, await cluster.BalanceAsync(user, "USER_AVAILABLE"));
        Assert.Equal(1, await cluster.TransactionCountAsync($"grant:signup:{user}"));
        Assert.Equal(10_000, (await cluster.Account(user).GetBalance()).AvailableMinor);
    }

    [Fact]
    public async Task transfer_moves_exactly_the_amount_between_the_two_available_accounts()
    {
        var sender = await cluster.FundedUserAsync(10_000);
        var recipient = await cluster.NewUserAsync();

        var posted = await cluster.Account(sender).Transfer(new TransferOrder(recipient, 2_501, "for the bike", "t-1"));

        Assert.False(posted.Replayed);
        Assert.Equal(7_499, posted.AvailableMinor);
        Assert.Equal(7_499, await cluster.BalanceAsync(sender, "USER_AVAILABLE"));
        Assert.Equal(2_501, await cluster.BalanceAsync(recipient, "USER_AVAILABLE"));
        Assert.Equal(2_501, (await cluster.Account(recipient).GetBalance()).AvailableMinor);
        var sent = (await cluster.Account(sender).GetHistory(null, 1)).Items.Single();
        Assert.Equal((MovementKinds.Transfer, -2_501L, 7_499L, recipient, "for the bike"),
            (sent.Kind, sent.AmountMinor, sent.BalanceAfterMinor, sent.CounterpartyId, sent.Memo));
        var received = (await cluster.Account(recipient).GetHistory(null, 1)).Items.Single();
        Assert.Equal((2_501L, sender, (string?)null, posted.TransactionId), (received.AmountMinor, received.CounterpartyId, received.Memo, received.TransactionId));
    }

    [Fact]
    public async Task a_replayed_transfer_returns_the_same_transaction_and_moves_nothing()
    {
        var sender = await cluster.FundedUserAsync(10_000);
        var recipient = await cluster.NewUserAsync();
        var order = new TransferOrder(recipient, 1_000, null, "same-key");

        var first = await cluster.Account(sender).Transfer(order);
        var again = await cluster.Account(sender).Transfer(order);

        Assert.Equal(first.TransactionId, again.TransactionId);
        Assert.True(again.Replayed);
        Assert.Equal(9_000, await cluster.BalanceAsync(sender, "USER_AVAILABLE"));
        Assert.Equal(1_000, await cluster.BalanceAsync(recipient, "USER_AVAILABLE"));
    }

    [Fact]
    public async Task a_replay_is_answered_even_when_the_funds_are_now_short()
    {
        var sender = await cluster.FundedUserAsync(3_000);
        var recipient = await cluster.NewUserAsync();
        var order = new TransferOrder(recipient, 3_000, null, "all-in");

        var first = await cluster.Account(sender).Transfer(order);
        var again = await cluster.Account(sender).Transfer(order);

        Assert.Equal(first.TransactionId, again.TransactionId);
        Assert.True(again.Replayed);
        Assert.Equal(3_000, await cluster.BalanceAsync(recipient, "USER_AVAILABLE"));
    }

    [Fact]
    public async Task the_same_key_with_another_amount_is_an_idempotency_conflict()
    {
        var sender = await cluster.FundedUserAsync(10_000);
        var recipient = await cluster.NewUserAsync();
        await cluster.Account(sender).Transfer(new TransferOrder(recipient, 1_000, null, "k"));

        var refusal = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(sender).Transfer(new TransferOrder(recipient, 1_001, null, "k")));

        Assert.Equal(ErrorCodes.IdempotencyConflict, refusal.Code);
        Assert.Equal(9_000, await cluster.BalanceAsync(sender, "USER_AVAILABLE"));
    }

    [Fact]
    public async Task transfer_is_refused_when_funds_are_short_and_nothing_moves()
    {
        var sender = await cluster.FundedUserAsync(1_000);
        var recipient = await cluster.NewUserAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(sender).Transfer(new TransferOrder(recipient, 1_001, null, "over")));

        Assert.Equal(ErrorCodes.InsufficientFunds, refusal.Code);
        Assert.Equal(1_000L, refusal.Extensions["availableMinor"]);
        Assert.Equal(1_001L, refusal.Extensions["requiredMinor"]);
        Assert.Equal(1_000, await cluster.BalanceAsync(sender, "USER_AVAILABLE"));
        Assert.Equal(0, await cluster.BalanceAsync(recipient, "USER_AVAILABLE"));
        Assert.Equal(0, await cluster.TransactionCountAsync($"transfer:{sender}:over"));
    }

    [Fact]
    public async Task credits_received_from_others_can_be_spent_at_once()
    {
        var payer = await cluster.FundedUserAsync(5_000);
        var user = await cluster.NewUserAsync();
        var third = await cluster.NewUserAsync();
        await cluster.Account(user).GetBalance(); // activate with a zero balance cached
        await cluster.Account(payer).Transfer(new TransferOrder(user, 5_000, null, "pay"));

        var posted = await cluster.Account(user).Transfer(new TransferOrder(third, 5_000, null, "spend"));

        Assert.Equal(0, posted.AvailableMinor);
        Assert.Equal(5_000, await cluster.BalanceAsync(third, "USER_AVAILABLE"));
    }

    [Fact]
    public async Task transfer_recipient_must_exist_be_verified_and_not_be_the_sender()
    {
        var sender = await cluster.FundedUserAsync(1_000);
        var unverified = await cluster.NewUserAsync(HolderStatus.Unverified);
        var account = cluster.Account(sender);

        Assert.Equal(ErrorCodes.NotFound,
            (await Assert.ThrowsAsync<DomainException>(() => account.Transfer(new TransferOrder(Guid.CreateVersion7(), 10, null, "a")))).Code);
        Assert.Equal(ErrorCodes.RecipientNotEligible,
            (await Assert.ThrowsAsync<DomainException>(() => account.Transfer(new TransferOrder(unverified, 10, null, "b")))).Code);
        var self = await Assert.ThrowsAsync<DomainException>(() => account.Transfer(new TransferOrder(sender, 10, null, "c")));
        Assert.Equal((ErrorCodes.ValidationFailed, "recipientId"), (self.Code, self.Errors.Single().Field));
        Assert.Equal(1_000, await cluster.BalanceAsync(sender, "USER_AVAILABLE"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task transfer_amount_below_the_minimum_is_a_validation_error(long amountMinor)
    {
        var sender = await cluster.FundedUserAsync(1_000);
        var recipient = await cluster.NewUserAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => cluster.Account(sender).Transfer(new TransferOrder(recipient, amountMinor, null, "z")));

        Assert.Equal((ErrorCodes.ValidationFailed, "amountMinor"), (refusal.Code, refusal.Errors.Single().Field));
    }

    [Fact]
    public async Task concurrent_debits_of_one_account_never_overdraw_it()
    {
        var sender = await cluster.FundedUserAsync(10_000);
        var recipient = await cluster.NewUserAsync();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 25).Select(async i =>
        {
            try
            {
                await cluster.Account(sender).Transfer(new TransferOrder(recipient, 1_000, null, $"burst-{i}"));
                return true;
            }
            catch (DomainException e) when (e.Code == ErrorCodes.InsufficientFunds)
            {
                return false;
            }
        }));

        Assert.Equal(10, attempts.Count(ok => ok));
        Assert.Equal(0, await cluster.BalanceAsync(sender, "USER_AVAILABLE"));
        Assert.Equal(10_000, await cluster.BalanceAsync(recipient, "USER_AVAILABLE"));
    }
}
