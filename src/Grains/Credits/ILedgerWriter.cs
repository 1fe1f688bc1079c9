namespace NeXChange.Credits;

/// <summary>
/// Posts balanced transactions to the ledger. Callers see one posting in, one result (or refusal) out; whether
/// the posting shares its database transaction with others is the writer's business. Group commit fits behind
/// this interface unchanged: a per-silo writer queues postings for a millisecond or two, posts the batch in one
/// database transaction, completes each caller's task from its own RETURNING rows, and when the batch is refused
/// (one posting overdraws, NX001) re-posts the batch one by one so only the offending posting fails.
/// </summary>
public interface ILedgerWriter
{
    /// <summary>
    /// Posts <paramref name="posting"/> (and its hold change) in one database transaction. A key that already exists
    /// with the same request hash returns the stored transaction with <c>Replayed = true</c> and moves nothing; with
    /// another hash it throws <c>idempotency_conflict</c>. An overdraft throws <c>insufficient_funds</c>.
    /// </summary>
    Task<PostResult> PostAsync(LedgerPosting posting, CancellationToken cancellationToken = default);

    /// <summary>The stored transaction for the posting's key (replay), null if none; <c>idempotency_conflict</c> when the hash differs.</summary>
    Task<PostResult?> FindAsync(LedgerPosting posting, CancellationToken cancellationToken = default);
}
