namespace NeXChange.Search;

/// <summary>The six signal weights of SPEC.md 5.3; valid when each is in [0, 1] and they sum to 1 (±0.0001).</summary>
[GenerateSerializer, Alias("NeXChange.Search.SignalWeights")]
public sealed record SignalWeights(
    [property: Id(0)] double Proximity,
    [property: Id(1)] double Recency,
    [property: Id(2)] double PhotoCount,
    [property: Id(3)] double Reputation,
    [property: Id(4)] double CategoryMatch,
    [property: Id(5)] double Freshness)
{
    public static SignalWeights Default { get; } = new(0.25, 0.20, 0.15, 0.20, 0.10, 0.10);
}

/// <summary>The body of <c>PUT /admin/search/weights</c>.</summary>
[GenerateSerializer, Alias("NeXChange.Search.SearchWeights")]
public sealed record SearchWeights([property: Id(0)] double TextBlend, [property: Id(1)] SignalWeights Weights);

/// <summary>The answer of <c>GET/PUT /admin/search/weights</c>; <see cref="UpdatedBy"/> is null for the seeded defaults.</summary>
[GenerateSerializer, Alias("NeXChange.Search.SearchSettings")]
public sealed record SearchSettings(
    [property: Id(0)] long Version,
    [property: Id(1)] double TextBlend,
    [property: Id(2)] SignalWeights Weights,
    [property: Id(3)] DateTimeOffset UpdatedAt,
    [property: Id(4)] Guid? UpdatedBy);
