using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NeXChange.Search;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Grains.Tests.Search;

/// <summary>
/// A cluster whose search runs on a fake clock starting at <see cref="Start"/>: expected scores are computed for the
/// very instant the search uses, and the weights cache expires when a test moves the clock. Users and categories are
/// inserted with SQL (their own modules are tested elsewhere); documents go through <see cref="ISearchIndex"/> as the
/// ItemGrain will write them. Tests share the database, so each one builds its own category subtree and filters on it.
/// </summary>
public sealed class SearchCluster : TestCluster
{
    public const string PublicBaseUrl = "https://nexchange.test";
    public static readonly GeoPoint Chicago = new(41.88, -87.63);
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["App:PublicBaseUrl"] = PublicBaseUrl,
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddKeyedSingleton<TimeProvider>(SearchModule.ClockKey, Clock);

    public ISearchIndex Index => SiloServices().GetRequiredService<ISearchIndex>();
    public ISearchGrain Search => Grains.GetGrain<ISearchGrain>(0);

    public Task ExecuteAsync(string sql, params object?[] parameters) => Sql.ExecuteAsync(Postgres, sql, parameters);

    public Task<T?> ScalarAsync<T>(string sql, params object[] parameters) => Sql.ScalarAsync<T>(Postgres, sql, parameters);

    public async Task<Guid> UserAsync(bool verified = false, GeoPoint? area = null, bool deleted = false)
    {
        var id = Guid.CreateVersion7();
        await ExecuteAsync("""
            insert into users (id, email, display_name, display_name_generated_at, verification_status, area_lat, area_lng,
                               created_at, updated_at, deleted_at)
            values ($1, $2, $3, now(), $4, $5, $6, now(), now(), case when $7 then now() end)
            """, id, $"{id:N}@example.com", $"Seller{id.ToString("N")[..8]}", verified ? "verified" : "unverified",
            area?.Lat is { } lat ? (decimal)lat : null, area?.Lng is { } lng ? (decimal)lng : null, deleted);
        return id;
    }

    public async Task<Guid> CategoryAsync(string name, Guid? parentId = null, bool active = true)
    {
        var id = Guid.CreateVersion7();
        await ExecuteAsync("""
            insert into categories (id, name, slug, parent_id, active, created_at, updated_at)
            values ($1, $2, $3, $4, $5, now(), now())
            """, id, name, $"{name.ToLowerInvariant().Replace(' ', '-')}-{id:N}", parentId, active);
        return id;
    }

    public static ItemSearchDocument Document(Guid ownerId, Guid categoryId, string title, string? description = null,
        string condition = "good", long priceMinor = 5_000, GeoPoint? point = null, DateTimeOffset? publishedAt = null,
        int photoCount = 3, string status = "active", long version = 1, string[]? tags = null) =>
        new(Guid.CreateVersion7(), version, ownerId, status, title,
            description ?? "A perfectly ordinary thing in working order, described at the length the rules ask for.",
            tags ?? [], categoryId, condition, priceMinor, (point ?? Chicago).Lat, (point ?? Chicago).Lng, photoCount,
            "https://cdn.test/t.jpg", "https://cdn.test/w.jpg", "https://cdn.test/t.webp", "https://cdn.test/w.webp",
            "Chicago area", publishedAt ?? Start.AddDays(-1));

    public async Task<ItemSearchDocument> IndexAsync(ItemSearchDocument document)
    {
        Assert.True(await Index.UpsertAsync(document));
        return document;
    }
}
