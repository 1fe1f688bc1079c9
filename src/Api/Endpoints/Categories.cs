using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Errors;
using NeXChange.Items;

namespace NeXChange.Api.Endpoints;

/// <summary>The public category tree and its administration (SPEC.md 4.2, 8.3, 8.6).</summary>
public static class Categories
{
    public sealed record Tree(IReadOnlyList<CategoryNode> Items);
    public sealed record CategoryList(IReadOnlyList<Category> Items);
    public sealed record CreateCategory(string? Name, Guid? ParentId, int? SortOrder);
    public sealed record UpdateCategory(string? Name, Guid? ParentId, int? SortOrder, bool? Active);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/categories", async (IClusterClient cluster) => TypedResults.Ok(new Tree(await Catalog(cluster).GetActiveTree())))
            .WithTags("Categories");

        var admin = api.MapGroup("/admin/categories").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        admin.MapGet("", async (IClusterClient cluster) => TypedResults.Ok(new CategoryList(await Catalog(cluster).List()))).Fails(401, 403);
        admin.MapPost("", Create).Fails(400, 401, 403, 409);
        admin.MapGet("/{id}", async (string id, IClusterClient cluster) =>
            Guid.TryParse(id, out var categoryId) && await Catalog(cluster).Find(categoryId) is { } found
                ? TypedResults.Ok(found.Category)
                : throw DomainException.NotFound()).Fails(401, 403, 404);
        admin.MapPut("/{id}", Update).Fails(400, 401, 403, 404, 409);
    }

    private static ICategoryCatalogGrain Catalog(IClusterClient cluster) => cluster.GetGrain<ICategoryCatalogGrain>(0);

    private static async Task<Created<Category>> Create(CreateCategory body, HttpContext http, IClusterClient cluster)
    {
        var category = await Catalog(cluster).Create(http.User.UserId(), new CategoryEdit(body.Name ?? "", body.ParentId, body.SortOrder ?? 0, true));
        return TypedResults.Created($"/api/v1/admin/categories/{category.Id}", category);
    }

    /// <summary>PUT replaces the whole category, so every field is required (parentId may be null).</summary>
    private static async Task<Ok<Category>> Update(string id, UpdateCategory body, HttpContext http, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var categoryId)) throw DomainException.NotFound();
        var errors = new List<FieldError>();
        if (body.SortOrder is null) errors.Add(new FieldError("sortOrder", FieldCodes.Required, "sortOrder is required."));
        if (body.Active is null) errors.Add(new FieldError("active", FieldCodes.Required, "active is required."));
        if (errors.Count > 0) throw DomainException.Validation([.. errors]);
        return TypedResults.Ok(await Catalog(cluster).Update(http.User.UserId(), categoryId,
            new CategoryEdit(body.Name ?? "", body.ParentId, body.SortOrder!.Value, body.Active!.Value)));
    }
}
