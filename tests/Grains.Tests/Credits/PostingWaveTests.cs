using NeXChange.Credits;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>
/// How the group commit writer splits a batch into waves written one statement per table: no key twice in a wave, and
/// per account the queue order kept (accounts may repeat within a wave: the statement stamps and applies running
/// balances in order, migration 0030).
/// </summary>
public sealed class PostingWaveTests
{
    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid(), C = Guid.NewGuid(), D = Guid.NewGuid(), E = Guid.NewGuid();

    private static PostgresLedgerWriter.Prepared Posting(string key, Guid from, Guid to) =>
        new(new LedgerPosting(MovementKinds.Transfer, key, []), Guid.NewGuid(), DateTimeOffset.UnixEpoch, [(from, -1), (to, 1)], "hash");

    private static string[][] Keys(List<List<PostgresLedgerWriter.Prepared>> waves) =>
        waves.Select(w => w.Select(p => p.Posting.IdempotencyKey).ToArray()).ToArray();

    [Fact]
    public void postings_with_distinct_keys_form_one_wave_even_when_they_share_accounts()
    {
        var waves = PostingStatements.Waves([Posting("1", A, B), Posting("2", C, D), Posting("3", B, D), Posting("4", B, A)]);
        Assert.Equal([["1", "2", "3", "4"]], Keys(waves));
    }

    [Fact]
    public void the_same_key_twice_goes_into_the_next_wave_and_later_postings_of_its_accounts_follow_it_there()
    {
        // The second k waits for the first (wave 1); x shares D with it, so it goes after it; y shares nothing (wave 0).
        var waves = PostingStatements.Waves([Posting("k", A, B), Posting("k", C, D), Posting("x", D, E), Posting("y", Guid.NewGuid(), Guid.NewGuid())]);
        Assert.Equal([["k", "y"], ["k", "x"]], Keys(waves));
    }
}
