namespace NeXChange.Credits;

public enum HolderStatus
{
    Unknown,
    Unverified,
    Eligible,
}

/// <summary>
/// Whether a user may receive credits (exists and has a verified email). Implemented by the users module over its
/// own table; the ledger only asks.
/// </summary>
public interface ICreditHolders
{
    Task<HolderStatus> GetStatusAsync(Guid userId);
}
