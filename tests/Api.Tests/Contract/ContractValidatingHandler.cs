using Xunit.Sdk;

namespace NeXChange.Api.Tests.Contract;

/// <summary>
/// Checks every answer a test client receives against the API's OpenAPI document and fails the request, and so
/// the test that made it, when the answer departs from the document.
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
        return response;
    }
}
