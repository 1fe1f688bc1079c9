using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using NeXChange.Users;

namespace NeXChange.Api.Tests.Privacy;

/// <summary>One tier-3 value of a user (SPEC.md 3.6) and whether it is found by equality or by containment.</summary>
public sealed record Secret(string Kind, string Value, bool Exact);

/// <summary>
/// Every tier-3 value each user of one fixture has held, learnt from the answers that show a user their own data
/// (SPEC.md 8.1 "Me"). Values are never forgotten: an old phone number is still that user's.
/// </summary>
public sealed class PersonalDataRegistry
{
    private static readonly Lazy<CensusZipGeocoder> Zips = new(CensusZipGeocoder.Load);
    private readonly ConcurrentDictionary<Guid, ImmutableHashSet<Secret>> users = new();

    /// <summary>Learns the private members of a Me object: email, full name, phone, date of birth, ZIP and its area point.</summary>
    public void LearnMe(JsonElement me) => Learn(me.GetProperty("id").GetGuid(), me);

    /// <summary>Learns whichever tier-3 members <paramref name="values"/> holds (a Me, or the changes of a rectify request).</summary>
    public void Learn(Guid userId, JsonElement values)
    {
        var secrets = new List<Secret>();
        foreach (var (member, kind) in new[] { ("email", "email"), ("fullName", "full name"), ("phone", "phone") })
            if (Text(values, member) is { } value) secrets.Add(Contained(kind, value));
        if (Text(values, "dateOfBirth") is { } birth) secrets.Add(new Secret("date of birth", birth, Exact: true));
        if (Text(values, "zipCode") is { } zip)
        {
            secrets.Add(new Secret("ZIP", zip, Exact: true));
            if (Zips.Value.Locate(zip) is { } point) secrets.Add(new Secret("area point", Coordinates(point.Lat, point.Lng), Exact: true));
        }
        users.AddOrUpdate(userId, _ => [.. secrets], (_, known) => known.Union(secrets));
    }

    /// <summary>Records a user's value directly, for tests of the scan itself.</summary>
    public void Learn(Guid userId, Secret secret) => users.AddOrUpdate(userId, _ => [secret], (_, known) => known.Add(secret));

    /// <summary>
    /// The values the scan looks for in an answer to <paramref name="caller"/> (null: anonymous): every other user's,
    /// except those the caller holds too (two users may share a ZIP or a birthday; the caller may see their own).
    /// </summary>
    public IReadOnlyList<(Guid Owner, Secret Secret)> OthersThan(Guid? caller)
    {
        var own = caller is { } id && users.TryGetValue(id, out var mine) ? mine : [];
        return users.Where(u => u.Key != caller)
            .SelectMany(u => u.Value.Where(s => !own.Contains(s)).Select(s => (u.Key, s)))
            .ToList();
    }

    /// <summary>The one spelling of a coordinate pair both sides compare: shortest invariant decimals, e.g. "40.75,-74".</summary>
    public static string Coordinates(decimal lat, decimal lng) =>
        string.Create(CultureInfo.InvariantCulture, $"{lat:0.############},{lng:0.############}");

    // A short value (a one-letter name) would be found inside unrelated words: below this it must match exactly.
    private const int ShortestContained = 6;

    private static Secret Contained(string kind, string value) => new(kind, value, Exact: value.Length < ShortestContained);

    private static string? Text(JsonElement values, string member) =>
        values.ValueKind == JsonValueKind.Object && values.TryGetProperty(member, out var v) && v.ValueKind == JsonValueKind.String
            && v.GetString() is { Length: > 0 } s ? s : null;
}
