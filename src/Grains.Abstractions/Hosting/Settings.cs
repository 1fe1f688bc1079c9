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

    /// <summary>
    /// <c>Dev:Endpoints</c> (SPEC.md 8.7): the dev clock and the dev endpoints. A host refuses to start with it in the
    /// Production environment, which is the default when no environment is named.
    /// </summary>
    public static bool DevEndpoints(this IConfiguration configuration, string environmentName)
    {
        var on = bool.TryParse(configuration["Dev:Endpoints"], out var value) && value;
        if (on && string.Equals(environmentName, "Production", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(
                "Setting 'Dev:Endpoints' (NEXCHANGE__Dev__Endpoints) must not be true in the Production environment; name another one with DOTNET_ENVIRONMENT.");
        return on;
    }
}
