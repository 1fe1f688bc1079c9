using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using NeXChange.Api.Auth;
using NeXChange.Api.RateLimiting;
using NeXChange.Api.Validation;
using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Api.Endpoints;

/// <summary>
/// The Orleans Dashboard's sign-in page for operators in a browser (<see cref="DashboardCookie"/>). The form posts
/// email and password like <c>POST /auth/login</c>, under the same <c>login</c> rate-limit class and with the same
/// 401; an admin gets the cookie and is sent to the dashboard, anyone else 403 and no cookie.
/// Cross-site requests: both cookies are SameSite=Strict, so a form on another site posts without them, and each
/// POST must also carry the antiforgery token of this page (which also stops signing a victim into another account).
/// </summary>
public static class DashboardSignIn
{
    // The page runs no script and loads nothing; it may only post to this site and never be framed.
    private const string PagePolicy = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(DashboardCookie.SignInPath, Page).ExcludeFromDescription();
        app.MapPost(DashboardCookie.SignInPath, SignIn).RateLimitedAs(RateLimitOptions.Login)
            .AddEndpointFilter<AntiforgeryCheck>().ExcludeFromDescription();
        app.MapPost($"{DashboardCookie.Path}/sign-out", SignOut).AddEndpointFilter<AntiforgeryCheck>().ExcludeFromDescription();
    }

    private static async Task<IResult> Page(HttpContext http, IAntiforgery antiforgery)
    {
        var signedIn = (await http.AuthenticateAsync(DashboardCookie.Scheme)).Succeeded;
        var tokens = antiforgery.GetAndStoreTokens(http);
        var token = $"""<input type="hidden" name="{WebUtility.HtmlEncode(tokens.FormFieldName)}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">""";
        var body = signedIn
            ? $"""
               <p>You are signed in. <a href="{DashboardCookie.Path}/">Open the dashboard</a></p>
               <form method="post" action="{DashboardCookie.Path}/sign-out">{token}<button type="submit">Sign out</button></form>
               """
            : $"""
               <form method="post" action="{DashboardCookie.SignInPath}">{token}
               <p><label>Email <input type="email" name="email" autocomplete="username" required></label></p>
               <p><label>Password <input type="password" name="password" autocomplete="current-password" required></label></p>
               <p><button type="submit">Sign in</button></p>
               </form>
               """;
        http.Response.Headers.ContentSecurityPolicy = PagePolicy;
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>NeXChange dashboard sign-in</title></head>
            <body><h1>NeXChange operations dashboard</h1>
            {body}
            </body></html>
            """, "text/html; charset=utf-8");
    }

    /// <summary>A session of its own for the cookie, as long as the cookie lives, so that every revocation reaches it.</summary>
    private static async Task<IResult> SignIn(HttpContext http, IClusterClient cluster, SessionStore sessions)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var rules = new RequestRules();
        var email = rules.Required("email", form.OneValue("email"));
        var password = rules.Required("password", form.OneValue("password"));
        rules.ThrowIfInvalid();
        var identity = await cluster.GetGrain<IUserDirectoryGrain>(0).Login(email!, password!);
        if (identity.Role != Roles.Admin) throw new DomainException(ErrorCodes.Forbidden);
        await EndSessionAsync(http, sessions);
        var session = await sessions.CreateAsync(identity.UserId, identity.Role, http.Request.Headers.UserAgent.ToString(),
            http.Connection.RemoteIpAddress?.ToString(), DashboardCookie.Lifetime);
        await http.SignInAsync(DashboardCookie.Scheme, DashboardCookie.Principal(identity, session.SessionId),
            new AuthenticationProperties { IsPersistent = true });
        return Results.Redirect($"{DashboardCookie.Path}/");
    }

    private static async Task<IResult> SignOut(HttpContext http, SessionStore sessions)
    {
        await EndSessionAsync(http, sessions);
        await http.SignOutAsync(DashboardCookie.Scheme);
        return Results.Redirect(DashboardCookie.SignInPath);
    }

    /// <summary>Revokes the session of the cookie the browser sent, so that no copy of that cookie works any more.</summary>
    private static async Task EndSessionAsync(HttpContext http, SessionStore sessions)
    {
        if ((await http.AuthenticateAsync(DashboardCookie.Scheme)).Principal is { Identity.IsAuthenticated: true } user)
            await sessions.RevokeAsync(user.UserId(), user.SessionId());
    }

    private sealed class AntiforgeryCheck(IAntiforgery antiforgery) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            if (!await IsValidAsync(context.HttpContext))
                throw new DomainException(ErrorCodes.ValidationFailed, "The form did not come from the sign-in page, or it expired: reload the page.");
            return await next(context);
        }

        // A form that cannot be read at all (a key over the length limit, say) is refused the same way.
        private async Task<bool> IsValidAsync(HttpContext http)
        {
            try
            {
                return await antiforgery.IsRequestValidAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                return false;
            }
        }
    }
}
