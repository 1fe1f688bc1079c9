namespace NeXChange.Api.RateLimiting;

/// <summary>One class of SPEC.md 3.12: at most <see cref="Limit"/> requests per key in any <see cref="Window"/>.</summary>
public sealed record RateLimitClass(string Name, int Limit, TimeSpan Window, bool FailOpen);

/// <summary>
/// The four classes, each overridable by configuration (<c>RateLimits:{Class}:Limit</c>, <c>:WindowSeconds</c>);
/// SPEC.md's numbers are the defaults.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Api = "api";
    public const string Login = "login";
    public const string Register = "register";
    public const string PasswordReset = "password_reset";

    public required IReadOnlyDictionary<string, RateLimitClass> Classes { get; init; }

    /// <summary>Prefix of the windows' Redis keys, so that deployments sharing a Redis do not share windows.</summary>
    public string KeyPrefix { get; init; } = "ratelimit:";

    public static RateLimitOptions From(IConfiguration configuration)
    {
        RateLimitClass Read(string name, string section, int limit, int seconds, bool failOpen)
        {
            var config = configuration.GetSection($"RateLimits:{section}");
            var l = config.GetValue("Limit", limit);
            var s = config.GetValue("WindowSeconds", seconds);
            if (l < 1 || s < 1) throw new InvalidOperationException($"Settings 'RateLimits:{section}:Limit' and ':WindowSeconds' must be at least 1.");
            return new RateLimitClass(name, l, TimeSpan.FromSeconds(s), failOpen);
        }

        return new RateLimitOptions
        {
            KeyPrefix = configuration["RateLimits:KeyPrefix"] is { Length: > 0 } prefix ? prefix : "ratelimit:",
            Classes = new Dictionary<string, RateLimitClass>
            {
                [Api] = Read(Api, "Api", 100, 60, failOpen: true),
                [Login] = Read(Login, "Login", 5, 300, failOpen: false),
                [Register] = Read(Register, "Register", 3, 3600, failOpen: false),
                [PasswordReset] = Read(PasswordReset, "PasswordReset", 3, 3600, failOpen: false),
            },
        };
    }
}

/// <summary>Endpoint metadata: the class this endpoint counts against instead of <c>api</c>.</summary>
public sealed record RateLimitedAs(string ClassName);

public static class RateLimitEndpointExtensions
{
    public static TBuilder RateLimitedAs<TBuilder>(this TBuilder builder, string className) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RateLimitedAs(className));
}
