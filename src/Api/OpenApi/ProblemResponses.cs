namespace NeXChange.Api.OpenApi;

public static class ProblemResponses
{
    /// <summary>Documents the problem+json answers an endpoint gives besides its success (SPEC.md 8.2-8.6 "Main errors").</summary>
    public static RouteHandlerBuilder Fails(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses) builder.ProducesProblem(status);
        return builder;
    }
}
