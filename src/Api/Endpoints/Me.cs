using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NeXChange.Api.Validation;
using NeXChange.Errors;
using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Users;

namespace NeXChange.Api.Endpoints;

/// <summary>The caller's own account (SPEC.md 8.2).</summary>
public static class Me
{
    public sealed record PhotoState(bool HasPhoto);
    public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);
    public sealed record ProfileRequest(string? FullName, string? Phone, string? ZipCode, string? City, string? VehicleDescription);
    public sealed record SettingsRequest(bool? EmailOffers, bool? EmailEscrow, bool? EmailDisputes, string? Units, string? Timezone);

    private static readonly HashSet<string> ProfileFields = new(StringComparer.Ordinal) { "fullName", "phone", "zipCode", "city", "vehicleDescription" };

    /// <summary>An absent property stays as it is, a present null clears a nullable one (SPEC.md 8.1).</summary>
    private static async Task<Ok<MeView>> UpdateProfile(JsonElement body, HttpContext http, IClusterClient cluster, IOptions<JsonOptions> json)
    {
        if (body.ValueKind != JsonValueKind.Object) throw DomainException.Validation("", FieldCodes.InvalidFormat, "The body must be a JSON object.");
        var present = body.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        if (present.FirstOrDefault(name => !ProfileFields.Contains(name)) is { } unknown)
            throw DomainException.Validation(unknown, FieldCodes.UnknownValue, "Unknown property.");
        var values = body.Deserialize<ProfileRequest>(json.Value.SerializerOptions)!;
        var me = await cluster.GetGrain<IUserGrain>(http.User.UserId()).UpdateProfile(
            new ProfileChanges(values.FullName, values.Phone, values.ZipCode, values.City, values.VehicleDescription, present));
        return TypedResults.Ok(MeView.From(me));
    }

    /// <summary>PUT replaces the whole object, so every member is required.</summary>
    private static async Task<Ok<AccountSettings>> PutSettings(SettingsRequest body, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var offers = rules.Required("emailOffers", body.EmailOffers);
        var escrow = rules.Required("emailEscrow", body.EmailEscrow);
        var disputes = rules.Required("emailDisputes", body.EmailDisputes);
        var units = rules.Required("units", body.Units);
        var timezone = rules.Required("timezone", body.Timezone);
        rules.ThrowIfInvalid();
        return TypedResults.Ok(await cluster.GetGrain<IUserGrain>(http.User.UserId())
            .PutSettings(new AccountSettings(offers!.Value, escrow!.Value, disputes!.Value, units!, timezone!)));
    }

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
        me.MapPatch("", UpdateProfile).Fails(400, 401);
        me.MapGet("/settings", async (HttpContext http, IClusterClient cluster) =>
            TypedResults.Ok(await cluster.GetGrain<IUserGrain>(http.User.UserId()).GetSettings())).Fails(401);
        me.MapPut("/settings", PutSettings).Fails(400, 401);
        me.MapPost("/password", ChangePassword).Fails(400, 401);
        me.MapPost("/display-name", async (HttpContext http, IClusterClient cluster) =>
            TypedResults.Ok(await cluster.GetGrain<IUserGrain>(http.User.UserId()).RegenerateDisplayName())).Fails(401, 409, 503);
        me.MapPut("/photo", SetPhoto).DisableAntiforgery().Fails(400, 401, 413, 415, 422, 503);
        me.MapDelete("/photo", async (HttpContext http, IClusterClient cluster) =>
        {
            await cluster.GetGrain<IUserGrain>(http.User.UserId()).RemovePhoto();
            return TypedResults.NoContent();
        }).Fails(401);
    }
}
