using Xunit.Sdk;

namespace NeXChange.Api.Tests.Contract;

/// <summary>
/// Checks every answer a test client receives against the API's OpenAPI document and fails the request, and so
/// the test that made it, when the answer departs from the document. A 201 must also name, in <c>Location</c>,
/// something the same caller can GET (SPEC.md 8.1): the handler follows it and fails unless it answers 200.
/// </summary>
public sealed class ContractValidatingHandler(Uri baseAddress, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var contract = await OpenApiContract.For(baseAddress);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        string? body = null;
        if (OpenApiContract.IsJson(mediaType))
        {
            // Buffered, so the test still reads the body after the check.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        var drift = contract.Check(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, mediaType, body);
        if (drift.Count > 0)
            throw new XunitException($"The answer departs from {OpenApiContract.DocumentPath}:\n{string.Join('\n', drift)}\nBody: {body}");
        if (response.StatusCode == System.Net.HttpStatusCode.Created) await CheckLocation(request, response, body, cancellationToken);
        return response;
    }

    private async Task CheckLocation(HttpRequestMessage request, HttpResponseMessage response, string? body, CancellationToken cancellationToken)
    {
        var location = response.Headers.Location
            ?? throw new XunitException($"{request.Method} {request.RequestUri!.AbsolutePath} answered 201 without a Location header.");
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, location));
        get.Headers.Authorization = request.Headers.Authorization;
        using var followed = await base.SendAsync(get, cancellationToken);
        // An account deletion may already have run when the check follows the link (its job starts at once): the
        // erased account's token is refused, which is the deletion working, not a dangling Location.
        if (followed.StatusCode == System.Net.HttpStatusCode.Unauthorized && IsAccountDeletion(request, body)) return;
        if (followed.StatusCode != System.Net.HttpStatusCode.OK)
            throw new XunitException($"{request.Method} {request.RequestUri!.AbsolutePath} answered 201 with Location {location}, which answers {(int)followed.StatusCode} to a GET.");
    }

    private static bool IsAccountDeletion(HttpRequestMessage request, string? body)
    {
        if (request.RequestUri!.AbsolutePath != "/api/v1/me/data-requests" || body is null) return false;
        using var created = System.Text.Json.JsonDocument.Parse(body);
        return created.RootElement.TryGetProperty("type", out var type) && type.GetString() == "delete";
    }
}
