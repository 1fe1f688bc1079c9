using Npgsql;

namespace NeXChange.TestSupport;

/// <summary>Direct SQL against a fixture's database, for arranging and checking state behind the code under test.</summary>
public static class Sql
{
    public static async Task ExecuteAsync(string connectionString, string sql, params object?[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new() { Value = p ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql, params object?[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new() { Value = p ?? DBNull.Value });
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    /// <summary>The database's clock (its now()), for anchoring setup values on what the database itself compares with.</summary>
    public static async Task<DateTimeOffset> NowAsync(string connectionString) =>
        new(await ScalarAsync<DateTime>(connectionString, "select now()"), TimeSpan.Zero);
}
