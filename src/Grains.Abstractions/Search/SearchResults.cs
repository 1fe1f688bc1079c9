using NeXChange.Users;

namespace NeXChange.Search;

/// <summary>One page of <c>GET /items</c> (SPEC.md 5.1); <see cref="Total"/> counts the whole filtered set.</summary>
[GenerateSerializer, Alias("NeXChange.Search.SearchPage")]
public sealed record SearchPage(
    [property: Id(0)] IReadOnlyList<ItemCard> Items,
    [property: Id(1)] int Page,
    [property: Id(2)] int PageSize,
    [property: Id(3)] long Total,
    [property: Id(4)] SearchFacets Facets);

/// <summary>An item in a result list. It has no coordinate fields by design: only the rounded distance.</summary>
[GenerateSerializer, Alias("NeXChange.Search.ItemCard")]
public sealed record ItemCard(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Title,
    [property: Id(2)] long PriceMinor,
    [property: Id(3)] string Condition,
    [property: Id(4)] Guid CategoryId,
    [property: Id(5)] CoverPhoto? CoverPhoto,
    [property: Id(6)] int PhotoCount,
    [property: Id(7)] string GeneralArea,
    [property: Id(8)] decimal? DistanceKm,
    [property: Id(9)] PublicProfileLite Seller,
    [property: Id(10)] DateTimeOffset PublishedAt,
    [property: Id(11)] decimal? Score);

[GenerateSerializer, Alias("NeXChange.Search.CoverPhoto")]
public sealed record CoverPhoto(
    [property: Id(0)] string Thumb,
    [property: Id(1)] string W400,
    [property: Id(2)] string ThumbWebp,
    [property: Id(3)] string W400Webp);

/// <summary>Facet counts over the whole filtered result set (SPEC.md 5.4).</summary>
[GenerateSerializer, Alias("NeXChange.Search.SearchFacets")]
public sealed record SearchFacets(
    [property: Id(0)] IReadOnlyList<CategoryFacet> Categories,
    [property: Id(1)] IReadOnlyList<ConditionFacet> Conditions,
    [property: Id(2)] IReadOnlyList<PriceFacet> Prices);

[GenerateSerializer, Alias("NeXChange.Search.CategoryFacet")]
public sealed record CategoryFacet([property: Id(0)] Guid CategoryId, [property: Id(1)] string Name, [property: Id(2)] long Count);

[GenerateSerializer, Alias("NeXChange.Search.ConditionFacet")]
public sealed record ConditionFacet([property: Id(0)] string Condition, [property: Id(1)] long Count);

[GenerateSerializer, Alias("NeXChange.Search.PriceFacet")]
public sealed record PriceFacet([property: Id(0)] long FromMinor, [property: Id(1)] long? ToMinor, [property: Id(2)] long Count);

/// <summary>One entry of <c>GET /items/suggest</c>: <see cref="Type"/> is <c>category</c> or <c>item</c>.</summary>
[GenerateSerializer, Alias("NeXChange.Search.Suggestion")]
public sealed record Suggestion([property: Id(0)] string Type, [property: Id(1)] string Text, [property: Id(2)] Guid? CategoryId);
