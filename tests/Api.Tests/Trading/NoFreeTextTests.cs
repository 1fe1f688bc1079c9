using System.Net;
using System.Text.Json;
using NeXChange.Api.Tests.Contract;

namespace NeXChange.Api.Tests.Trading;

/// <summary>
/// No endpoint lets one user send another free text (issue 9): trades carry amounts, closed-set choices, places and
/// times, never messages. Read from the API's own OpenAPI document: every string a user can send in a request body of
/// the trade, profile, notification and transfer endpoints that is not a closed set (<c>enum</c>) or a typed value
/// (<c>format</c>: ids, times, files) is free text; no read the other party makes may return a string member of the
/// same name, nor an object open to any member, unless the allow-list below gives the reason; and a request body the
/// document leaves open (so that its strings cannot be named) needs a reason too. Decisions: dispute descriptions go to
/// moderators only (SPEC.md 6.8), so a <c>description</c> in these reads fails; reject-item details likewise (8.4).
/// Feedback comments are public reviews by design (6.9).
/// </summary>
public sealed class NoFreeTextTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>Request bodies a user sends that concern a trade or another user, and the profile the meetup package shows.</summary>
    private static bool IsSent(string path) => path == "/api/v1/me" || SentUnder.Any(path.StartsWith);

    private static readonly string[] SentUnder = ["/api/v1/trades", "/api/v1/me/notifications", "/api/v1/credits/transfers"];

    /// <summary>The reads that show one user what another did: the trade and its views, feeds, history, profiles.</summary>
    private static readonly string[] ReadUnder = ["/api/v1/trades", "/api/v1/me/trades", "/api/v1/me/notifications", "/api/v1/me/credits", "/api/v1/users"];

    private static readonly Dictionary<string, string> AllowedText = new()
    {
        ["memo"] = "SPEC.md 2.10: a transfer memo is shown only on the sender's own entry (a_transfer_memo_is_shown_to_its_sender_only).",
        ["comment"] = "SPEC.md 6.9: a feedback comment is a public review, blind until both have rated; not a reply channel.",
        ["description"] = "SPEC.md 6.8: a dispute's description and response are shown to their author and to moderators only; the "
            + "other party's view has them null (the_other_party_answers_once_and_each_party_sees_only_its_own_text).",
    };

    private static readonly Dictionary<string, string> AllowedOpenBodies = new()
    {
        ["PATCH /api/v1/me"] = "SPEC.md 8.1: an absent member is unchanged and null clears, so the body is read as raw JSON; of its "
            + "fields (8.2) only vehicleDescription reaches another user: the counterparty, in the meetup package while escrow is "
            + "held (3.6, 6.6), to find the car.",
    };

    private static readonly Dictionary<string, string> AllowedOpenObjects = new()
    {
        ["data"] = "SPEC.md 6.10: a notification's data is written by the server from the event (amounts, closed-set reasons); "
            + "no_request_text_reaches_the_other_party shows what it carries.",
    };

    [Fact]
    public async Task no_free_text_a_user_sends_is_returned_to_the_other_party()
    {
        using var client = api.NewClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(OpenApiContract.DocumentPath));
        var schemas = new Schemas(document.RootElement.GetProperty("components").GetProperty("schemas"));

        var sent = new Dictionary<string, List<string>>();
        var read = new Dictionary<string, List<string>>();
        var open = new Dictionary<string, List<string>>();
        var opaque = new Dictionary<string, List<string>>();
        foreach (var (path, method, operation) in Operations(document.RootElement))
        {
            if (IsSent(path) && operation.TryGetProperty("requestBody", out var request))
                foreach (var media in request.GetProperty("content").EnumerateObject())
                    schemas.Walk(media.Value.GetProperty("schema"), $"{method} {path}", onText: (name, where) => Add(sent, name, where),
                        onOpen: (name, where) => Add(opaque, where, name));
            if (method == "GET" && ReadUnder.Any(path.StartsWith))
                foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')))
                    foreach (var media in Contents(response.Value))
                        schemas.Walk(media.GetProperty("schema"), $"{method} {path}", onText: (name, where) => Add(read, name, where),
                            onOpen: (name, where) => Add(open, name, where));
        }

        Assert.Contains("details", sent.Keys); // the reader sees request bodies: reject-item's details are free text
        Assert.Contains("displayName", read.Keys); // and responses: a profile's display name is a string
        var leaks = sent.Keys.Intersect(read.Keys).Where(name => !AllowedText.ContainsKey(name))
            .Select(name => $"'{name}' sent in {string.Join(", ", sent[name].Distinct())} is read in {string.Join(", ", read[name].Distinct())}");
        var holes = open.Keys.Where(name => !AllowedOpenObjects.ContainsKey(name))
            .Select(name => $"'{name}' is open to any member in {string.Join(", ", open[name].Distinct())}");
        var unseen = opaque.Keys.Where(operation => !AllowedOpenBodies.ContainsKey(operation))
            .Select(operation => $"{operation} takes a body open to any member at {string.Join(", ", opaque[operation].Distinct())}");
        Assert.Empty(leaks.Concat(holes).Concat(unseen));
    }

    [Fact]
    public async Task a_transfer_memo_is_shown_to_its_sender_only()
    {
        var rig = await TradeRig.Create(api);
        var memo = Marker();
        var sent = await TradeRig.Ok(rig.Buyer, TradeRig.Post("/api/v1/credits/transfers",
            new { toUserId = rig.SellerUser.Id, amountMinor = 250, memo }), HttpStatusCode.Created);
        var transactionId = sent.GetProperty("transactionId").GetGuid();

        Assert.Equal(memo, EntryOf(await History(rig.Buyer), transactionId).GetProperty("memo").GetString());
        var received = EntryOf(await History(rig.Seller), transactionId);
        Assert.True(!received.TryGetProperty("memo", out var shown) || shown.ValueKind == JsonValueKind.Null, received.ToString());
        await AssertNowhere(rig.Seller, rig.BuyerUser.Id, null, memo);
    }

    [Fact]
    public async Task no_request_text_reaches_the_other_party()
    {
        var rig = await TradeRig.Create(api);
        var (id, meetup) = await rig.Scheduled(5_000);
        await rig.AdvanceTo(meetup);
        var details = Marker();
        var rejected = await TradeRig.Ok(rig.Buyer, TradeRig.Post($"/api/v1/trades/{id}/reject-item",
            new { reason = "not_as_described", details }));
        Assert.Equal("not_as_described", rejected.GetProperty("endReason").GetString());
        Assert.DoesNotContain(details, rejected.GetRawText());
        await AssertNowhere(rig.Seller, rig.BuyerUser.Id, id, details);
    }

    /// <summary>The reads of SPEC.md 8 that show <paramref name="reader"/> what the other party did hold no trace of <paramref name="text"/>.</summary>
    private static async Task AssertNowhere(HttpClient reader, Guid otherUserId, Guid? tradeId, string text)
    {
        var reads = new List<string>
        {
            "/api/v1/me/trades?limit=100", "/api/v1/me/notifications?limit=100", "/api/v1/me/credits/history?limit=100",
            $"/api/v1/users/{otherUserId}",
        };
        if (tradeId is { } id) reads.Add($"/api/v1/trades/{id}");
        foreach (var path in reads)
        {
            var body = await TradeRig.Ok(reader, new HttpRequestMessage(HttpMethod.Get, path));
            Assert.DoesNotContain(text, body.GetRawText());
        }
    }

    /// <summary>Text no answer would hold by chance, in a form a serializer keeps verbatim.</summary>
    private static string Marker() => $"marker{Guid.NewGuid():N}";

    private static async Task<JsonElement> History(HttpClient client) =>
        await TradeRig.Ok(client, new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/credits/history?limit=100"));

    private static JsonElement EntryOf(JsonElement history, Guid transactionId) =>
        history.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("transactionId").GetGuid() == transactionId);

    private static void Add(Dictionary<string, List<string>> found, string name, string where)
    {
        if (!found.TryGetValue(name, out var places)) found[name] = places = [];
        places.Add(where);
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Select(operation => (path.Name, operation.Name.ToUpperInvariant(), operation.Value)));

    private static IEnumerable<JsonElement> Contents(JsonElement response) =>
        response.TryGetProperty("content", out var content) ? content.EnumerateObject().Select(c => c.Value) : [];

    /// <summary>Walks a schema through references, compositions, arrays and objects, naming each string member it meets.</summary>
    private sealed class Schemas(JsonElement components)
    {
        private static readonly string[] Compositions = ["oneOf", "anyOf", "allOf"];

        public void Walk(JsonElement schema, string where, Action<string, string> onText, Action<string, string> onOpen) =>
            Visit(schema, null, where, onText, onOpen, []);

        private void Visit(JsonElement schema, string? name, string where, Action<string, string> onText, Action<string, string> onOpen,
            HashSet<string> seen)
        {
            if (schema.ValueKind != JsonValueKind.Object) return;
            if (schema.TryGetProperty("$ref", out var reference))
            {
                var key = reference.GetString()!.Split('/')[^1];
                if (seen.Add(key)) Visit(components.GetProperty(key), name, where, onText, onOpen, seen);
                return;
            }
            foreach (var composition in Compositions)
                if (schema.TryGetProperty(composition, out var parts))
                    foreach (var part in parts.EnumerateArray()) Visit(part, name, where, onText, onOpen, seen);
            if (name is not null && IsFreeText(schema)) onText(name, where);
            if (schema.TryGetProperty("items", out var items)) Visit(items, name, where, onText, onOpen, seen);
            if (schema.TryGetProperty("properties", out var properties))
                foreach (var property in properties.EnumerateObject()) Visit(property.Value, property.Name, where, onText, onOpen, seen);
            if (IsOpen(schema)) onOpen(name ?? "(body)", where);
        }

        /// <summary>Takes members the document does not name: a map, an object without properties, or no schema at all.</summary>
        private static bool IsOpen(JsonElement schema) =>
            schema.TryGetProperty("additionalProperties", out var more) ? more.ValueKind != JsonValueKind.False
            : !schema.EnumerateObject().Any() || (Types(schema).Contains("object") && !schema.TryGetProperty("properties", out _));

        private static IEnumerable<string?> Types(JsonElement schema) =>
            !schema.TryGetProperty("type", out var type) ? []
            : type.ValueKind == JsonValueKind.String ? [type.GetString()] : type.EnumerateArray().Select(t => t.GetString());

        private static bool IsFreeText(JsonElement schema) =>
            Types(schema).Contains("string")
            && !schema.TryGetProperty("enum", out _) && !schema.TryGetProperty("format", out _) && !schema.TryGetProperty("const", out _);
    }
}
