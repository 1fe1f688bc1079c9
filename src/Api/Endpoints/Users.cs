using NeXChange.Api.OpenApi;
using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Api.Endpoints;

/// <summary>Public profiles (SPEC.md 3.6): the same projection for everyone, no private fields.</summary>
public static class Users
{
    public static void Map(RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/{id}", async (string id, IClusterClient cluster) =>
        {
            // A malformed id is just an unknown resource (SPEC.md 8.1).
            if (!Guid.TryParse(id, out var userId)) throw DomainException.NotFound();
            var profile = await cluster.GetGrain<IUserGrain>(userId).GetPublicProfile() ?? throw DomainException.NotFound();
            return TypedResults.Ok(PublicProfileView.From(profile));
        }).Fails(404);
    }
}
