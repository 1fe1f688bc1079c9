using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Errors;
using NeXChange.Items;

namespace NeXChange.Api.Endpoints;

/// <summary>Listings: create, edit, publish, archive, photos (SPEC.md 4, 8.3).</summary>
public static class Items
{
    public sealed record ItemRequest(string? Title, string? Description, Guid? CategoryId, string? Condition, long? PriceMinor,
        IReadOnlyList<string>? Tags, IReadOnlyDictionary<string, string>? Attributes, string? KnownIssues)
    {
        public ItemDraft ToDraft() => new(Title, Description, CategoryId, Condition, PriceMinor, Tags, Attributes, KnownIssues);
    }

    public sealed record PhotoOrder(IReadOnlyList<Guid>? PhotoIds);
    public sealed record PhotoList(IReadOnlyList<PhotoView> Photos);

    /// <summary>The JSON names a PATCH may carry (those of POST /items).</summary>
    private static readonly HashSet<string> Editable = new(StringComparer.Ordinal)
    {
        "title", "description", "categoryId", "condition", "priceMinor", "tags", "attributes", "knownIssues",
    };

    public static void Map(RouteGroupBuilder api)
    {
        var items = api.MapGroup("/items").WithTags("Items");
        items.MapPost("", Create).RequireAuthorization().Fails(400, 401, 404);
        items.MapGet("/{id}", Get).Fails(404);
        items.MapPatch("/{id}", Update).RequireAuthorization().Fails(400, 401, 404, 409);
        items.MapPost("/{id}/publish", (string id, HttpContext http, IClusterClient cluster) =>
            Act(id, cluster, item => item.Publish(http.User.UserId()))).RequireAuthorization().Fails(401, 404, 409, 422);
        items.MapPost("/{id}/archive", (string id, HttpContext http, IClusterClient cluster) =>
            Act(id, cluster, item => item.Archive(new Viewer(http.User.UserId(), false)))).RequireAuthorization().Fails(401, 404, 409);
        items.MapPost("/{id}/photos", AddPhoto).RequireAuthorization().DisableAntiforgery().Fails(400, 401, 404, 409, 413, 415, 422, 503);
        items.MapDelete("/{id}/photos/{photoId}", DeletePhoto).RequireAuthorization().Fails(401, 404, 409);
        items.MapPut("/{id}/photos/order", Reorder).RequireAuthorization().Fails(400, 401, 404, 409);

        api.MapGet("/me/items", ListOwn).WithTags("Items").RequireAuthorization().Fails(400, 401);
    }

    private static IItemGrain Item(string id, IClusterClient cluster) =>
        Guid.TryParse(id, out var itemId) ? cluster.GetGrain<IItemGrain>(itemId) : throw DomainException.NotFound();

    private static async Task<Ok<ItemView>> Act(string id, IClusterClient cluster, Func<IItemGrain, Task<ItemView>> action) =>
        TypedResults.Ok(await action(Item(id, cluster)));

    private static async Task<Created<ItemView>> Create(ItemRequest body, HttpContext http, IClusterClient cluster)
    {
        var itemId = Guid.CreateVersion7();
        var item = await cluster.GetGrain<IItemGrain>(itemId).Create(http.User.UserId(), body.ToDraft());
        return TypedResults.Created($"/api/v1/items/{itemId}", item);
    }

    private static async Task<Ok<ItemView>> Get(string id, HttpContext http, IClusterClient cluster) =>
        TypedResults.Ok(await Item(id, cluster).Get(http.User.Viewer()));

    /// <summary>An absent property stays as it is, a present null clears a nullable one (SPEC.md 8.1).</summary>
    private static async Task<Ok<ItemView>> Update(string id, JsonElement body, HttpContext http, IClusterClient cluster,
        IOptions<JsonOptions> json)
    {
        if (body.ValueKind != JsonValueKind.Object) throw DomainException.Validation("", FieldCodes.InvalidFormat, "The body must be a JSON object.");
        var present = body.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = present.FirstOrDefault(name => !Editable.Contains(name));
        if (unknown is not null) throw DomainException.Validation(unknown, FieldCodes.UnknownValue, "Unknown property.");
        var values = body.Deserialize<ItemRequest>(json.Value.SerializerOptions)!;
        return TypedResults.Ok(await Item(id, cluster).Update(http.User.UserId(), new ItemPatch(values.ToDraft(), present)));
    }

    private static async Task<Created<PhotoView>> AddPhoto(string id, IFormFile? file, HttpContext http, IClusterClient cluster)
    {
        var photo = await Item(id, cluster).AddPhoto(http.User.UserId(), await Uploads.ReadImage(file, http.RequestAborted));
        return TypedResults.Created($"/api/v1/items/{id}", photo);
    }

    private static async Task<NoContent> DeletePhoto(string id, string photoId, HttpContext http, IClusterClient cluster)
    {
        if (!Guid.TryParse(photoId, out var photo)) throw DomainException.NotFound();
        await Item(id, cluster).DeletePhoto(http.User.UserId(), photo);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<PhotoList>> Reorder(string id, PhotoOrder body, HttpContext http, IClusterClient cluster)
    {
        if (body.PhotoIds is null) throw DomainException.Validation("photoIds", FieldCodes.Required, "photoIds is required.");
        return TypedResults.Ok(new PhotoList(await Item(id, cluster).ReorderPhotos(http.User.UserId(), body.PhotoIds)));
    }

    private static async Task<Ok<ItemPage>> ListOwn(string? status, string? before, int? limit, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var size = rules.Range("limit", limit, 1, 100, 20);
        rules.ThrowIfInvalid();
        var statuses = (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return TypedResults.Ok(await cluster.GetGrain<IItemQueriesGrain>(0).ListOwn(http.User.UserId(), statuses, before, size));
    }
}
