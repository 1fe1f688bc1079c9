using NeXChange.Errors;

namespace NeXChange.Trading.SafeZones;

/// <summary>
/// The fields of a safe zone (SPEC.md 6.4). A kind belongs to exactly one tier, as the tier descriptions define them,
/// so a draft whose tier disagrees with its kind is refused rather than ranked as a safer place than it is.
/// </summary>
public static class SafeZoneRules
{
    public static readonly IReadOnlyDictionary<string, int> KindTiers = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["police_station"] = 1, ["fire_station"] = 1, ["government_building"] = 1,
        ["bank_branch"] = 2, ["big_box_store"] = 2, ["fuel_station"] = 2,
        ["cafe"] = 3, ["fast_food"] = 3, ["library"] = 3, ["community_centre"] = 3,
        ["grocery_car_park"] = 4, ["chain_store"] = 4, ["park"] = 4,
    };

    /// <summary>Every field checked at once: the zone <paramref name="id"/> with trimmed texts, or one validation_failed.</summary>
    public static SafeZone Validate(Guid id, SafeZoneDraft draft)
    {
        var errors = new List<FieldError>();
        var name = Text(errors, "name", draft.Name, 3, 100);
        var address = Text(errors, "address", draft.Address, 5, 200);
        var lat = Coordinate(errors, "lat", draft.Lat, 90, required: true);
        var lng = Coordinate(errors, "lng", draft.Lng, 180, required: true);
        var tier = Tier(errors, draft.Tier);
        if (draft.Kind is null)
            errors.Add(new FieldError("kind", FieldCodes.Required, "kind is required."));
        else if (!KindTiers.TryGetValue(draft.Kind, out var kindTier))
            errors.Add(new FieldError("kind", FieldCodes.UnknownValue, $"kind is one of {string.Join(", ", KindTiers.Keys)}."));
        else if (tier is not null && tier != kindTier)
            errors.Add(new FieldError("tier", FieldCodes.InvalidValue, $"A {draft.Kind} is a tier {kindTier} place."));
        var open24h = Flag(errors, "open24h", draft.Open24h);
        var daylightOnly = Flag(errors, "daylightOnly", draft.DaylightOnly);
        var active = Flag(errors, "active", draft.Active);
        if (errors.Count > 0) throw DomainException.Validation([.. errors]);
        return new SafeZone(id, name!, address!, lat!.Value, lng!.Value, tier!.Value, draft.Kind!, open24h!.Value, daylightOnly!.Value, active!.Value);
    }

    private static string? Text(List<FieldError> errors, string field, string? value, int min, int max)
    {
        var trimmed = value?.Trim() ?? "";
        var length = trimmed.EnumerateRunes().Count();
        if (length == 0) errors.Add(new FieldError(field, FieldCodes.Required, $"{field} is required."));
        // PostgreSQL text cannot hold NUL, and no control character belongs in a place's name or address.
        else if (trimmed.Any(char.IsControl)) errors.Add(new FieldError(field, FieldCodes.InvalidFormat, "Control characters are not allowed."));
        else if (length < min) errors.Add(new FieldError(field, FieldCodes.TooShort, $"{field} needs at least {min} characters."));
        else if (length > max) errors.Add(new FieldError(field, FieldCodes.TooLong, $"{field} allows at most {max} characters."));
        return trimmed;
    }

    /// <summary>A latitude (<paramref name="bound"/> 90) or longitude (180) in degrees.</summary>
    public static double? Coordinate(List<FieldError> errors, string field, double? value, double bound, bool required)
    {
        if (value is null)
        {
            if (required) errors.Add(new FieldError(field, FieldCodes.Required, $"{field} is required."));
        }
        else if (!(Math.Abs(value.Value) <= bound)) errors.Add(new FieldError(field, FieldCodes.OutOfRange, $"{field} must be between -{bound} and {bound}."));
        return value;
    }

    private static int? Tier(List<FieldError> errors, int? value)
    {
        if (value is null) errors.Add(new FieldError("tier", FieldCodes.Required, "tier is required."));
        else if (value is < 1 or > 4) errors.Add(new FieldError("tier", FieldCodes.OutOfRange, "tier must be between 1 and 4."));
        else return value;
        return null;
    }

    private static bool? Flag(List<FieldError> errors, string field, bool? value)
    {
        if (value is null) errors.Add(new FieldError(field, FieldCodes.Required, $"{field} is required."));
        return value;
    }
}
