using Npgsql;

namespace NeXChange.Search;

/// <summary>The signed-in caller's coarse area point (users.area_lat/lng), the search point when none is given.</summary>
public sealed class CallerAreas(NpgsqlDataSource dataSource)
{
    public async Task<GeoPoint?> FindAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand(
            "select area_lat::double precision, area_lng::double precision from users where id = $1 and deleted_at is null");
        command.Parameters.Add(new() { Value = userId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() && !reader.IsDBNull(0) && !reader.IsDBNull(1)
            ? new GeoPoint(reader.GetDouble(0), reader.GetDouble(1))
            : null;
    }
}
