using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Api.Auth;

/// <summary>
/// Money and trade actions need a verified email (403 email_not_verified). A token minted before the
/// verification still says ev=false, so that case asks the user grain for the current truth.
/// </summary>
public sealed class VerifiedEmailFilter(IClusterClient cluster) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var user = context.HttpContext.User;
        if (!user.IsEmailVerified() && !(await cluster.GetGrain<IUserGrain>(user.UserId()).GetIdentity()).EmailVerified)
            throw new DomainException(ErrorCodes.EmailNotVerified);
        return await next(context);
    }
}

public static class VerifiedEmailExtensions
{
    public static RouteHandlerBuilder RequireVerifiedEmail(this RouteHandlerBuilder builder) =>
        builder.RequireAuthorization().AddEndpointFilter<VerifiedEmailFilter>();
}
