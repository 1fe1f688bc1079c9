using Microsoft.Extensions.Logging;

namespace NeXChange.Items.Safety;

/// <summary>
/// SPEC.md 4.4 in order: no brand → <c>not_applicable</c>; cache; recall API (throttled, timed out); local list;
/// else <c>unavailable</c>, which is not cached so the next check tries again. A failing dependency only moves the
/// check to the next step. <c>checkedAt</c> is when this check ran, also for an answer from the cache.
/// </summary>
public sealed class RecallSafetyCheck(
    RecallCache cache,
    RecallThrottle throttle,
    LocalRecallList localList,
    SafetySettings settings,
    TimeProvider time,
    ILogger<RecallSafetyCheck> logger,
    IRecallApi? api = null) : ISafetyCheck
{
    public async Task<SafetyCheck> CheckAsync(Guid categoryId, string? brand, string? model, CancellationToken cancellationToken = default)
    {
        if (RecallKey.Of(categoryId, brand, model) is not { } key)
            return Outcome(SafetyCheck.Outcomes.NotApplicable, SafetyCheck.Sources.None, []);

        if (await cache.GetAsync(key) is { } cached)
            return Outcome(cached.Outcome, SafetyCheck.Sources.Cache, cached.RecallIds);

        if (await AskApiAsync(key, cancellationToken) is { } matches)
            return await CachedAsync(key, SafetyCheck.Sources.Api, matches.Select(m => m.RecallId).ToList());

        if (localList.Current() is { } list)
            return await CachedAsync(key, SafetyCheck.Sources.LocalList, list.Match(key.Brand, key.Model));

        return Outcome(SafetyCheck.Outcomes.Unavailable, SafetyCheck.Sources.None, []);
    }

    /// <summary>The API's answer, or null when it is not configured or failed in any way.</summary>
    private async Task<IReadOnlyList<RecallMatch>?> AskApiAsync(RecallKey key, CancellationToken cancellationToken)
    {
        if (api is null) return null;
        if (!await throttle.TryAcquireAsync(cancellationToken))
        {
            logger.LogWarning("No recall API slot for {Key} in time; using the local list", key);
            return null;
        }
        using var timeout = new CancellationTokenSource(settings.RecallApiTimeout, time);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await api.SearchAsync(key.Brand, key.Model, call.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Recall API failed for {Key}; using the local list", key);
            return null;
        }
    }

    private async Task<SafetyCheck> CachedAsync(RecallKey key, string source, IReadOnlyList<string> recallIds)
    {
        var outcome = recallIds.Count > 0 ? SafetyCheck.Outcomes.Recall : SafetyCheck.Outcomes.Clear;
        await cache.SetAsync(key, new RecallCache.Entry(outcome, recallIds));
        return Outcome(outcome, source, recallIds);
    }

    private SafetyCheck Outcome(string outcome, string source, IReadOnlyList<string> recallIds) =>
        new(outcome, source, time.GetUtcNow(), recallIds);
}
