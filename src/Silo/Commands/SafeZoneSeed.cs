using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NeXChange.Trading;
using NeXChange.Trading.SafeZones;

namespace NeXChange.Silo.Commands;

/// <summary>
/// The safe zones of the local run: 3–8 per city around 50 large US cities, 0.5–8 mi from the centre, across the
/// kinds of every tier. Everything (ids included) is derived from a hash of the city and the zone's number, so every
/// run generates the same zones and a re-seed finds them already there.
/// </summary>
public static class SafeZoneSeed
{
    private static readonly (string City, string State, double Lat, double Lng)[] Cities =
    [
        ("New York", "NY", 40.71, -74.01), ("Los Angeles", "CA", 34.05, -118.24), ("Chicago", "IL", 41.88, -87.63),
        ("Houston", "TX", 29.76, -95.37), ("Phoenix", "AZ", 33.45, -112.07), ("Philadelphia", "PA", 39.95, -75.17),
        ("San Antonio", "TX", 29.42, -98.49), ("San Diego", "CA", 32.72, -117.16), ("Dallas", "TX", 32.78, -96.80),
        ("San Jose", "CA", 37.34, -121.89), ("Austin", "TX", 30.27, -97.74), ("Jacksonville", "FL", 30.33, -81.66),
        ("Fort Worth", "TX", 32.76, -97.33), ("Columbus", "OH", 39.96, -83.00), ("Charlotte", "NC", 35.23, -80.84),
        ("San Francisco", "CA", 37.77, -122.42), ("Indianapolis", "IN", 39.77, -86.16), ("Seattle", "WA", 47.61, -122.33),
        ("Denver", "CO", 39.74, -104.99), ("Washington", "DC", 38.91, -77.04), ("Boston", "MA", 42.36, -71.06),
        ("Nashville", "TN", 36.16, -86.78), ("Detroit", "MI", 42.33, -83.05), ("Oklahoma City", "OK", 35.47, -97.52),
        ("Portland", "OR", 45.52, -122.68), ("Las Vegas", "NV", 36.17, -115.14), ("Memphis", "TN", 35.15, -90.05),
        ("Louisville", "KY", 38.25, -85.76), ("Baltimore", "MD", 39.29, -76.61), ("Milwaukee", "WI", 43.04, -87.91),
        ("Albuquerque", "NM", 35.08, -106.65), ("Tucson", "AZ", 32.22, -110.97), ("Fresno", "CA", 36.74, -119.79),
        ("Sacramento", "CA", 38.58, -121.49), ("Kansas City", "MO", 39.10, -94.58), ("Atlanta", "GA", 33.75, -84.39),
        ("Miami", "FL", 25.76, -80.19), ("Raleigh", "NC", 35.78, -78.64), ("Omaha", "NE", 41.26, -95.93),
        ("Minneapolis", "MN", 44.98, -93.27), ("Cleveland", "OH", 41.50, -81.69), ("Tampa", "FL", 27.95, -82.46),
        ("New Orleans", "LA", 29.95, -90.07), ("Pittsburgh", "PA", 40.44, -80.00), ("St. Louis", "MO", 38.63, -90.20),
        ("Salt Lake City", "UT", 40.76, -111.89), ("Cincinnati", "OH", 39.10, -84.51), ("Orlando", "FL", 28.54, -81.38),
        ("Buffalo", "NY", 42.89, -78.88), ("Honolulu", "HI", 21.31, -157.86),
    ];

    private static readonly (string Kind, string Label)[] Kinds =
    [
        ("police_station", "Police Station"), ("fire_station", "Fire Station"), ("government_building", "City Hall Annex"),
        ("bank_branch", "Bank Branch"), ("big_box_store", "Superstore Entrance"), ("fuel_station", "Fuel Station"),
        ("cafe", "Corner Café"), ("fast_food", "Burger Restaurant"), ("library", "Public Library"),
        ("community_centre", "Community Centre"), ("grocery_car_park", "Grocery Car Park"), ("chain_store", "Pharmacy"),
        ("park", "Park"),
    ];

    private static readonly string[] Streets =
        ["Main St", "Oak Ave", "Maple St", "Washington Blvd", "Park Ave", "Lincoln Way", "Elm St", "Market St", "Lake St", "Cedar Rd"];

    // The UUIDv7 timestamp of every seeded id: 2026-01-01T00:00:00Z.
    private const long IdMilliseconds = 1_767_225_600_000;
    private const double MilesPerDegreeLat = 69.05;

    public static IReadOnlyList<SafeZone> Zones()
    {
        var zones = new List<SafeZone>();
        foreach (var (city, state, lat, lng) in Cities)
        {
            var count = 3 + Hash($"{city}:count")[0] % 6;
            for (var n = 1; n <= count; n++)
            {
                var hash = Hash($"{city}:{n}");
                var (kind, label) = Kinds[hash[0] % Kinds.Length];
                var miles = 0.5 + 7.5 * Fraction(hash, 4);
                var bearing = 2 * Math.PI * Fraction(hash, 8);
                var zoneLat = Math.Round(lat + miles * Math.Cos(bearing) / MilesPerDegreeLat, 5);
                var zoneLng = Math.Round(lng + miles * Math.Sin(bearing) / (MilesPerDegreeLat * Math.Cos(lat * Math.PI / 180)), 5);
                var street = Streets[hash[1] % Streets.Length];
                var number = 100 + BinaryPrimitives.ReadUInt16BigEndian(hash.AsSpan(2)) % 9_800;
                var draft = new SafeZoneDraft($"{city} {label} {n}", $"{number} {street}, {city}, {state}", zoneLat, zoneLng,
                    SafeZoneRules.KindTiers[kind], kind, Open24h: kind is "police_station" or "fire_station" or "fuel_station",
                    DaylightOnly: kind == "park", Active: true);
                zones.Add(SafeZoneRules.Validate(Id(hash), draft));
            }
        }
        return zones;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes($"safe-zone-seed:{key}"));

    private static double Fraction(byte[] hash, int offset) => BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(offset)) / (double)uint.MaxValue;

    /// <summary>A UUIDv7 (RFC 9562) with the fixed timestamp and hash bytes where the random bits go.</summary>
    private static Guid Id(byte[] hash)
    {
        var bytes = hash[16..32];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(IdMilliseconds >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), unchecked((uint)IdMilliseconds));
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
