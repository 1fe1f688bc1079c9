using System.Security.Cryptography;
using System.Text.Json;
using NeXChange.Credits;
using NeXChange.Images;
using NeXChange.Items;
using NeXChange.Storage;
using Npgsql;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace NeXChange.Bench;

/// <summary>
/// What an exported user owns, written straight into the bench database and blob store (going through the grains
/// and the photo pipeline would make set-up the slow part): ledger entries as admin grants, items of every status,
/// and one photo master per photographed item.
/// </summary>
public static class ExportSeed
{
    private static readonly string[] Statuses = ["draft", "active", "reserved", "traded", "archived", "pending_review"];

    public sealed record Owned(int LedgerEntries, int Items, int Photos);

    public static async Task<Guid> CategoryAsync(NpgsqlDataSource dataSource)
    {
        var id = Guid.CreateVersion7();
        await using var command = dataSource.CreateCommand(
            "insert into categories (id, name, slug, created_at, updated_at) values ($1, 'Bench', $2, now(), now())");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = $"bench-{id:N}" });
        await command.ExecuteNonQueryAsync();
        return id;
    }

    /// <summary>Gives <paramref name="userId"/> what <paramref name="owned"/> says; photos are distinct JPEGs of the given size.</summary>
    public static async Task UserAsync(NpgsqlDataSource dataSource, IBlobStore blobs, Guid userId, Guid categoryId, Owned owned,
        (int Width, int Height) photoSize, Random random)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // One grant per entry: ISSUANCE -100, the user's AVAILABLE +100. The entries triggers move a balance per
        // statement, so each posting is its own pair of statements (sent as one batch).
        var available = await AvailableAccountAsync(connection, transaction, userId);
        await using (var grants = new NpgsqlBatch(connection, transaction))
        {
            for (var i = 0; i < owned.LedgerEntries; i++)
            {
                var id = Guid.CreateVersion7();
                var posting = new NpgsqlBatchCommand("""
                    insert into ledger.transactions (id, idempotency_key, request_hash, kind, memo, created_at)
                    values ($1, $2, 'bench', 'admin_grant', 'bench grant', now())
                    """);
                posting.Parameters.Add(new() { Value = id });
                posting.Parameters.Add(new() { Value = $"bench:{id}" });
                grants.BatchCommands.Add(posting);
                var legs = new NpgsqlBatchCommand(
                    "insert into ledger.entries (transaction_id, account_id, amount, created_at) values ($1, $2, 100, now()), ($1, $3, -100, now())");
                legs.Parameters.Add(new() { Value = id });
                legs.Parameters.Add(new() { Value = available });
                legs.Parameters.Add(new() { Value = LedgerAccounts.SystemAccountId(AccountKind.Issuance, 0) });
                grants.BatchCommands.Add(legs);
            }
            await grants.ExecuteNonQueryAsync();
        }
        for (var i = 0; i < owned.Items; i++)
        {
            var photos = new List<ItemPhoto>();
            if (i < owned.Photos)
            {
                var (sha, width, height) = await PhotoAsync(blobs, photoSize, random);
                photos.Add(new ItemPhoto(Guid.CreateVersion7(), sha, width, height));
            }
            await using var item = new NpgsqlCommand("""
                insert into items (id, owner_id, status, title, description, category_id, condition, price_minor, tags,
                    general_area, photos, version, created_at, updated_at, status_changed_at)
                values ($1, $2, $3, $4, $5, $6, 'good', $7, $8, 'New York area', $9, 1, now(), now(), now())
                """, connection, transaction);
            item.Parameters.Add(new() { Value = Guid.CreateVersion7() });
            item.Parameters.Add(new() { Value = userId });
            item.Parameters.Add(new() { Value = Statuses[i % Statuses.Length] });
            item.Parameters.Add(new() { Value = $"Bench item {i}: a sturdy oak bookshelf" });
            item.Parameters.Add(new() { Value = string.Concat(Enumerable.Repeat("Solid oak, five shelves, minor scuffs on the side. ", 8)) });
            item.Parameters.Add(new() { Value = categoryId });
            item.Parameters.Add(new() { Value = 100L + random.Next(100_000) });
            item.Parameters.Add(new() { Value = new[] { "oak", "shelf", "furniture" } });
            item.Parameters.Add(new() { Value = JsonSerializer.Serialize(photos, JsonSerializerOptions.Web), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb });
            await item.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    private static async Task<Guid> AvailableAccountAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId)
    {
        await using var command = new NpgsqlCommand("select id from ledger.accounts where owner_id = $1 and kind = 'USER_AVAILABLE'", connection, transaction);
        command.Parameters.Add(new() { Value = userId });
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A distinct photo-like JPEG (smooth gradient plus noise) stored as an item photo master.</summary>
    private static async Task<(string Sha256, int Width, int Height)> PhotoAsync(IBlobStore blobs, (int Width, int Height) size, Random random)
    {
        using var image = new Image<Rgb24>(size.Width, size.Height);
        var (r, g, b) = (random.Next(256), random.Next(256), random.Next(256));
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                    row[x] = new Rgb24((byte)((r + x / 5 + random.Next(24)) % 256), (byte)((g + y / 4 + random.Next(24)) % 256), (byte)((b + (x + y) / 9) % 256));
            }
        });
        using var jpeg = new MemoryStream();
        await image.SaveAsJpegAsync(jpeg, new JpegEncoder { Quality = 80 });
        var sha = Convert.ToHexStringLower(SHA256.HashData(jpeg.ToArray()));
        jpeg.Position = 0;
        await blobs.PutAsync(new StoredPhoto(sha, size.Width, size.Height, PhotoStore.ItemPrefix(sha)).KeyOf(PhotoVariants.Master, PhotoFormat.Jpeg),
            jpeg, ContentTypes.Jpeg);
        return (sha, size.Width, size.Height);
    }
}
