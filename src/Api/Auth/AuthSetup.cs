using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using NeXChange.Api.Problems;
using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Api.Auth;

public static class AuthSetup
{
    public const string AdminPolicy = "admin";
    public const string ModeratorPolicy = "moderator";

    /// <summary>Admins, by bearer token or by the dashboard's sign-in cookie (<see cref="DashboardCookie"/>).</summary>
    public const string DashboardPolicy = "dashboard";

    public static IServiceCollection AddNeXChangeAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var jwt = JwtOptions.From(configuration);
        services.AddSingleton(jwt);
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SessionGuard>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = JwtOptions.Issuer,
                ValidAudience = JwtOptions.Audience,
                IssuerSigningKey = new SymmetricSecurityKey(jwt.KeyBytes),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ClockSkew = TimeSpan.FromSeconds(5),
                NameClaimType = Claims.Subject,
                RoleClaimType = Claims.Role,
            };
            o.Events = new JwtBearerEvents
            {
                // Logout, logout-all and password or role changes end the session; its tokens die with it.
                OnTokenValidated = async context =>
                {
                    var guard = context.HttpContext.RequestServices.GetRequiredService<SessionGuard>();
                    if (await guard.RefusalAsync(context.Principal!) is { } reason) context.Fail(reason);
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    await ProblemWriter.Write(context.HttpContext, ErrorCodes.Unauthenticated);
                },
                OnForbidden = context => ProblemWriter.Write(context.HttpContext, ErrorCodes.Forbidden),
            };
        }).AddDashboardCookie();
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.RequireClaim(Claims.Role, Roles.Admin))
            .AddPolicy(ModeratorPolicy, p => p.RequireClaim(Claims.Role, Roles.Admin, Roles.Moderator))
            .AddPolicy(DashboardPolicy, p => p.AddAuthenticationSchemes(DashboardCookie.BearerOrCookie).RequireClaim(Claims.Role, Roles.Admin));
        return services;
    }
}
