namespace NeXChange.Api.Idempotency;

/// <summary>Endpoint metadata: the Idempotency-Key header is mandatory here (SPEC.md 2.7).</summary>
public sealed class RequiresIdempotencyKey;

public static class IdempotencyEndpointExtensions
{
    public static TBuilder RequireIdempotencyKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiresIdempotencyKey());
}
