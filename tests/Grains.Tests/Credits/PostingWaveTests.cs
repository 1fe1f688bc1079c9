using NeXChange.Credits;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>
/// How the group commit writer splits a batch into waves written one statement per table: no account and no key twice
/// in a wave (the entries' row triggers could not apply two rows of one account in one statement), queue order kept.
/// </summary>
public sealed class PostingWaveTests
{
    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid(), C = Guid.NewGuid(), D = Guid.NewGuid(), E = Guid.NewGuid();

    private static PostgresLedgerWriter.Prepared Posting(string key, Guid from, Guid to) =>
        new(new LedgerPosting(MovementKinds.Transfer, key, []), Guid.NewGuid(), DateTimeOffset.UnixEpoch, [(from, -1), (to, 1)], "hash");

    private static string[][] Keys(List<List<PostgresLedgerWriter.Prepared>> waves) =>
        waves.Select(w => w.Select(p => p.Posting.IdempotencyKey).ToArray()).ToArray();

    [Fact]
    public void postings_that_share_nothing_form_one_wave()
    {
        var waves = PostingStatements.Waves([Posting("1", A, B), Posting("2", C, D)]);
        Assert.Equal([["1", "2"]], Keys(waves));
    }

    [Fact]
    public void a_posting_sharing_an_account_goes_after_the_last_wave_with_that_account_and_order_is_kept_per_account()
    {
        // 3 shares B with 1 and D with 2 (both wave 0): wave 1. 4 shares nothing: wave 0. 5 shares B with 3: wave 2.
        var waves = PostingStatements.Waves([Posting("1", A, B), Posting("2", C, D), Posting("3", B, D), Posting("4", E, Guid.NewGuid()), Posting("5", B, Guid.NewGuid())]);
        Assert.Equal([["1", "2", "4"], ["3"], ["5"]], Keys(waves));
        foreach (var wave in waves)
        {
            var accounts = wave.SelectMany(p => p.Legs.Select(l => l.Id)).ToList();
            Assert.Equal(accounts.Count, accounts.Distinct().Count());
        }
    }

    [Fact]
    public void the_same_key_twice_goes_into_two_waves_even_on_other_accounts()
    {
        var waves = PostingStatements.Waves([Posting("k", A, B), Posting("k", C, D), Posting("other", E, Guid.NewGuid())]);
        Assert.Equal([["k", "other"], ["k"]], Keys(waves));
    }
}
