using System.Globalization;
using Microsoft.Extensions.Configuration;
using NeXChange.Hosting;

namespace NeXChange.Items.Safety;

/// <summary>
/// <c>Safety:*</c> settings. SPEC.md 4.4 fixes the defaults (1 request/s, 5 s wait for a slot, 5 s timeout, list
/// checked every 5 min); they are settings so that tests can shorten them. Without
/// <c>Safety:RecallApi:BaseUrl</c> there is no recall API and every check that misses the cache uses the local list.
/// </summary>
public sealed record SafetySettings(
    Uri? RecallApiBaseUrl,
    TimeSpan RecallApiTimeout,
    TimeSpan RecallApiInterval,
    TimeSpan RecallApiMaxWait,
    string RecallListPath,
    TimeSpan RecallListCheckInterval,
    string KeyPrefix)
{
    public static SafetySettings FromConfiguration(IConfiguration configuration) => new(
        configuration["Safety:RecallApi:BaseUrl"] is { Length: > 0 } url
            ? new Uri(url, UriKind.Absolute)
            : null,
        Duration(configuration, "Safety:RecallApi:Timeout", TimeSpan.FromSeconds(5)),
        Duration(configuration, "Safety:RecallApi:Interval", TimeSpan.FromSeconds(1)),
        Duration(configuration, "Safety:RecallApi:MaxWait", TimeSpan.FromSeconds(5)),
        configuration["Safety:RecallListPath"] is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(configuration.DataDir(), "recalls.csv"),
        Duration(configuration, "Safety:RecallListCheckInterval", TimeSpan.FromMinutes(5)),
        configuration["Safety:KeyPrefix"] is { Length: > 0 } prefix ? prefix : "recall:");

    private static TimeSpan Duration(IConfiguration configuration, string key, TimeSpan fallback) =>
        configuration[key] is not { Length: > 0 } text ? fallback
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero ? value
        : throw new InvalidOperationException($"Setting '{key}' must be a duration such as 00:00:05, not '{text}'.");
}
