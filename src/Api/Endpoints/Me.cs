using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Users;

namespace NeXChange.Api.Endpoints;

/// <summary>The caller's own account (SPEC.md 8.2).</summary>
public static class Me
{
    public static void Map(RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me").RequireAuthorization();
        me.MapGet("", async (HttpContext http, IClusterClient cluster) =>
            TypedResults.Ok(MeView.From(await cluster.GetGrain<IUserGrain>(http.User.UserId()).GetMe()))).Fails(401);
    }
}
