using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Text.Json;
using Xunit.Sdk;

namespace NeXChange.Api.Tests.Privacy;

/// <summary>
/// Fails the request, and so the test that made it, when an answer shows the caller another user's tier-3 data
/// (SPEC.md 3.6): email, full name, phone, date of birth, ZIP or area point, in a header or a text body (rules in
/// <see cref="PersonalDataScan"/>). The caller is the user the bearer token names (no token: anonymous, to whom every
/// user is another); registration and login answers belong to the user they sign in. The handler learns each user's
/// values itself from the answers that show users their own data, so bodies tests build by hand are covered too.
/// </summary>
public sealed class PrivacyScanHandler(PersonalDataRegistry registry, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    // SPEC.md 3.6: moderators see a full name and date of birth inside the verification queue, and nowhere else.
    private const string VerificationQueue = "/api/v1/admin/verifications";
    private static readonly HashSet<string> QueueMembers = ["fullName", "dateOfBirth"];
    private static readonly HashSet<string> NoMembers = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var rectified = await RectifiedValues(request, path, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        var caller = Subject(request.Headers.Authorization);

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        string? body = null;
        if (IsText(mediaType))
        {
            // Buffered, so the test still reads the body after the scan.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        var json = body is null ? null : Parse(body);
        if (response.IsSuccessStatusCode && json is { } answer)
        {
            if (OwnProfile(request.Method, path, answer) is { } me)
            {
                registry.LearnMe(me);
                caller = me.GetProperty("id").GetGuid();
            }
            if (rectified is { } changes && caller is { } id) registry.Learn(id, changes);
        }

        var secrets = registry.OthersThan(caller);
        var findings = response.Headers.Concat(response.Content.Headers)
            .SelectMany(h => h.Value.SelectMany(v => PersonalDataScan.InString($"header {h.Key}", v, secrets)))
            .ToList();
        if (json is { } document)
            findings.AddRange(PersonalDataScan.InJson(document, secrets, path == VerificationQueue ? QueueMembers : NoMembers));
        else if (body is not null)
            findings.AddRange(PersonalDataScan.InString("body", body, secrets));
        if (findings.Count > 0)
            throw new XunitException($"{request.Method} {path} showed {(caller is { } c ? $"user {c}" : "an anonymous caller")} another user's data:\n{string.Join('\n', findings)}");
        return response;
    }

    /// <summary>The Me object of an answer that shows the caller their own profile (SPEC.md 8.2).</summary>
    private static JsonElement? OwnProfile(HttpMethod method, string path, JsonElement answer) => (method.Method, path) switch
    {
        ("POST", "/api/v1/auth/register" or "/api/v1/auth/login") => answer.GetProperty("user"),
        ("GET" or "PATCH", "/api/v1/me") => answer,
        _ => null,
    };

    /// <summary>The changes of a rectify request (SPEC.md 3.10): applied at once, and answered without a Me.</summary>
    private static async Task<JsonElement?> RectifiedValues(HttpRequestMessage request, string path, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Post || path != "/api/v1/me/data-requests" || request.Content is null) return null;
        await request.Content.LoadIntoBufferAsync(cancellationToken);
        return Parse(await request.Content.ReadAsStringAsync(cancellationToken)) is { ValueKind: JsonValueKind.Object } body
            && body.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "rectify"
            && body.TryGetProperty("changes", out var changes) ? changes : null;
    }

    /// <summary>The user id (<c>sub</c>) of a bearer JWT; null for no token or one that is not a readable JWT.</summary>
    private static Guid? Subject(AuthenticationHeaderValue? authorization)
    {
        if (authorization is not { Scheme: "Bearer", Parameter: { } token } || token.Split('.') is not [_, var payload, _]) return null;
        try
        {
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(payload));
            return claims.RootElement.TryGetProperty("sub", out var sub) && Guid.TryParse(sub.GetString(), out var id) ? id : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool IsText(string? mediaType) => mediaType is not null
        && (mediaType.StartsWith("text/", StringComparison.Ordinal) || mediaType.EndsWith("json", StringComparison.Ordinal) || mediaType.EndsWith("xml", StringComparison.Ordinal));

    private static JsonElement? Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
