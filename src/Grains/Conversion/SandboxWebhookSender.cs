using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeXChange.Hosting;

namespace NeXChange.Conversion;

/// <summary>One webhook body of SPEC.md 7.4 as the sandbox partner sends it (occurredAt is stamped when sent).</summary>
public sealed record SandboxWebhook(string EventId, string Type, Guid ConversionId, long? BtcSats, string? PartnerTxId, string? Reason);

/// <summary>
/// Delivers the sandbox partner's webhooks to the API like a partner would: in the background after DelaySeconds, in
/// order, signed with the current secret, and retried with backoff while the API answers 404 (the conversion row may
/// not be committed yet), 429, 5xx or cannot be reached. Never inside the grain call that caused them, which would
/// wait on itself. The waits are real time (a partner's clock does not follow the dev clock); occurredAt is the domain clock's.
/// </summary>
public sealed class SandboxWebhookSender(
    HttpClient http,
    IOptions<CustodyOptions> options,
    [FromKeyedServices(Clocks.Domain)] TimeProvider time,
    ILogger<SandboxWebhookSender> logger)
{
    private const int MaxAttempts = 8;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public void Send(IReadOnlyList<SandboxWebhook> events)
    {
        var settings = options.Value;
        var target = new Uri(settings.WebhookUrl ?? throw new InvalidOperationException("Custody:WebhookUrl is not set."));
        var secret = settings.WebhookSecret ?? throw new InvalidOperationException("Custody:WebhookSecret is not set.");
        _ = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(settings.DelaySeconds));
            foreach (var webhook in events)
            {
                for (var copy = 0; copy < (settings.DuplicateWebhooks ? 2 : 1); copy++) await DeliverAsync(target, secret, webhook);
            }
        });
    }

    private async Task DeliverAsync(Uri target, string secret, SandboxWebhook webhook)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            webhook.EventId,
            webhook.Type,
            webhook.ConversionId,
            webhook.BtcSats,
            webhook.PartnerTxId,
            webhook.Reason,
            OccurredAt = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        }, Json);
        var wait = FirstRetry;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
                request.Headers.Add(CustodySignature.Header, CustodySignature.Sign(secret, body));
                using var response = await http.SendAsync(request);
                if (response.IsSuccessStatusCode) return;
                if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.TooManyRequests) && (int)response.StatusCode < 500)
                {
                    logger.LogError("Sandbox webhook {EventId} refused with {Status}; not retried", webhook.EventId, (int)response.StatusCode);
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                logger.LogWarning(e, "Sandbox webhook {EventId} not delivered (attempt {Attempt})", webhook.EventId, attempt);
            }
            await Task.Delay(wait);
            wait *= 2;
        }
        logger.LogError("Sandbox webhook {EventId} given up after {Attempts} attempts", webhook.EventId, MaxAttempts);
    }
}
