namespace NeXChange.Items.Safety;

/// <summary>
/// The recall check run at publish and on re-check edits (SPEC.md 4.4). Never throws for a failing dependency:
/// when neither the recall API nor the local list can answer, the outcome is <c>unavailable</c>, which lets the
/// listing go live flagged for review instead of blocking it.
/// </summary>
public interface ISafetyCheck
{
    Task<SafetyCheck> CheckAsync(Guid categoryId, string? brand, string? model, CancellationToken cancellationToken = default);
}
