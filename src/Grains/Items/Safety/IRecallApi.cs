namespace NeXChange.Items.Safety;

/// <summary>
/// The external recall database. Throws when it cannot answer (HTTP error, malformed body, cancellation); the safety
/// check then falls back to the local recall list.
/// </summary>
public interface IRecallApi
{
    Task<IReadOnlyList<RecallMatch>> SearchAsync(string brand, string model, CancellationToken cancellationToken);
}
