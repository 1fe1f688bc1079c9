using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Storage;
using NeXChange.Storage.Tests;
using Npgsql;

namespace NeXChange.Api.Tests;

/// <summary>Identity verification (SPEC.md 3.8, 8.2, 8.6): upload, the moderator queue, decisions, document retention.</summary>
public sealed class VerificationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Reason = "The photo on the document is unreadable.";
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");

    private static MultipartFormDataContent Upload(byte[] bytes, string fileName = "id.jpg", string? documentType = "passport")
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", fileName } };
        if (documentType is not null) form.Add(new StringContent(documentType), "documentType");
        return form;
    }

    private static Task<HttpResponseMessage> Submit(HttpClient client, byte[] bytes, string fileName = "id.jpg", string? documentType = "passport") =>
        client.PostAsync("/api/v1/me/verification", Upload(bytes, fileName, documentType));

    private static Task<HttpResponseMessage> Decide(HttpClient client, Guid userId, object body) =>
        client.PostAsJsonAsync($"/api/v1/admin/verifications/{userId}", body);

    private static async Task<string> StatusOf(HttpClient client) =>
        (await (await client.GetAsync("/api/v1/me")).Json()).GetProperty("verificationStatus").GetString()!;

    private static async Task AssertRefused(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await response.Json()).GetProperty("code").GetString());
    }

    private async Task<List<string>> StoredDocuments(Guid userId)
    {
        var blobs = api.SiloServices.GetRequiredService<IBlobStore>();
        var keys = new List<string>();
        await foreach (var blob in blobs.ListAsync($"private/verifications/{userId:N}/")) keys.Add(blob.Key);
        return keys;
    }

    /// <summary>The user's request in the queue of <paramref name="status"/>, walking every page.</summary>
    private async Task<JsonElement?> QueueEntry(HttpClient moderator, Guid userId, string status = "pending")
    {
        string? before = null;
        do
        {
            var page = await (await moderator.GetAsync($"/api/v1/admin/verifications?status={status}&limit=100"
                + (before is null ? "" : $"&before={before}"))).Json();
            foreach (var item in page.GetProperty("items").EnumerateArray())
                if (item.GetProperty("userId").GetGuid() == userId) return item;
            before = page.GetProperty("nextBefore").GetString();
        } while (before is not null);
        return null;
    }

    /// <summary>A new user whose document (by default a phone photo with GPS metadata) was accepted.</summary>
    private async Task<TestUser> Pending(byte[]? document = null, string fileName = "id.jpg")
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        var submitted = await Submit(client, document ?? TestImages.Jpeg(withGps: true), fileName);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Equal("pending", (await submitted.Json()).GetProperty("verificationStatus").GetString());
        return user;
    }

    [Fact]
    public async Task an_upload_makes_the_status_pending_and_a_second_upload_is_an_invalid_transition()
    {
        var user = await Pending();
        using var client = api.ClientFor(user);
        Assert.Equal("pending", await StatusOf(client));
        Assert.NotEmpty(await StoredDocuments(user.Id));

        var again = await Submit(client, TestImages.Png());
        await AssertRefused(again, HttpStatusCode.Conflict, "invalid_transition");
        Assert.Equal("pending", (await again.Json()).GetProperty("currentStatus").GetString());
    }

    [Fact]
    public async Task the_queue_and_decisions_are_refused_to_a_user_who_is_not_a_moderator()
    {
        var user = await Pending();
        using var client = api.ClientFor(user);
        await AssertRefused(await client.GetAsync("/api/v1/admin/verifications"), HttpStatusCode.Forbidden, "forbidden");
        await AssertRefused(await Decide(client, user.Id, new { decision = "approve" }), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("pending", await StatusOf(client));
    }

    [Fact]
    public async Task the_queue_lists_pending_requests_oldest_first_with_name_and_birth_date()
    {
        var first = await Pending();
        using var firstClient = api.ClientFor(first);
        var patched = await firstClient.PatchAsJsonAsync("/api/v1/me", new { fullName = "Ada Lovelace" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var birthDate = (await patched.Json()).GetProperty("dateOfBirth").GetString();
        var second = await Pending();
        using var moderator = api.ClientFor(await api.Admin());

        var order = new List<Guid>();
        string? before = null;
        do
        {
            var response = await moderator.GetAsync("/api/v1/admin/verifications?limit=1" + (before is null ? "" : $"&before={before}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Json();
            order.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("userId").GetGuid()));
            before = page.GetProperty("nextBefore").GetString();
        } while (before is not null);
        Assert.True(order.IndexOf(first.Id) >= 0 && order.IndexOf(first.Id) < order.IndexOf(second.Id));

        var entry = (await QueueEntry(moderator, first.Id))!.Value;
        Assert.Equal("Ada Lovelace", entry.GetProperty("fullName").GetString());
        Assert.Equal(birthDate, entry.GetProperty("dateOfBirth").GetString());
        Assert.Equal("passport", entry.GetProperty("documentType").GetString());
        Assert.Equal("pending", entry.GetProperty("status").GetString());
        await AssertRefused(await moderator.GetAsync("/api/v1/admin/verifications?before=AAAA"), HttpStatusCode.BadRequest, "invalid_cursor");
        await AssertRefused(await moderator.GetAsync("/api/v1/admin/verifications?status=unverified"), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task an_approval_gives_the_profile_its_badge_and_is_audited_and_notified()
    {
        var user = await Pending();
        using var client = api.ClientFor(user);
        using var moderator = api.ClientFor(await api.Admin());
        using var anyone = api.NewClient();
        Assert.False((await (await anyone.GetAsync($"/api/v1/users/{user.Id}")).Json()).GetProperty("verified").GetBoolean());

        var approved = await Decide(moderator, user.Id, new { decision = "approve" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var body = await approved.Json();
        Assert.Equal(user.Id, body.GetProperty("userId").GetGuid());
        Assert.Equal("verified", body.GetProperty("verificationStatus").GetString());
        Assert.True((await (await anyone.GetAsync($"/api/v1/users/{user.Id}")).Json()).GetProperty("verified").GetBoolean());
        Assert.Equal("verified", await StatusOf(client));

        await AssertRefused(await Decide(moderator, user.Id, new { decision = "reject", reason = Reason }), HttpStatusCode.Conflict, "invalid_transition");
        await AssertRefused(await Submit(client, TestImages.Jpeg()), HttpStatusCode.Conflict, "invalid_transition");
        await AssertRefused(await Decide(moderator, Guid.CreateVersion7(), new { decision = "approve" }), HttpStatusCode.NotFound, "not_found");

        var feed = await (await client.GetAsync("/api/v1/me/notifications")).Json();
        Assert.Contains(feed.GetProperty("items").EnumerateArray(), n => n.GetProperty("type").GetString() == "verification_decided");
        Assert.Equal(["VERIFICATION_DECIDED", "VERIFICATION_SUBMITTED"], await AuditActions(user.Id));
    }

    [Fact]
    public async Task a_rejection_needs_a_reason_of_ten_characters_and_lets_the_user_upload_again()
    {
        var user = await Pending();
        using var client = api.ClientFor(user);
        using var moderator = api.ClientFor(await api.Admin());
        await AssertRefused(await Decide(moderator, user.Id, new { decision = "reject" }), HttpStatusCode.BadRequest, "validation_failed");
        await AssertRefused(await Decide(moderator, user.Id, new { decision = "reject", reason = "Too short" }), HttpStatusCode.BadRequest, "validation_failed");
        await AssertRefused(await Decide(moderator, user.Id, new { decision = "maybe", reason = Reason }), HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("pending", await StatusOf(client));

        var rejected = await Decide(moderator, user.Id, new { decision = "reject", reason = Reason });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal("rejected", (await rejected.Json()).GetProperty("verificationStatus").GetString());
        Assert.Equal("rejected", await StatusOf(client));

        var again = await Submit(client, Pdf, "id.pdf", "national_id");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal("pending", await StatusOf(client));
    }

    [Fact]
    public async Task the_document_url_opens_with_its_signature_only()
    {
        var image = await Pending();
        var pdf = await Pending(Pdf, "id.pdf");
        using var moderator = api.ClientFor(await api.Admin());
        using var anyone = new HttpClient { BaseAddress = api.BaseAddress };
        foreach (var (user, type) in new[] { (image, "image/jpeg"), (pdf, "application/pdf") })
        {
            // The fixture's public base URL names no port; the media route is the API's own.
            var signed = new Uri((await QueueEntry(moderator, user.Id))!.Value.GetProperty("documentUrl").GetString()!).PathAndQuery;
            Assert.StartsWith($"/media/private/verifications/{user.Id:N}/", signed);
            var document = await anyone.GetAsync(signed);
            Assert.Equal(HttpStatusCode.OK, document.StatusCode);
            Assert.Equal(type, document.Content.Headers.ContentType?.MediaType);
            var bytes = await document.Content.ReadAsByteArrayAsync();
            // A PDF is kept as uploaded; a photo is re-encoded without the phone's metadata.
            if (user == pdf) Assert.Equal(Pdf, bytes);
            else Assert.Equal(-1, bytes.AsSpan().IndexOf("TestPhone"u8));
            Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync(signed.Split('?')[0])).StatusCode);
            // A later expiry than the one signed.
            Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync(signed.Replace("expires=", "expires=9", StringComparison.Ordinal))).StatusCode);
        }
        // Never served by the public route either.
        var key = Assert.Single(await StoredDocuments(pdf.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync($"/media/{key}")).StatusCode);
    }

    [Fact]
    public async Task the_document_is_deleted_ninety_days_after_the_decision_and_the_record_stays()
    {
        var user = await Pending(Pdf, "id.pdf");
        using var moderator = api.ClientFor(await api.Admin());
        Assert.Equal(HttpStatusCode.OK, (await Decide(moderator, user.Id, new { decision = "approve" })).StatusCode);
        using var anyone = api.NewClient();

        await Advance(anyone, TimeSpan.FromDays(89));
        Assert.NotEmpty(await StoredDocuments(user.Id));
        Assert.NotNull((await QueueEntry(moderator, user.Id, "verified"))!.Value.GetProperty("documentUrl").GetString());

        await Advance(anyone, TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Empty(await StoredDocuments(user.Id));
        var entry = (await QueueEntry(moderator, user.Id, "verified"))!.Value;
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("documentUrl").ValueKind);
        Assert.True((await (await anyone.GetAsync($"/api/v1/users/{user.Id}")).Json()).GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task hostile_or_unsupported_files_are_refused_and_nothing_is_stored()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        var html = Encoding.ASCII.GetBytes("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>");
        var polyglot = Encoding.ASCII.GetBytes("%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n");
        var bomb = HostileImages.PngWithChunks(TestImages.Png(64, 48), [("zTXt", HostileImages.CompressedMetadata("zTXt", megabytes: 64))]);
        var cases = new (string Name, MultipartFormDataContent Form, HttpStatusCode Status, string Code)[]
        {
            ("polyglot", Upload(polyglot, "id.pdf"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("html named pdf", Upload(html, "id.pdf"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("pdf without trailer", Upload(Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj\n"), "id.pdf"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("webp", Upload(TestImages.WebP(), "id.webp"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("empty", Upload([], "id.pdf"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("over 10 MB", Upload(new byte[10 * 1024 * 1024 + 1], "id.pdf"), HttpStatusCode.RequestEntityTooLarge, "payload_too_large"),
            ("png bomb", Upload(bomb, "id.png"), HttpStatusCode.UnprocessableEntity, "image_invalid"),
            ("unknown type", Upload(Pdf, "id.pdf", "library_card"), HttpStatusCode.BadRequest, "validation_failed"),
            ("no type", Upload(Pdf, "id.pdf", null), HttpStatusCode.BadRequest, "validation_failed"),
        };
        foreach (var (name, form, status, code) in cases)
        {
            var response = await client.PostAsync("/api/v1/me/verification", form);
            Assert.True(response.StatusCode == status, $"{name}: {response.StatusCode}");
            Assert.Equal(code, (await response.Json()).GetProperty("code").GetString());
        }
        Assert.Empty(await StoredDocuments(user.Id));
        Assert.Equal("unverified", await StatusOf(client));
        Assert.Empty(await AuditActions(user.Id));
    }

    private static async Task Advance(HttpClient client, TimeSpan by) =>
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/dev/clock/advance", new { seconds = (long)by.TotalSeconds })).StatusCode);

    private async Task<List<string>> AuditActions(Guid userId)
    {
        await using var connection = new NpgsqlConnection(api.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select action from audit_log where entity_id = $1 and action like 'VERIFICATION_%' order by action", connection);
        command.Parameters.Add(new() { Value = userId.ToString() });
        var actions = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) actions.Add(reader.GetString(0));
        return actions;
    }
}
