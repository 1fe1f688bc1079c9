using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Errors;
using NeXChange.Search;

namespace NeXChange.Api.Endpoints;

/// <summary>Search, suggestions, and the admin knobs and numbers of search (SPEC.md 5, 8.3, 8.6).</summary>
public static class Search
{
    public sealed record SuggestionList(IReadOnlyList<Suggestion> Suggestions);
    public sealed record WeightsRequest(double? Proximity, double? Recency, double? PhotoCount, double? Reputation, double? CategoryMatch, double? Freshness);
    public sealed record SettingsRequest(double? TextBlend, WeightsRequest? Weights);

    public static void Map(RouteGroupBuilder api)
    {
        var items = api.MapGroup("/items").WithTags("Search");
        items.MapGet("", Find).Fails(400);
        items.MapGet("/suggest", async (string? q, IClusterClient cluster) =>
            TypedResults.Ok(new SuggestionList(await Engine(cluster).Suggest(q)))).Fails(400);

        var admin = api.MapGroup("/admin/search").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        admin.MapGet("/weights", async (IClusterClient cluster) => TypedResults.Ok(await Settings(cluster).Get())).Fails(401, 403);
        admin.MapPut("/weights", UpdateWeights).Fails(400, 401, 403);
        admin.MapGet("/analytics", Analytics).Fails(400, 401, 403);
    }

    private static ISearchGrain Engine(IClusterClient cluster) => cluster.GetGrain<ISearchGrain>(0);

    private static ISearchSettingsGrain Settings(IClusterClient cluster) => cluster.GetGrain<ISearchSettingsGrain>(0);

    /// <summary>Parameters go to the grain as sent, so every front end reports the same field errors (SPEC.md 5.1).</summary>
    private static async Task<Ok<SearchPage>> Find(HttpContext http, IClusterClient cluster)
    {
        string? Param(string name) => http.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null;
        var query = new SearchQuery(Param("q"), Param("category"), Param("condition"), Param("minPriceMinor"), Param("maxPriceMinor"),
            Param("lat"), Param("lng"), Param("radiusKm"), Param("radiusMi"), Param("verifiedOnly"), Param("sort"), Param("page"), Param("pageSize"));
        Guid? caller = http.User.Identity?.IsAuthenticated == true ? http.User.UserId() : null;
        return TypedResults.Ok(await Engine(cluster).Search(query, caller));
    }

    private static async Task<Ok<SearchSettings>> UpdateWeights(SettingsRequest body, HttpContext http, IClusterClient cluster)
    {
        var errors = new List<FieldError>();
        double Required(string field, double? value)
        {
            if (value is null) errors.Add(new FieldError(field, FieldCodes.Required, $"{field} is required."));
            return value ?? 0;
        }
        var w = body.Weights;
        if (w is null) errors.Add(new FieldError("weights", FieldCodes.Required, "weights is required."));
        var weights = new SignalWeights(Required("weights.proximity", w?.Proximity), Required("weights.recency", w?.Recency),
            Required("weights.photoCount", w?.PhotoCount), Required("weights.reputation", w?.Reputation),
            Required("weights.categoryMatch", w?.CategoryMatch), Required("weights.freshness", w?.Freshness));
        var blend = Required("textBlend", body.TextBlend);
        if (errors.Count > 0) throw DomainException.Validation([.. errors]);
        return TypedResults.Ok(await Settings(cluster).Update(http.User.UserId(), new SearchWeights(blend, weights)));
    }

    /// <summary><c>from</c>/<c>to</c> are dates (whole UTC days, inclusive) or RFC 3339 timestamps.</summary>
    private static async Task<Ok<SearchAnalytics>> Analytics(string? from, string? to, IClusterClient cluster)
    {
        var start = Instant("from", from, endOfDay: false);
        var end = Instant("to", to, endOfDay: true);
        return TypedResults.Ok(await cluster.GetGrain<ISearchAnalyticsGrain>(0).Report(start, end));
    }

    private static DateTimeOffset Instant(string field, string? value, bool endOfDay)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return new DateTimeOffset(endOfDay ? date.AddDays(1).ToDateTime(TimeOnly.MinValue) : date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)) return instant;
        throw DomainException.Validation(field, value is null ? FieldCodes.Required : FieldCodes.InvalidFormat, $"{field} is a date YYYY-MM-DD or an RFC 3339 time.");
    }
}
