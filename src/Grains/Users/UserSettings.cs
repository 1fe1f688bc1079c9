using Microsoft.Extensions.Configuration;
using NeXChange.Hosting;

namespace NeXChange.Users;

/// <summary><c>App:PublicBaseUrl</c> (links in mail, avatar URLs) and <c>Bootstrap:AdminEmails</c> (SPEC.md 3.3).</summary>
public sealed class UserSettings(string publicBaseUrl, IEnumerable<string> adminEmails)
{
    private readonly HashSet<string> adminEmails = adminEmails.Select(EmailAddress.Normalize).Where(e => e.Length > 0).ToHashSet(StringComparer.Ordinal);

    public string PublicBaseUrl { get; } = publicBaseUrl.TrimEnd('/');

    public bool IsBootstrapAdmin(string normalizedEmail) => adminEmails.Contains(normalizedEmail);

    public static UserSettings FromConfiguration(IConfiguration configuration) => new(
        configuration.Require("App:PublicBaseUrl"),
        configuration.GetSection("Bootstrap:AdminEmails").GetChildren().Select(c => c.Value ?? ""));
}
