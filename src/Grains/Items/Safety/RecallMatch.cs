namespace NeXChange.Items.Safety;

/// <summary>One recall the recall API reported for a brand and model.</summary>
public sealed record RecallMatch(string RecallId);
