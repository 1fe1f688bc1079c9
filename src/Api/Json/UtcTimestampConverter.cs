using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeXChange.Api.Json;

/// <summary>Timestamps are RFC 3339 UTC with <c>Z</c> and milliseconds (SPEC.md 8.1).</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>An unreadable timestamp is a JsonException, which the API answers as the 400 it is; a FormatException would be a 500.</summary>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new JsonException("Not an RFC 3339 timestamp.");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
