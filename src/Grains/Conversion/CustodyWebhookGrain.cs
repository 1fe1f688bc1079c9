using Microsoft.Extensions.DependencyInjection;
using NeXChange.Audit;
using NeXChange.Errors;
using NeXChange.Hosting;
using Orleans.Concurrency;

namespace NeXChange.Conversion;

/// <summary>
/// The custody webhook's entry (SPEC.md 7.4). A handled event id is dropped before anything else; the event is recorded
/// only after its effect committed, so a partner retrying an event whose handling failed gets it handled, and a repeat
/// that slips past the check meets an effect already applied, which changes nothing.
/// </summary>
[StatelessWorker]
public sealed class CustodyWebhookGrain(
    ConversionStore conversions,
    AuditLog audit,
    [FromKeyedServices(Clocks.Domain)] TimeProvider time) : Grain, ICustodyWebhookGrain
{
    public async Task Handle(CustodyEvent custodyEvent)
    {
        if (await conversions.EventSeenAsync(custodyEvent.EventId)) return;
        var owner = await conversions.FindOwnerAsync(custodyEvent.ConversionId) ?? throw DomainException.NotFound();
        var outcome = await GrainFactory.GetGrain<IConversionDeskGrain>(owner).ApplyPartnerEvent(custodyEvent);
        await conversions.RecordEventAsync(custodyEvent, outcome, time.GetUtcNow());
    }

    /// <summary>What was wrong, never the body or the signature given.</summary>
    public Task Reject(string reason, string? ip) =>
        audit.WriteAsync(new AuditEntry(AuditActions.WebhookRejected, "webhook", "custody", null, new { reason }, ip), time.GetUtcNow());
}
