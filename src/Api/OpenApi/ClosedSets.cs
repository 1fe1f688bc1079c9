using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NeXChange.Api.Endpoints;
using NeXChange.Trading;

namespace NeXChange.Api.OpenApi;

/// <summary>
/// Request members that take one of a fixed set of words are strings to the generator; the document names the set
/// (<c>enum</c>), from the same lists the handlers check, so clients and the no-free-text check see a closed set.
/// </summary>
public static class ClosedSets
{
    private static readonly string[] AtFault = ["buyer", "seller", "none"];

    private static readonly Dictionary<(Type Type, string Member), IReadOnlyList<string>> Sets = new()
    {
        [(typeof(Trades.LocationBody), "choice")] = [LocationChoice.SafeZone, LocationChoice.Custom, LocationChoice.AcceptPartner],
        [(typeof(Trades.CancelBody), "reason")] = [CancelReasons.ChangedMind, CancelReasons.Mutual, CancelReasons.NoShow],
        [(typeof(Trades.RejectBody), "reason")] = [Trades.NotAsDescribed],
        [(typeof(Trades.ModeratorCancelBody), "atFault")] = AtFault,
        [(typeof(Disputes.OpenBody), "reason")] = DisputeReasons.All,
        [(typeof(Disputes.ResolveBody), "resolution")] = DisputeResolutions.All,
        [(typeof(Disputes.ResolveBody), "atFault")] = AtFault,
        [(typeof(DataRequests.SubmitBody), "type")] = [.. Privacy.DataRequestTypes.Sla.Keys],
        [(typeof(Endpoints.Conversion.QuoteRequest), "direction")] = NeXChange.Conversion.ConversionDirections.All,
    };

    public static IReadOnlyList<string> AtFaultValues => AtFault;

    public static Task Describe(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken _)
    {
        if (schema.Properties is null) return Task.CompletedTask;
        foreach (var (name, property) in schema.Properties)
        {
            if (Sets.TryGetValue((context.JsonTypeInfo.Type, name), out var values) && property is OpenApiSchema member)
                member.Enum = values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)!).ToList();
        }
        return Task.CompletedTask;
    }
}
