using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;

namespace NeXChange.Privacy.Export;

/// <summary>
/// One repeatable-read, read-only transaction for a whole export: every section of data.json and the photo list see
/// the same instant, so the archive agrees with itself while the user goes on using the app. Rows are handed out one
/// at a time from a single open reader (the one connection allows no other), never collected.
/// </summary>
internal sealed class ExportSnapshot : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;

    private ExportSnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        this.connection = connection;
        this.transaction = transaction;
    }

    public static async Task<ExportSnapshot> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            // json_build_object renders timestamps in the session's zone: UTC gives the API's ISO 8601 instants.
            await using var setup = new NpgsqlCommand("set transaction read only; set local timezone = 'UTC'", connection, transaction);
            await setup.ExecuteNonQueryAsync(cancellationToken);
            return new ExportSnapshot(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The rows of <paramref name="sql"/> (positional parameters <c>$1…</c>), each mapped while it is current.</summary>
    public async IAsyncEnumerable<T> RowsAsync<T>(string sql, Func<NpgsqlDataReader, T> map, object[] parameters,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) yield return map(reader);
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
