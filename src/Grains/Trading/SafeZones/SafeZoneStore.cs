using System.Text;
using NeXChange.Audit;
using NeXChange.Search;
using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Trading.SafeZones;

/// <summary>The safe_zones table; every admin change is written with its audit row in one transaction.</summary>
public sealed class SafeZoneStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, name, address, lat, lng, tier, kind, open24h, daylight_only, active, created_at";
    private const string Insert =
        $"insert into safe_zones ({Columns}, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)";
    private const double MetresPerMile = SafeZoneRecommender.KmPerMile * 1000;

    // PostGIS measures on a sphere of the mean Earth radius (6 371 008.77 m), within 3 cm of SPEC.md 5.1's 6 371.0088 km,
    // so ST_DWithin on it is the haversine filter to well under a metre.
    private const string Near = "st_dwithin(point, st_setsrid(st_makepoint(@lng, @lat), 4326)::geography, @metres, false)";

    public async Task<SafeZone?> FindAsync(Guid id)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from safe_zones where id = $1");
        command.Parameters.Add(new() { Value = id });
        return (await ReadAsync(command)).FirstOrDefault().Zone;
    }

    /// <summary>
    /// Active zones within a little more than <paramref name="radiusMi"/> of <paramref name="point"/>: the index narrows,
    /// the caller decides with the exact haversine.
    /// </summary>
    public async Task<List<SafeZone>> ActiveNearAsync(GeoPoint point, double radiusMi)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from safe_zones where active and {Near}");
        AddPoint(command, point, radiusMi * MetresPerMile * 1.001 + 100);
        return [.. (await ReadAsync(command)).Select(r => r.Zone)];
    }

    /// <summary>Newest first after <paramref name="after"/>; one row more than <paramref name="limit"/> tells that a next page exists.</summary>
    public async Task<List<(SafeZone Zone, SafeZonePosition Position)>> ListAsync(GeoPoint? point, double? radiusMi, SafeZonePosition? after, int limit)
    {
        await using var command = dataSource.CreateCommand();
        var sql = new StringBuilder($"select {Columns} from safe_zones where true");
        if (point is not null && radiusMi is not null)
        {
            AddPoint(command, point, radiusMi.Value * MetresPerMile);
            sql.Append(" and ").Append(Near);
        }
        if (after is not null)
        {
            command.Parameters.Add(new NpgsqlParameter("after_at", after.CreatedAt));
            command.Parameters.Add(new NpgsqlParameter("after_id", after.Id));
            sql.Append(" and (created_at, id) < (@after_at, @after_id)");
        }
        command.Parameters.Add(new NpgsqlParameter("limit", limit + 1));
        command.CommandText = sql.Append(" order by created_at desc, id desc limit @limit").ToString();
        return await ReadAsync(command);
    }

    public async Task InsertAsync(SafeZone zone, Guid adminId, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var insert = Command(connection, transaction, Insert, zone, now))
            await insert.ExecuteNonQueryAsync();
        await AuditLog.WriteAsync(connection, transaction,
            new AuditEntry(AuditActions.SafeZoneChanged, "safe_zone", zone.Id.ToString(), adminId, new { change = "created", after = zone }), now);
        await transaction.CommitAsync();
    }

    /// <summary>Replaces every field of the zone; false when it does not exist.</summary>
    public async Task<bool> UpdateAsync(SafeZone zone, Guid adminId, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        SafeZone? before;
        await using (var read = new NpgsqlCommand($"select {Columns} from safe_zones where id = $1 for update", connection, transaction))
        {
            read.Parameters.Add(new() { Value = zone.Id });
            before = (await ReadAsync(read)).FirstOrDefault().Zone;
        }
        if (before is null) return false;
        await using (var update = Command(connection, transaction, """
            update safe_zones set name = $2, address = $3, lat = $4, lng = $5, tier = $6, kind = $7, open24h = $8,
                daylight_only = $9, active = $10, updated_at = $11
            where id = $1
            """, zone, now))
            await update.ExecuteNonQueryAsync();
        await AuditLog.WriteAsync(connection, transaction,
            new AuditEntry(AuditActions.SafeZoneChanged, "safe_zone", zone.Id.ToString(), adminId, new { change = "updated", before, after = zone }), now);
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>Inserts the zones whose ids are not taken yet (an admin's later edits of them stay); returns how many were new.</summary>
    public async Task<int> InsertMissingAsync(IReadOnlyList<SafeZone> zones, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var inserted = 0;
        foreach (var zone in zones)
        {
            await using var insert = Command(connection, transaction, Insert + " on conflict (id) do nothing", zone, now);
            inserted += await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return inserted;
    }

    public async Task<long> CountAsync()
    {
        await using var command = dataSource.CreateCommand("select count(*) from safe_zones");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A statement whose parameters $1–$11 are the zone's columns in <see cref="Columns"/> order and <paramref name="now"/>.</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, SafeZone zone, DateTimeOffset now)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in new object[] { zone.Id, zone.Name, zone.Address, zone.Lat, zone.Lng, zone.Tier, zone.Kind, zone.Open24h, zone.DaylightOnly, zone.Active, now })
            command.Parameters.Add(new() { Value = value });
        return command;
    }

    private static void AddPoint(NpgsqlCommand command, GeoPoint point, double metres)
    {
        command.Parameters.Add(new NpgsqlParameter("lat", NpgsqlDbType.Double) { Value = point.Lat });
        command.Parameters.Add(new NpgsqlParameter("lng", NpgsqlDbType.Double) { Value = point.Lng });
        command.Parameters.Add(new NpgsqlParameter("metres", NpgsqlDbType.Double) { Value = metres });
    }

    private static async Task<List<(SafeZone Zone, SafeZonePosition Position)>> ReadAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(SafeZone, SafeZonePosition)>();
        while (await reader.ReadAsync())
        {
            var zone = new SafeZone(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3), reader.GetDouble(4),
                reader.GetInt32(5), reader.GetString(6), reader.GetBoolean(7), reader.GetBoolean(8), reader.GetBoolean(9));
            rows.Add((zone, new SafeZonePosition(reader.GetFieldValue<DateTimeOffset>(10), zone.Id)));
        }
        return rows;
    }
}
