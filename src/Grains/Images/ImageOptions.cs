using Microsoft.Extensions.Configuration;

namespace NeXChange.Images;

/// <summary>
/// <c>Images:*</c>: how many photos a silo decodes at once (<c>MaxConcurrentDecodes</c>, default the core count),
/// how many more may wait for a turn before uploads are answered 503 (<c>MaxWaitingUploads</c>, default 8), and how
/// long decoding one photo may take once its turn has come (<c>DecodeDeadlineSeconds</c>, default 15; a 4000x3000
/// JPEG decodes in well under a second warm).
/// </summary>
public sealed record ImageOptions
{
    public int MaxConcurrentDecodes { get; init; } = Environment.ProcessorCount;
    public int MaxWaitingUploads { get; init; } = 8;
    public TimeSpan DecodeDeadline { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Not a setting: tests raise it to let a costly JPEG reach the decoder and its deadline.</summary>
    public int MaxJpegScans { get; init; } = ImageLimits.MaxJpegScans;

    public static ImageOptions FromConfiguration(IConfiguration configuration)
    {
        var defaults = new ImageOptions();
        return new ImageOptions
        {
            MaxConcurrentDecodes = Count(configuration, "Images:MaxConcurrentDecodes", defaults.MaxConcurrentDecodes, minimum: 1),
            MaxWaitingUploads = Count(configuration, "Images:MaxWaitingUploads", defaults.MaxWaitingUploads, minimum: 0),
            DecodeDeadline = TimeSpan.FromSeconds(Count(configuration, "Images:DecodeDeadlineSeconds", (int)defaults.DecodeDeadline.TotalSeconds, minimum: 1)),
        };
    }

    private static int Count(IConfiguration configuration, string key, int fallback, int minimum) =>
        configuration[key] is not { Length: > 0 } text ? fallback
        : int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= minimum ? value
        : throw new InvalidOperationException($"Setting '{key}' must be a whole number of at least {minimum}, not '{text}'.");
}
