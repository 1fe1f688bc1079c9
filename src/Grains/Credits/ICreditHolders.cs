namespace NeXChange.Credits;

public enum HolderStatus
{
    Unknown,
    Unverified,
    Eligible,
}

/// <summary>What a transfer needs to know of its two users: whether the recipient may receive credits, and the sender's public name for the recipient's notice.</summary>
public sealed record TransferParties(HolderStatus Recipient, string? SenderDisplayName);

/// <summary>
/// Whether a user may receive credits (exists and has a verified email), and the sender's display name. Implemented by
/// the users module over its own table; the ledger only asks.
/// </summary>
public interface ICreditHolders
{
    /// <summary>Both facts in one read: a transfer would otherwise pay a database round trip for each.</summary>
    Task<TransferParties> GetTransferPartiesAsync(Guid senderId, Guid recipientId);
}
