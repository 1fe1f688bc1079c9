using NeXChange.Search;
using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Bench;

/// <summary>Seeds a realistic catalogue with COPY: a category tree, sellers, and active items around US cities.</summary>
public static class Catalog
{
    public static readonly (string Name, GeoPoint Point)[] Cities =
    [
        ("Chicago", new(41.88, -87.63)), ("New York", new(40.71, -74.01)), ("Los Angeles", new(34.05, -118.24)),
        ("Houston", new(29.76, -95.37)), ("Phoenix", new(33.45, -112.07)), ("Seattle", new(47.61, -122.33)),
        ("Denver", new(39.74, -104.99)), ("Atlanta", new(33.75, -84.39)),
    ];

    public static readonly string[] Nouns =
    [
        "bike", "bicycle", "lamp", "chair", "table", "sofa", "guitar", "camera", "lens", "tent", "backpack", "drill",
        "saw", "hammer", "kettle", "blender", "toaster", "monitor", "laptop", "phone", "tablet", "speaker", "headphones",
        "jacket", "boots", "sneakers", "stroller", "crib", "puzzle", "board game", "novel", "cookbook", "vinyl record",
        "keyboard", "piano", "violin", "painting", "vase", "rug", "mirror", "desk", "bookshelf", "dresser", "grill",
        "kayak", "skateboard", "helmet", "treadmill", "dumbbells", "yoga mat",
    ];

    public static readonly string[] Adjectives =
    [
        "vintage", "modern", "red", "blue", "black", "white", "wooden", "steel", "compact", "large", "small", "classic",
        "portable", "electric", "antique", "handmade", "lightweight", "heavy duty", "foldable", "retro",
    ];

    public static readonly string[] Brands =
    [
        "Acme", "Trek", "Ikea", "Sony", "Canon", "Fender", "Yamaha", "Makita", "Dewalt", "Bosch", "Apple", "Samsung",
        "Nike", "Coleman", "Weber", "Lego", "Graco", "Specialized", "Nikon", "Dyson",
    ];

    private static readonly string[] Filler =
    [
        "works perfectly", "barely used", "some scratches", "from a smoke free home", "pick up only", "original box",
        "well maintained", "recently serviced", "great for beginners", "moving sale", "includes accessories",
        "minor wear on the edges", "kept indoors", "no longer needed", "fully functional", "clean and ready",
    ];

    private static readonly string[] Conditions = [.. ItemConditions.All];

    public static async Task<List<Guid>> CategoriesAsync(NpgsqlDataSource dataSource)
    {
        var tree = new Dictionary<string, string[]>
        {
            ["Electronics"] = ["Phones & Tablets", "Computers", "Audio & Video", "Cameras"],
            ["Home & Garden"] = ["Furniture", "Kitchen", "Decor", "Garden & Outdoor"],
            ["Sports & Outdoors"] = ["Bicycles", "Fitness", "Camping"],
            ["Tools & DIY"] = [], ["Toys & Games"] = [], ["Baby & Kids"] = [], ["Books"] = [], ["Music & Movies"] = [],
            ["Clothing & Accessories"] = [], ["Musical Instruments"] = [], ["Collectibles & Art"] = [], ["Other"] = [],
        };
        var ids = new List<Guid>();
        await using var connection = await dataSource.OpenConnectionAsync();
        async Task<Guid> Insert(string name, Guid? parent)
        {
            var id = Guid.CreateVersion7();
            await using var command = new NpgsqlCommand(
                "insert into categories (id, name, slug, parent_id, created_at, updated_at) values ($1, $2, $3, $4, now(), now())", connection);
            command.Parameters.Add(new() { Value = id });
            command.Parameters.Add(new() { Value = name });
            command.Parameters.Add(new() { Value = $"{name.ToLowerInvariant().Replace(' ', '-')}-{id:N}" });
            command.Parameters.Add(new() { Value = (object?)parent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            await command.ExecuteNonQueryAsync();
            ids.Add(id);
            return id;
        }
        foreach (var (top, children) in tree)
        {
            var parent = await Insert(top, null);
            foreach (var child in children) await Insert(child, parent);
        }
        return ids;
    }

    public static async Task<Guid[]> SellersAsync(NpgsqlDataSource dataSource, int count, Random random)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var copy = await connection.BeginBinaryImportAsync(
            "copy users (id, email, display_name, display_name_generated_at, verification_status, area_lat, area_lng, created_at, updated_at) from stdin (format binary)");
        var now = DateTimeOffset.UtcNow;
        foreach (var id in ids)
        {
            var city = Cities[random.Next(Cities.Length)].Point;
            await copy.StartRowAsync();
            await copy.WriteAsync(id, NpgsqlDbType.Uuid);
            await copy.WriteAsync($"{id:N}@bench.test", NpgsqlDbType.Text);
            await copy.WriteAsync($"Seller{id.ToString("N")[..10]}", NpgsqlDbType.Text);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(random.Next(4) == 0 ? "verified" : "unverified", NpgsqlDbType.Text);
            await copy.WriteAsync((decimal)city.Lat, NpgsqlDbType.Numeric);
            await copy.WriteAsync((decimal)city.Lng, NpgsqlDbType.Numeric);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
        }
        await copy.CompleteAsync();
        return ids;
    }

    public static async Task ItemsAsync(NpgsqlDataSource dataSource, int count, Guid[] sellers, List<Guid> categories, Random random)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var copy = await connection.BeginBinaryImportAsync("""
            copy search_items (item_id, version, owner_id, status, title, description, tags, category_id, condition,
                price_minor, lat, lng, photo_count, cover_thumb, cover_w400, cover_thumb_webp, cover_w400_webp,
                general_area, published_at, updated_at) from stdin (format binary)
            """);
        var now = DateTimeOffset.UtcNow;
        string Pick(string[] words) => words[random.Next(words.Length)];
        for (var i = 0; i < count; i++)
        {
            var (cityName, city) = Cities[random.Next(Cities.Length)];
            var noun = Pick(Nouns);
            var title = $"{Pick(Adjectives)} {Pick(Brands)} {noun}";
            var description = $"{char.ToUpperInvariant(title[0])}{title[1..]}, {Pick(Filler)}. {Pick(Filler)}, {Pick(Filler)}. "
                              + $"Also have a {Pick(Adjectives)} {Pick(Nouns)} if you are interested; {Pick(Filler)}.";
            var tags = Enumerable.Range(0, random.Next(4)).Select(_ => Pick(Nouns)).Distinct().ToArray();
            var published = now.AddSeconds(-random.NextDouble() * 90 * 86_400);
            await copy.StartRowAsync();
            await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
            await copy.WriteAsync(1L, NpgsqlDbType.Bigint);
            await copy.WriteAsync(sellers[random.Next(sellers.Length)], NpgsqlDbType.Uuid);
            await copy.WriteAsync("active", NpgsqlDbType.Text);
            await copy.WriteAsync(title, NpgsqlDbType.Text);
            await copy.WriteAsync(description, NpgsqlDbType.Text);
            await copy.WriteAsync(tags, NpgsqlDbType.Array | NpgsqlDbType.Text);
            await copy.WriteAsync(categories[random.Next(categories.Count)], NpgsqlDbType.Uuid);
            await copy.WriteAsync(Conditions[random.Next(Conditions.Length)], NpgsqlDbType.Text);
            await copy.WriteAsync((long)Math.Round(Math.Exp(random.NextDouble() * 11.5 + 4.6)), NpgsqlDbType.Bigint);
            await copy.WriteAsync(Math.Round(city.Lat + (random.NextDouble() - 0.5) * 0.8, 2), NpgsqlDbType.Double);
            await copy.WriteAsync(Math.Round(city.Lng + (random.NextDouble() - 0.5) * 0.8, 2), NpgsqlDbType.Double);
            await copy.WriteAsync(random.Next(1, 13), NpgsqlDbType.Integer);
            foreach (var variant in new[] { "t.jpg", "w400.jpg", "t.webp", "w400.webp" })
                await copy.WriteAsync($"https://media.bench.test/{i}/{variant}", NpgsqlDbType.Text);
            await copy.WriteAsync($"{cityName} area", NpgsqlDbType.Text);
            await copy.WriteAsync(published, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(published, NpgsqlDbType.TimestampTz);
        }
        await copy.CompleteAsync();
    }
}
