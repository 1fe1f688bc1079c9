using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>Admin management of safe zones (SPEC.md 6.4, 8.6). Tests of this class run one after another on one database.</summary>
public sealed class SafeZoneAdminTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Path = "/api/v1/admin/safe-zones";
    private const double MilesPerDegreeLat = 6371.0088 * Math.PI / 180 / 1.609344;

    private static JsonObject Body(string name = "Lakeview Police Station", double lat = 41.94, double lng = -87.65, int tier = 1,
        string kind = "police_station", bool active = true) => new()
    {
        ["name"] = name,
        ["address"] = "3600 N Halsted St, Chicago, IL",
        ["lat"] = lat,
        ["lng"] = lng,
        ["tier"] = tier,
        ["kind"] = kind,
        ["open24h"] = true,
        ["daylightOnly"] = false,
        ["active"] = active,
    };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<HttpClient> AdminAsync() => api.ClientFor(await api.Admin());

    private Task<long> CountAsync() => Sql.ScalarAsync<long>(api.Postgres, "select count(*) from safe_zones");

    private static async Task<Dictionary<string, string>> FieldErrors(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Json();
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        return problem.GetProperty("errors").EnumerateArray()
            .ToDictionary(e => e.GetProperty("field").GetString()!, e => e.GetProperty("code").GetString()!);
    }

    private static async Task<Guid> CreateAsync(HttpClient admin, JsonObject body)
    {
        var response = await admin.PostAsync(Path, Json(body.ToJsonString()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Json()).GetProperty("id").GetGuid();
    }

    private static async Task<List<List<Guid>>> PagesAsync(HttpClient admin, string query)
    {
        var pages = new List<List<Guid>>();
        string? before = null;
        do
        {
            var url = $"{Path}?{query}" + (before is null ? "" : $"&before={before}");
            var page = await (await admin.GetAsync(url)).Json();
            pages.Add([.. page.GetProperty("items").EnumerateArray().Select(z => z.GetProperty("id").GetGuid())]);
            before = page.GetProperty("nextBefore").GetString();
        } while (before is not null);
        return pages;
    }

    [Fact]
    public async Task an_admin_creates_reads_and_replaces_a_zone_and_each_change_is_audited()
    {
        var ops = await api.Admin();
        using var admin = api.ClientFor(ops);

        var created = await admin.PostAsync(Path, Json(Body().ToJsonString()));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var zone = await created.Json();
        var id = zone.GetProperty("id").GetGuid();
        Assert.Equal($"{Path}/{id}", created.Headers.Location?.ToString());
        Assert.Equal(7, id.Version);
        Assert.Equal(("Lakeview Police Station", 41.94, -87.65, 1, "police_station", true, false, true),
            (zone.GetProperty("name").GetString(), zone.GetProperty("lat").GetDouble(), zone.GetProperty("lng").GetDouble(),
             zone.GetProperty("tier").GetInt32(), zone.GetProperty("kind").GetString(), zone.GetProperty("open24h").GetBoolean(),
             zone.GetProperty("daylightOnly").GetBoolean(), zone.GetProperty("active").GetBoolean()));
        var read = await admin.GetAsync(created.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(zone.GetRawText(), (await read.Json()).GetRawText());

        var replacement = Body(name: "  Riverside Park  ", lat: 41.9, lng: -87.7, tier: 4, kind: "park", active: false);
        replacement["open24h"] = false;
        replacement["daylightOnly"] = true;
        var updated = await admin.PutAsync($"{Path}/{id}", Json(replacement.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = await (await admin.GetAsync($"{Path}/{id}")).Json();
        Assert.Equal((await updated.Json()).GetRawText(), after.GetRawText());
        Assert.Equal(("Riverside Park", 4, "park", false, true, false),
            (after.GetProperty("name").GetString(), after.GetProperty("tier").GetInt32(), after.GetProperty("kind").GetString(),
             after.GetProperty("open24h").GetBoolean(), after.GetProperty("daylightOnly").GetBoolean(), after.GetProperty("active").GetBoolean()));
        foreach (var change in new[] { "created", "updated" })
            Assert.Equal(1L, await Sql.ScalarAsync<long>(api.Postgres,
                "select count(*) from audit_log where action = 'SAFE_ZONE_CHANGED' and data ->> 'change' = $1 and entity_type = 'safe_zone' and entity_id = $2 and actor_id = $3",
                change, id.ToString(), ops.Id));
    }

    [Fact]
    public async Task the_list_pages_newest_first_and_filters_by_distance_from_a_point()
    {
        using var admin = await AdminAsync();
        // Far from every other test's zones: a point in the Gulf of Guinea.
        var (lat, lng) = (2.0, 3.0);
        var near = new List<Guid>();
        for (var i = 0; i < 5; i++) near.Add(await CreateAsync(admin, Body(lat: lat + i * 0.5 / MilesPerDegreeLat, lng: lng)));
        var twelveMilesNorth = await CreateAsync(admin, Body(lat: lat + 12 / MilesPerDegreeLat, lng: lng));
        var inactive = await CreateAsync(admin, Body(lat: lat, lng: lng, active: false));
        var point = string.Create(CultureInfo.InvariantCulture, $"lat={lat}&lng={lng}");

        var within10 = await PagesAsync(admin, $"{point}&radiusMi=10&limit=2");
        var within15 = await PagesAsync(admin, $"{point}&radiusMi=15&limit=100");
        var everything = await PagesAsync(admin, "limit=3");

        List<Guid> newestFirst = [inactive, .. Enumerable.Reverse(near)];
        Assert.Equal([newestFirst[..2], newestFirst[2..4], newestFirst[4..]], within10);
        Assert.Equal([[inactive, twelveMilesNorth, .. Enumerable.Reverse(near)]], within15);
        Assert.All(everything.SkipLast(1), page => Assert.Equal(3, page.Count));
        Assert.Equal(await CountAsync(), everything.Sum(page => page.Count));
        Assert.Equal([inactive, twelveMilesNorth], everything[0][..2]);
    }

    [Theory]
    [InlineData("name", null, "required")]
    [InlineData("name", "\"   \"", "required")]
    [InlineData("name", "\"ab\"", "too_short")]
    [InlineData("name", "\"101\"", "too_long")]
    [InlineData("name", "\"Station\\u0000\"", "invalid_format")]
    [InlineData("address", null, "required")]
    [InlineData("address", "\"1 A\"", "too_short")]
    [InlineData("address", "\"201\"", "too_long")]
    [InlineData("address", "\"1 Main St\\nDROP\"", "invalid_format")]
    [InlineData("lat", null, "required")]
    [InlineData("lat", "90.0001", "out_of_range")]
    [InlineData("lat", "-1e308", "out_of_range")]
    [InlineData("lng", null, "required")]
    [InlineData("lng", "180.5", "out_of_range")]
    [InlineData("tier", null, "required")]
    [InlineData("tier", "0", "out_of_range")]
    [InlineData("tier", "5", "out_of_range")]
    [InlineData("tier", "2", "invalid_value")]
    [InlineData("kind", null, "required")]
    [InlineData("kind", "\"castle\"", "unknown_value")]
    [InlineData("kind", "\"POLICE_STATION\"", "unknown_value")]
    [InlineData("open24h", null, "required")]
    [InlineData("daylightOnly", null, "required")]
    [InlineData("active", null, "required")]
    public async Task each_field_rule_is_refused_with_its_code_on_create_and_replace_and_changes_nothing(string field, string? json, string code)
    {
        using var admin = await AdminAsync();
        var id = await CreateAsync(admin, Body(name: "Zone before the refusal"));
        var before = (await (await admin.GetAsync($"{Path}/{id}")).Json()).GetRawText();
        var count = await CountAsync();
        var body = Body();
        // "101" and "201" stand for a text one character longer than allowed, in code points (the emoji is one).
        body[field] = json switch
        {
            null => null,
            "\"101\"" => "🚓" + new string('a', 100),
            "\"201\"" => "🚓" + new string('a', 200),
            _ => JsonNode.Parse(json),
        };
        if (json is null) body.Remove(field);

        var created = await FieldErrors(await admin.PostAsync(Path, Json(body.ToJsonString())));
        var replaced = await FieldErrors(await admin.PutAsync($"{Path}/{id}", Json(body.ToJsonString())));

        Assert.Equal(new Dictionary<string, string> { [field] = code }, created);
        Assert.Equal(created, replaced);
        Assert.Equal(count, await CountAsync());
        Assert.Equal(before, (await (await admin.GetAsync($"{Path}/{id}")).Json()).GetRawText());
    }

    [Fact]
    public async Task the_longest_texts_count_code_points_and_are_accepted()
    {
        using var admin = await AdminAsync();
        var body = Body(name: "🚓" + new string('a', 99));
        body["address"] = "🏛" + new string('b', 199);
        var id = await CreateAsync(admin, body);
        var zone = await (await admin.GetAsync($"{Path}/{id}")).Json();
        Assert.Equal(body["name"]!.GetValue<string>(), zone.GetProperty("name").GetString());
        Assert.Equal(body["address"]!.GetValue<string>(), zone.GetProperty("address").GetString());
    }

    [Theory]
    [InlineData("lat=41.9", "lng", "required")]
    [InlineData("lng=-87.6&radiusMi=5", "lat", "required")]
    [InlineData("radiusMi=5", "lat", "required")]
    [InlineData("lat=41.9&lng=-87.6", "radiusMi", "required")]
    [InlineData("lat=41.9&lng=-87.6&radiusMi=0.9", "radiusMi", "out_of_range")]
    [InlineData("lat=41.9&lng=-87.6&radiusMi=100.1", "radiusMi", "out_of_range")]
    [InlineData("lat=41.9&lng=-87.6&radiusMi=NaN", "radiusMi", "out_of_range")]
    [InlineData("lat=91&lng=-87.6&radiusMi=5", "lat", "out_of_range")]
    [InlineData("lat=41.9&lng=-180.1&radiusMi=5", "lng", "out_of_range")]
    [InlineData("lat=41.9&lng=Infinity&radiusMi=5", "lng", "out_of_range")]
    [InlineData("limit=0", "limit", "out_of_range")]
    [InlineData("limit=101", "limit", "out_of_range")]
    public async Task list_filters_are_checked(string query, string field, string code)
    {
        using var admin = await AdminAsync();
        var errors = await FieldErrors(await admin.GetAsync($"{Path}?{query}"));
        Assert.Equal(code, errors[field]);
    }

    [Theory]
    [InlineData("lat=north&lng=1&radiusMi=5")]
    [InlineData("limit=1e9")]
    [InlineData("limit=99999999999")]
    public async Task unparseable_list_parameters_are_validation_failures(string query)
    {
        using var admin = await AdminAsync();
        var response = await admin.GetAsync($"{Path}?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", (await response.Json()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task a_tampered_or_made_up_cursor_is_an_invalid_cursor()
    {
        using var admin = await AdminAsync();
        for (var i = 0; i < 2; i++) await CreateAsync(admin, Body());
        var cursor = (await (await admin.GetAsync($"{Path}?limit=1")).Json()).GetProperty("nextBefore").GetString()!;
        var tampered = (cursor[0] == 'A' ? "B" : "A") + cursor[1..];
        foreach (var before in new[] { tampered, "'; drop table safe_zones; --", new string('A', 40) })
        {
            var response = await admin.GetAsync($"{Path}?before={Uri.EscapeDataString(before)}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_cursor", (await response.Json()).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task unknown_and_malformed_ids_are_not_found()
    {
        using var admin = await AdminAsync();
        foreach (var id in new[] { Guid.CreateVersion7().ToString(), "not-a-uuid", "1%27%20or%20%271%27%3D%271" })
        {
            var get = await admin.GetAsync($"{Path}/{id}");
            var put = await admin.PutAsync($"{Path}/{id}", Json(Body().ToJsonString()));
            Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (get.StatusCode, put.StatusCode));
            Assert.Equal("not_found", (await put.Json()).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task users_are_forbidden_and_anonymous_callers_unauthenticated_and_nothing_changes()
    {
        using var admin = await AdminAsync();
        var id = await CreateAsync(admin, Body());
        var count = await CountAsync();
        using var user = api.ClientFor(await api.RegisterVerified());
        using var anonymous = api.NewClient();

        foreach (var (client, status, code) in new[] { (user, HttpStatusCode.Forbidden, "forbidden"), (anonymous, HttpStatusCode.Unauthorized, "unauthenticated") })
        {
            var responses = new[]
            {
                await client.PostAsync(Path, Json(Body(name: "Sneaky zone").ToJsonString())),
                await client.GetAsync(Path),
                await client.GetAsync($"{Path}/{id}"),
                await client.PutAsync($"{Path}/{id}", Json(Body(name: "Sneaky zone").ToJsonString())),
            };
            foreach (var response in responses)
            {
                Assert.Equal(status, response.StatusCode);
                Assert.Equal(code, (await response.Json()).GetProperty("code").GetString());
            }
        }
        Assert.Equal(count, await CountAsync());
        Assert.Equal("Lakeview Police Station", (await (await admin.GetAsync($"{Path}/{id}")).Json()).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"id":"00000000-0000-7000-8000-000000000000","name":"Lakeview Police Station","address":"3600 N Halsted St","lat":41.9,"lng":-87.6,"tier":1,"kind":"police_station","open24h":true,"daylightOnly":false,"active":true}""")]
    [InlineData("""{"name":"Lakeview Police Station","address":"3600 N Halsted St","lat":1e400,"lng":-87.6,"tier":1,"kind":"police_station","open24h":true,"daylightOnly":false,"active":true}""")]
    [InlineData("""{"name":"Lakeview Police Station","address":"3600 N Halsted St","lat":41.9,"lng":-87.6,"tier":99999999999,"kind":"police_station","open24h":true,"daylightOnly":false,"active":true}""")]
    [InlineData("""{"name":"Lakeview Police Station","address":"3600 N Halsted St","lat":"41.9","lng":-87.6,"tier":1,"kind":"police_station","open24h":true,"daylightOnly":false,"active":true}""")]
    [InlineData("""{"name":"Lakeview Police Station","address":"3600 N Halsted St","lat":41.9,"lng":-87.6,"tier":1.5,"kind":"police_station","open24h":"yes","daylightOnly":false,"active":true}""")]
    [InlineData("""{"name":"Lakeview \udc00 Station","address":"3600 N Halsted St","lat":41.9,"lng":-87.6,"tier":1,"kind":"police_station","open24h":true,"daylightOnly":false,"active":true}""")]
    [InlineData("""[{"name":"Lakeview Police Station"}]""")]
    [InlineData("""{"name":"Lakeview Police Station",""")]
    public async Task hostile_bodies_are_validation_failures_that_change_nothing(string json)
    {
        using var admin = await AdminAsync();
        var count = await CountAsync();
        var response = await admin.PostAsync(Path, Json(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", (await response.Json()).GetProperty("code").GetString());
        Assert.Equal(count, await CountAsync());
    }

    [Fact]
    public async Task sql_fragments_and_unicode_are_stored_as_plain_text()
    {
        using var admin = await AdminAsync();
        var body = Body(name: "Robert'); DROP TABLE safe_zones; -- 🚓", lat: -33.8688, lng: 151.2093);
        body["address"] = "شارع الملك فهد 12, e\u0301cole, 北京市 1' or '1'='1";
        var id = await CreateAsync(admin, body);

        var zone = await (await admin.GetAsync($"{Path}/{id}")).Json();

        Assert.Equal(body["name"]!.GetValue<string>(), zone.GetProperty("name").GetString());
        Assert.Equal(body["address"]!.GetValue<string>(), zone.GetProperty("address").GetString());
        Assert.True(await CountAsync() > 0);
    }
}
