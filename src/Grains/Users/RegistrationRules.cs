using System.Globalization;
using NeXChange.Errors;

namespace NeXChange.Users;

/// <summary>A registration that passed every rule, in the normalized form that is stored.</summary>
public sealed record ValidRegistration(string Email, string Password, DateOnly DateOfBirth, string ZipCode, string City, AreaPoint Area);

/// <summary>The field rules of SPEC.md 3.1; every broken rule is reported at once, under the JSON field names.</summary>
public static class RegistrationRules
{
    public const int MinimumAge = 13;
    public const int CityMinLength = 2;
    public const int CityMaxLength = 60;
    private static readonly DateOnly EarliestBirthDate = new(1900, 1, 1);

    public static ValidRegistration Validate(Registration registration, DateOnly today, IZipGeocoder geocoder)
    {
        var errors = new List<FieldError>();

        var email = EmailAddress.Normalize(registration.Email);
        if (EmailAddress.Check("email", email) is { } emailError) errors.Add(emailError);

        if (PasswordPolicy.Check("password", registration.Password, email) is { } passwordError) errors.Add(passwordError);

        var dateOfBirth = DateOfBirth(errors, registration.DateOfBirth, today);
        var (zipCode, area) = Zip(errors, registration.ZipCode, geocoder);
        var city = City(errors, registration.City);

        if (errors.Count > 0) throw DomainException.Validation([.. errors]);
        return new ValidRegistration(email, registration.Password, dateOfBirth, zipCode, city, area!.Value);
    }

    /// <summary>YYYY-MM-DD, plausible and at least 13 years ago; shared with rectification (SPEC.md 3.10).</summary>
    public static DateOnly DateOfBirth(List<FieldError> errors, string? value, DateOnly today)
    {
        var dateOfBirth = default(DateOnly);
        if (string.IsNullOrWhiteSpace(value))
            errors.Add(new("dateOfBirth", FieldCodes.Required, "A date of birth is required."));
        else if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out dateOfBirth))
            errors.Add(new("dateOfBirth", FieldCodes.InvalidFormat, "Use the format YYYY-MM-DD."));
        else if (dateOfBirth < EarliestBirthDate)
            errors.Add(new("dateOfBirth", FieldCodes.OutOfRange, "This date of birth is not plausible."));
        else if (!IsOldEnough(dateOfBirth, today))
            errors.Add(new("dateOfBirth", FieldCodes.TooYoung, $"You must be at least {MinimumAge} years old."));
        return dateOfBirth;
    }

    /// <summary>A 5-digit ZIP known to the geocoder, with its area point; shared with profile changes.</summary>
    public static (string ZipCode, AreaPoint? Area) Zip(List<FieldError> errors, string? value, IZipGeocoder geocoder)
    {
        var zipCode = (value ?? "").Trim();
        AreaPoint? area = null;
        if (zipCode.Length == 0) errors.Add(new("zipCode", FieldCodes.Required, "A ZIP code is required."));
        else if (zipCode.Length != 5 || !zipCode.All(char.IsAsciiDigit)) errors.Add(new("zipCode", FieldCodes.InvalidFormat, "Use a 5-digit US ZIP code."));
        else if ((area = geocoder.Locate(zipCode)) is null) errors.Add(new("zipCode", FieldCodes.UnknownZip, "This ZIP code is unknown."));
        return (zipCode, area);
    }

    /// <summary>2-60 characters after trimming; shown publicly as "{city} area".</summary>
    public static string City(List<FieldError> errors, string? value)
    {
        var city = (value ?? "").Trim();
        var length = city.EnumerateRunes().Count();
        if (length == 0) errors.Add(new("city", FieldCodes.Required, "A city is required."));
        else if (length < CityMinLength) errors.Add(new("city", FieldCodes.TooShort, $"Use at least {CityMinLength} characters."));
        else if (length > CityMaxLength) errors.Add(new("city", FieldCodes.TooLong, $"Use at most {CityMaxLength} characters."));
        return city;
    }

    /// <summary>
    /// Birthday + 13 years ≤ today. DateOnly.AddYears maps 29 February to 28 February in common years, so a
    /// leap-day child may register on 28 February of the year they turn 13.
    /// </summary>
    public static bool IsOldEnough(DateOnly dateOfBirth, DateOnly today) => dateOfBirth.AddYears(MinimumAge) <= today;
}
