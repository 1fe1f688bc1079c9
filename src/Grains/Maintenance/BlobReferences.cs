using Npgsql;

namespace NeXChange.Maintenance;

/// <summary>
/// The blob key prefixes that records still point at: item photos (items/{sha256}), profile photos and dispute
/// evidence. Read once per cleanup run, so checking thousands of blobs costs one query.
/// </summary>
public sealed class BlobReferences(NpgsqlDataSource dataSource)
{
    public async Task<HashSet<string>> LoadPrefixesAsync()
    {
        await using var command = dataSource.CreateCommand("""
            select distinct 'items/' || (photo ->> 'sha256') from items, jsonb_array_elements(items.photos) as photo
            union
            select photo ->> 'keyPrefix' from users where photo is not null
            union
            select unnest(evidence_prefixes) from disputes
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync()) prefixes.Add(reader.GetString(0));
        return prefixes;
    }

    /// <summary>A blob key is referenced when its folder (everything before the variant file name) is.</summary>
    public static bool IsReferenced(string key, IReadOnlySet<string> prefixes)
    {
        var slash = key.LastIndexOf('/');
        return slash > 0 && prefixes.Contains(key[..slash]);
    }
}
