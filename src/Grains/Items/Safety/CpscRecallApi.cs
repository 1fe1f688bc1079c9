namespace NeXChange.Items.Safety;

/// <summary>
/// The recall API over HTTP, shaped after the CPSC recalls REST service:
/// <c>GET {Safety:RecallApi:BaseUrl}?format=json&amp;Manufacturer={brand}&amp;ProductModel={model}</c> (model left out
/// when the item has none), answered as <see cref="RecallJson"/> describes. The service does the matching; every
/// recall it returns counts. A non-success status or a malformed body throws, which the safety check treats as a
/// failed API step.
/// </summary>
public sealed class CpscRecallApi(IHttpClientFactory clients, Uri baseUrl) : IRecallApi
{
    public const string ClientName = "NeXChange.RecallApi";

    public async Task<IReadOnlyList<RecallMatch>> SearchAsync(string brand, string model, CancellationToken cancellationToken)
    {
        using var response = await clients.CreateClient(ClientName).GetAsync(SearchUri(baseUrl, brand, model), cancellationToken);
        response.EnsureSuccessStatusCode();
        return RecallJson.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public static Uri SearchUri(Uri baseUrl, string brand, string model)
    {
        var url = baseUrl.ToString();
        var query = $"format=json&Manufacturer={Uri.EscapeDataString(brand)}";
        if (model.Length > 0) query += $"&ProductModel={Uri.EscapeDataString(model)}";
        return new Uri(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);
    }
}
