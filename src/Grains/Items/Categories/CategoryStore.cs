using NeXChange.Audit;
using Npgsql;
using NpgsqlTypes;
using NeXChange.Users;

namespace NeXChange.Items.Categories;

/// <summary>The categories table; every change is written with its CATEGORY_CHANGED audit row in one transaction.</summary>
public sealed class CategoryStore(NpgsqlDataSource dataSource)
{
    public async Task<List<Category>> LoadAsync()
    {
        await using var command = dataSource.CreateCommand("select id, name, slug, parent_id, sort_order, active from categories");
        await using var reader = await command.ExecuteReaderAsync();
        var all = new List<Category>();
        while (await reader.ReadAsync())
            all.Add(new Category(reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.GetInt32(4), reader.GetBoolean(5)));
        return all;
    }

    /// <summary>Inserts or updates one category. False when a sibling already has the name (unique index).</summary>
    public async Task<bool> SaveAsync(Category category, Guid? actorId, Category? before, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            await using (var upsert = new NpgsqlCommand("""
                insert into categories (id, name, slug, parent_id, sort_order, active, created_at, updated_at)
                values ($1, $2, $3, $4, $5, $6, $7, $7)
                on conflict (id) do update set name = excluded.name, slug = excluded.slug, parent_id = excluded.parent_id,
                    sort_order = excluded.sort_order, active = excluded.active, updated_at = excluded.updated_at
                """, connection, transaction))
            {
                upsert.Parameters.Add(new() { Value = category.Id });
                upsert.Parameters.Add(new() { Value = category.Name });
                upsert.Parameters.Add(new() { Value = category.Slug });
                upsert.Parameters.Add(new() { Value = (object?)category.ParentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
                upsert.Parameters.Add(new() { Value = category.SortOrder });
                upsert.Parameters.Add(new() { Value = category.Active });
                upsert.Parameters.Add(new() { Value = now });
                await upsert.ExecuteNonQueryAsync();
            }
            if (actorId is not null)
                await AuditLog.WriteAsync(connection, transaction,
                    new AuditEntry("CATEGORY_CHANGED", "category", category.Id.ToString(), actorId, new { before, after = category }), now);
            await transaction.CommitAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "categories_sibling_name_unique")
        {
            return false;
        }
    }
}
