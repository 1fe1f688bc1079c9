using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using NeXChange.Api.Problems;
using NeXChange.Errors;
using NeXChange.Users;
using StackExchange.Redis;

namespace NeXChange.Api.Auth;

/// <summary>
/// How a browser reaches the Orleans Dashboard: a browser never sends a bearer token, so an admin signs in at
/// <c>/dashboard/sign-in</c> and gets an HttpOnly, Secure, SameSite=Strict cookie scoped to <c>/dashboard</c>. The
/// cookie names a session of <see cref="SessionStore"/> opened for it, which <see cref="SessionGuard"/> checks on
/// every request exactly as it checks a bearer token's, so logout-all, a password change or reset and a demotion end
/// it. Its lifetime is absolute (not sliding): the session and the cookie expire <see cref="Lifetime"/> after sign-in.
/// </summary>
public static class DashboardCookie
{
    /// <summary>The cookie handler's scheme.</summary>
    public const string Scheme = "dashboard-cookie";

    /// <summary>What the dashboard authenticates with: the bearer token when one is sent, else the cookie.</summary>
    public const string BearerOrCookie = "dashboard";

    public const string CookieName = "nexchange-dashboard";
    public const string AntiforgeryCookieName = "nexchange-dashboard-csrf";
    public const string Path = "/dashboard";
    public const string SignInPath = "/dashboard/sign-in";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    // The key ring that encrypts the cookie and the antiforgery tokens lives in Redis, so that every API node reads
    // what another issued and a restart signs nobody out.
    private const string KeyRingKey = "dataprotection:keys";

    public static AuthenticationBuilder AddDashboardCookie(this AuthenticationBuilder authentication)
    {
        var services = authentication.Services;
        services.AddDataProtection().SetApplicationName("nexchange-api");
        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((o, redis) =>
            o.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), KeyRingKey));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookieName;
            o.Cookie.Path = Path;
            // Antiforgery refuses to run over plain http with Always (the local run); this cookie holds no credential,
            // only half of the form's token pair, and is Secure whenever the request came over https.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            // Only the form field, so a request that passes the check is a form the endpoint can read.
            o.HeaderName = null;
        });

        return authentication
            .AddPolicyScheme(BearerOrCookie, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? JwtBearerDefaults.AuthenticationScheme : Scheme)
            .AddCookie(Scheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.Path = Path;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = Lifetime;
                o.SlidingExpiration = false;
                o.LoginPath = SignInPath;
                o.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = async context =>
                    {
                        var guard = context.HttpContext.RequestServices.GetRequiredService<SessionGuard>();
                        if (await guard.RefusalAsync(context.Principal!) is null) return;
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(Scheme);
                    },
                    // A browser opening the page is sent to the sign-in form; anything else (the dashboard's own
                    // calls, curl) gets SPEC.md 8.7's 401, as without a token.
                    OnRedirectToLogin = context =>
                    {
                        if (!IsPageNavigation(context.Request)) return ProblemWriter.Write(context.HttpContext, ErrorCodes.Unauthenticated);
                        context.Response.Redirect(SignInPath);
                        return Task.CompletedTask;
                    },
                    OnRedirectToAccessDenied = context => ProblemWriter.Write(context.HttpContext, ErrorCodes.Forbidden),
                };
            });
    }

    /// <summary>The principal the cookie carries: the claims of an access token, so the admin policy reads both alike.</summary>
    public static ClaimsPrincipal Principal(AuthIdentity identity, string sessionId) =>
        new(new ClaimsIdentity(
        [
            new Claim(Claims.Subject, identity.UserId.ToString()),
            new Claim(Claims.Session, sessionId),
            new Claim(Claims.Role, identity.Role),
            new Claim(Claims.EmailVerified, identity.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean),
        ], Scheme, Claims.Subject, Claims.Role));

    private static bool IsPageNavigation(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
