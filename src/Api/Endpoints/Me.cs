using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Users;

namespace NeXChange.Api.Endpoints;

/// <summary>The caller's own account (SPEC.md 8.2).</summary>
public static class Me
{
    public sealed record PhotoState(bool HasPhoto);
    public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);

    /// <summary>Needs the current password; every other session of the user ends (SPEC.md 3.1).</summary>
    private static async Task<NoContent> ChangePassword(PasswordChange body, HttpContext http, IClusterClient cluster, SessionStore sessions)
    {
        var userId = http.User.UserId();
        await cluster.GetGrain<IUserGrain>(userId).ChangePassword(body.CurrentPassword ?? "", body.NewPassword ?? "");
        await sessions.RevokeAllAsync(userId, keep: http.User.SessionId());
        return TypedResults.NoContent();
    }

    /// <summary>One image under the rules of SPEC.md 4.5; stored privately (3.7).</summary>
    private static async Task<Ok<PhotoState>> SetPhoto(IFormFile? file, HttpContext http, IClusterClient cluster)
    {
        var content = await Uploads.ReadImage(file, http.RequestAborted);
        await cluster.GetGrain<IUserGrain>(http.User.UserId()).SetPhoto(content);
        return TypedResults.Ok(new PhotoState(true));
    }

    public static void Map(RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me").RequireAuthorization();
        me.MapGet("", async (HttpContext http, IClusterClient cluster) =>
            TypedResults.Ok(MeView.From(await cluster.GetGrain<IUserGrain>(http.User.UserId()).GetMe()))).Fails(401);
        me.MapPost("/password", ChangePassword).Fails(400, 401);
        me.MapPut("/photo", SetPhoto).DisableAntiforgery().Fails(400, 401, 413, 415, 422);
        me.MapDelete("/photo", async (HttpContext http, IClusterClient cluster) =>
        {
            await cluster.GetGrain<IUserGrain>(http.User.UserId()).RemovePhoto();
            return TypedResults.NoContent();
        }).Fails(401);
    }
}
