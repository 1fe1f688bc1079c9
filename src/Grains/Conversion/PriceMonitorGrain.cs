using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeXChange.Errors;
using NeXChange.Hosting;

namespace NeXChange.Conversion;

/// <summary>The sticky part of the breaker, kept so that a silo restart does not lift a volatility pause early.</summary>
[GenerateSerializer, Alias("NeXChange.Conversion.BreakerState")]
public sealed class BreakerState
{
    [Id(0)] public DateTimeOffset? VolatilityPausedUntil { get; set; }
}

/// <summary>
/// Samples the feed every 10 s (SPEC.md 7.1) and evaluates the breaker on each call. The samples live in memory only: after
/// a restart the window refills within seconds, and the breaker shows the feed as stale until the first reading.
/// </summary>
public sealed class PriceMonitorGrain(
    IPriceFeed feed,
    IOptionsMonitor<ConversionOptions> options,
    [FromKeyedServices(Clocks.Domain)] TimeProvider time,
    [PersistentState("breaker", GrainStorage.Name)] IPersistentState<BreakerState> breaker) : Grain, IPriceMonitorGrain
{
    public static readonly TimeSpan SamplingPeriod = TimeSpan.FromSeconds(10);

    private readonly PriceWindow window = new();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await SampleAsync(cancellationToken);
        // KeepAlive: the sampler must run whether or not anyone asks, or a swing between two quotes would go unseen.
        // Interleave: a feed read may take its whole timeout, and status and quote calls must not queue behind it. The
        // window and the pause change synchronously after the read, and a trip sets the pause before it awaits the
        // write, so an interleaved sample never trips a second time.
        this.RegisterGrainTimer(SampleAsync, new GrainTimerCreationOptions(SamplingPeriod, SamplingPeriod) { KeepAlive = true, Interleave = true });
    }

    public Task EnsureSampling() => Task.CompletedTask;

    public Task<ConversionStatus> GetStatus() =>
        Task.FromResult(CircuitBreaker.Evaluate(window, time.GetUtcNow(), breaker.State.VolatilityPausedUntil, options.CurrentValue.Paused));

    public async Task<ConversionStatus> SetSandboxPrice(long midMinorPerBtc, DateTimeOffset? observedAt)
    {
        var sandbox = feed as SandboxPriceFeed ?? throw DomainException.NotFound();
        if (!PriceLimits.IsPlausible(midMinorPerBtc))
            throw DomainException.Validation("midMinorPerBtc", FieldCodes.OutOfRange, $"midMinorPerBtc is between 1 and {PriceLimits.MaxMidMinorPerBtc}.");
        if (observedAt > time.GetUtcNow())
            throw DomainException.Validation("observedAt", FieldCodes.OutOfRange, "observedAt must not be in the future.");
        sandbox.Set(midMinorPerBtc, observedAt);
        await SampleAsync(CancellationToken.None);
        return await GetStatus();
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        if (await feed.ReadAsync(cancellationToken) is not { } reading) return;
        var now = time.GetUtcNow();
        if (!window.Add(reading, now)) return;
        // Trips once per swing: while a pause runs, further swings neither extend nor shorten it.
        if (breaker.State.VolatilityPausedUntil > now || !CircuitBreaker.Trips(window, now)) return;
        breaker.State.VolatilityPausedUntil = now + CircuitBreaker.VolatilityPause;
        await breaker.WriteStateAsync(cancellationToken);
    }
}
