using NeXChange.Errors;
using NeXChange.Search;

namespace NeXChange.Domain.Tests.Search;

public sealed class SearchQueryParserTests
{
    private static IReadOnlyList<FieldError> Refused(SearchQuery query) =>
        Assert.Throws<DomainException>(() => SearchQueryParser.Parse(query)).Errors;

    private static void RefusedOn(SearchQuery query, string field, string code) =>
        Assert.Contains(Refused(query), e => e.Field == field && e.Code == code);

    [Fact]
    public void an_empty_query_means_everything_by_relevance_page_1_of_20()
    {
        var c = SearchQueryParser.Parse(new SearchQuery());
        Assert.Equal(("", SearchSorts.Relevance, 1, 20, false), (c.Q, c.Sort, c.Page, c.PageSize, c.VerifiedOnly));
        Assert.Null(c.Point);
        Assert.Null(c.RadiusKm);
        Assert.Empty(c.Conditions);
    }

    [Fact]
    public void q_may_have_100_characters_but_not_101()
    {
        Assert.Equal(100, SearchQueryParser.Parse(new SearchQuery(Q: new string('a', 100))).Q.Length);
        RefusedOn(new SearchQuery(Q: new string('a', 101)), "q", FieldCodes.TooLong);
    }

    [Fact]
    public void q_with_a_control_character_is_refused() =>
        RefusedOn(new SearchQuery(Q: "bike\0"), "q", FieldCodes.InvalidFormat);

    [Fact]
    public void category_must_be_a_uuid() => RefusedOn(new SearchQuery(Category: "bikes"), "category", FieldCodes.InvalidFormat);

    [Fact]
    public void condition_takes_a_csv_of_the_five_values()
    {
        Assert.Equal(["new", "poor"], SearchQueryParser.Parse(new SearchQuery(Condition: "new, poor,new")).Conditions);
        RefusedOn(new SearchQuery(Condition: "new,broken"), "condition", "unknown_value");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("10000001")]
    public void prices_are_between_0_and_10_million(string price)
    {
        RefusedOn(new SearchQuery(MinPriceMinor: price), "minPriceMinor", FieldCodes.OutOfRange);
        RefusedOn(new SearchQuery(MaxPriceMinor: price), "maxPriceMinor", FieldCodes.OutOfRange);
    }

    [Fact]
    public void the_minimum_price_may_not_exceed_the_maximum()
    {
        RefusedOn(new SearchQuery(MinPriceMinor: "500", MaxPriceMinor: "499"), "maxPriceMinor", FieldCodes.OutOfRange);
        var c = SearchQueryParser.Parse(new SearchQuery(MinPriceMinor: "0", MaxPriceMinor: "10000000"));
        Assert.Equal((0L, 10_000_000L), (c.MinPriceMinor, c.MaxPriceMinor));
    }

    [Fact]
    public void a_price_must_be_an_integer() => RefusedOn(new SearchQuery(MinPriceMinor: "12.5"), "minPriceMinor", FieldCodes.InvalidFormat);

    [Fact]
    public void lat_and_lng_come_together()
    {
        RefusedOn(new SearchQuery(Lat: "41.88"), "lng", FieldCodes.Required);
        RefusedOn(new SearchQuery(Lng: "-87.63"), "lat", FieldCodes.Required);
        Assert.Equal(new GeoPoint(41.88, -87.63), SearchQueryParser.Parse(new SearchQuery(Lat: "41.88", Lng: "-87.63")).Point);
    }

    [Fact]
    public void lat_and_lng_stay_on_the_globe()
    {
        RefusedOn(new SearchQuery(Lat: "90.01", Lng: "0"), "lat", FieldCodes.OutOfRange);
        RefusedOn(new SearchQuery(Lat: "0", Lng: "-180.5"), "lng", FieldCodes.OutOfRange);
        RefusedOn(new SearchQuery(Lat: "NaN", Lng: "0"), "lat", FieldCodes.InvalidFormat);
    }

    [Fact]
    public void radius_is_1_to_160_km_or_1_to_100_miles_and_miles_become_km()
    {
        var point = new SearchQuery(Lat: "41.88", Lng: "-87.63");
        RefusedOn(point with { RadiusKm = "0.5" }, "radiusKm", FieldCodes.OutOfRange);
        RefusedOn(point with { RadiusKm = "160.1" }, "radiusKm", FieldCodes.OutOfRange);
        RefusedOn(point with { RadiusMi = "100.1" }, "radiusMi", FieldCodes.OutOfRange);
        Assert.Equal(160, SearchQueryParser.Parse(point with { RadiusKm = "160" }).RadiusKm);
        Assert.Equal(16.09344, SearchQueryParser.Parse(point with { RadiusMi = "10" }).RadiusKm!.Value, 9);
    }

    [Fact]
    public void radius_km_and_radius_mi_together_are_refused() =>
        RefusedOn(new SearchQuery(Lat: "41.88", Lng: "-87.63", RadiusKm: "10", RadiusMi: "10"), "radiusMi", SearchQueryParser.ConflictingParameters);

    [Fact]
    public void a_radius_or_distance_sort_without_any_point_is_refused()
    {
        var radius = SearchQueryParser.Parse(new SearchQuery(RadiusMi: "10"));
        Assert.Contains(Assert.Throws<DomainException>(() => radius.WithFallbackPoint(null)).Errors, e => e.Field == "radiusMi");
        var distance = SearchQueryParser.Parse(new SearchQuery(Sort: "distance"));
        Assert.Contains(Assert.Throws<DomainException>(() => distance.WithFallbackPoint(null)).Errors, e => e.Field == "sort");
    }

    [Fact]
    public void the_callers_area_is_the_point_only_when_none_was_given()
    {
        var area = new GeoPoint(40.71, -74.01);
        Assert.Equal(area, SearchQueryParser.Parse(new SearchQuery(RadiusKm: "10")).WithFallbackPoint(area).Point);
        Assert.Equal(new GeoPoint(41.88, -87.63),
            SearchQueryParser.Parse(new SearchQuery(Lat: "41.88", Lng: "-87.63")).WithFallbackPoint(area).Point);
    }

    [Fact]
    public void sort_is_one_of_the_five()
    {
        foreach (var sort in SearchSorts.All.Where(s => s != SearchSorts.Distance))
            Assert.Equal(sort, SearchQueryParser.Parse(new SearchQuery(Sort: sort)).Sort);
        RefusedOn(new SearchQuery(Sort: "cheapest"), "sort", "unknown_value");
    }

    [Fact]
    public void verified_only_is_a_boolean()
    {
        Assert.True(SearchQueryParser.Parse(new SearchQuery(VerifiedOnly: "true")).VerifiedOnly);
        RefusedOn(new SearchQuery(VerifiedOnly: "yes"), "verifiedOnly", FieldCodes.InvalidFormat);
    }

    [Fact]
    public void page_is_at_least_1_and_page_size_is_1_to_50()
    {
        RefusedOn(new SearchQuery(Page: "0"), "page", FieldCodes.OutOfRange);
        RefusedOn(new SearchQuery(PageSize: "0"), "pageSize", FieldCodes.OutOfRange);
        RefusedOn(new SearchQuery(PageSize: "51"), "pageSize", FieldCodes.OutOfRange);
        RefusedOn(new SearchQuery(Page: "x"), "page", FieldCodes.InvalidFormat);
    }

    [Fact]
    public void page_times_page_size_may_reach_1000_but_not_pass_it()
    {
        Assert.Equal(20, SearchQueryParser.Parse(new SearchQuery(Page: "20", PageSize: "50")).Page);
        RefusedOn(new SearchQuery(Page: "21", PageSize: "50"), "page", FieldCodes.OutOfRange);
        RefusedOn(new SearchQuery(Page: "1001"), "page", FieldCodes.OutOfRange);
    }

    [Fact]
    public void every_broken_rule_is_reported_at_once()
    {
        var errors = Refused(new SearchQuery(Q: new string('x', 101), Sort: "nope", PageSize: "99"));
        Assert.Equal(["pageSize", "q", "sort"], errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }
}
