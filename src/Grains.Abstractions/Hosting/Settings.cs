using Microsoft.Extensions.Configuration;

namespace NeXChange.Hosting;

public static class Settings
{
    /// <summary>A required setting; a missing one stops the host with a message that names it.</summary>
    public static string Require(this IConfiguration configuration, string key)
    {
        var value = configuration[key];
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException(
                $"Missing required setting '{key}' (environment variable NEXCHANGE__{key.Replace(":", "__", StringComparison.Ordinal)}).")
            : value;
    }

    /// <summary>The data folder (outbox, blobs); defaults to ./.data under the working directory.</summary>
    public static string DataDir(this IConfiguration configuration) =>
        Path.GetFullPath(configuration["Data:Dir"] is { Length: > 0 } dir ? dir : ".data");
}
