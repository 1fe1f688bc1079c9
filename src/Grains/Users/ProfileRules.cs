using System.Text.RegularExpressions;
using NeXChange.Errors;

namespace NeXChange.Users;

/// <summary>The private profile fields a user edits (SPEC.md 8.2 PATCH /me) and the settings rules (3.9).</summary>
public static partial class ProfileRules
{
    /// <summary>The profile after <paramref name="changes"/>, or one validation error listing every broken rule.</summary>
    public static UserRecord Apply(UserRecord current, ProfileChanges changes, IZipGeocoder geocoder, DateOnly today)
    {
        var errors = new List<FieldError>();
        bool Has(string name) => changes.Present.Contains(name);
        var next = current;

        if (Has("fullName")) next = next with { FullName = Optional(errors, "fullName", changes.FullName, 1, 100) };
        if (Has("vehicleDescription")) next = next with { VehicleDescription = Optional(errors, "vehicleDescription", changes.VehicleDescription, 0, 200) };
        if (Has("phone"))
        {
            var phone = changes.Phone?.Trim();
            if (phone is not null && !E164().IsMatch(phone))
                errors.Add(new("phone", FieldCodes.InvalidFormat, "Use E.164, e.g. +12025550123."));
            next = next with { Phone = phone };
        }
        if (Has("zipCode") != Has("city"))
            errors.Add(new(Has("zipCode") ? "city" : "zipCode", FieldCodes.Required, "zipCode and city change together."));
        else if (Has("zipCode"))
        {
            var (zipCode, area) = RegistrationRules.Zip(errors, changes.ZipCode, geocoder);
            var city = RegistrationRules.City(errors, changes.City);
            next = next with { ZipCode = zipCode, City = city, Area = area };
        }

        if (Has("dateOfBirth")) next = next with { DateOfBirth = RegistrationRules.DateOfBirth(errors, changes.DateOfBirth, today) };

        return errors.Count > 0 ? throw DomainException.Validation([.. errors]) : next;
    }

    public static AccountSettings Check(AccountSettings settings)
    {
        var errors = new List<FieldError>();
        if (settings.Units is not ("mi" or "km")) errors.Add(new("units", FieldCodes.UnknownValue, "units is mi or km."));
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(settings.Timezone ?? "", out var zone) || !zone.HasIanaId)
            errors.Add(new("timezone", FieldCodes.UnknownValue, "timezone is an IANA time zone name, e.g. America/Chicago."));
        return errors.Count > 0 ? throw DomainException.Validation([.. errors]) : settings;
    }

    private static string? Optional(List<FieldError> errors, string field, string? value, int min, int max)
    {
        if (value is null) return null;
        var trimmed = value.Trim();
        var length = trimmed.EnumerateRunes().Count();
        if (length < min) errors.Add(new(field, FieldCodes.TooShort, $"Use at least {min} characters."));
        else if (length > max) errors.Add(new(field, FieldCodes.TooLong, $"Use at most {max} characters."));
        return trimmed;
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$")]
    private static partial Regex E164();
}
