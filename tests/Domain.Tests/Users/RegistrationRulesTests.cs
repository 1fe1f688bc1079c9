using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Domain.Tests.Users;

public sealed class RegistrationRulesTests
{
    private static readonly DateOnly Today = new(2026, 3, 15);
    private static readonly IZipGeocoder Geocoder = CensusZipGeocoder.Load();

    private static Registration Valid(string? dateOfBirth = null, string? email = null, string? zip = null, string? city = null) =>
        new(email ?? "  Ada.Lovelace@Example.COM ", "correct-Horse-9-battery", dateOfBirth ?? "1990-05-01", zip ?? "10001", city ?? " New York ");

    private static IReadOnlyList<FieldError> Errors(Registration registration)
    {
        var e = Assert.Throws<DomainException>(() => RegistrationRules.Validate(registration, Today, Geocoder));
        Assert.Equal(ErrorCodes.ValidationFailed, e.Code);
        return e.Errors;
    }

    [Fact]
    public void email_is_trimmed_and_lower_cased_and_the_city_trimmed()
    {
        var valid = RegistrationRules.Validate(Valid(), Today, Geocoder);
        Assert.Equal("ada.lovelace@example.com", valid.Email);
        Assert.Equal("New York", valid.City);
    }

    [Fact]
    public void the_area_point_is_the_zip_centroid_rounded_to_two_decimals()
    {
        var valid = RegistrationRules.Validate(Valid(zip: "10001"), Today, Geocoder);
        Assert.Equal(new AreaPoint(40.75m, -74.00m), valid.Area);
    }

    [Fact]
    public void exactly_thirteen_today_may_register() =>
        Assert.Equal(new DateOnly(2013, 3, 15), RegistrationRules.Validate(Valid(dateOfBirth: "2013-03-15"), Today, Geocoder).DateOfBirth);

    [Fact]
    public void one_day_short_of_thirteen_is_too_young() =>
        Assert.Equal(("dateOfBirth", "too_young"), Errors(Valid(dateOfBirth: "2013-03-16")).Select(e => (e.Field, e.Code)).Single());

    [Theory]
    [InlineData("2012-02-29", "2025-02-27", false)]
    [InlineData("2012-02-29", "2025-02-28", true)]   // AddYears maps the leap day to 28 February in common years
    [InlineData("2008-02-29", "2021-02-28", true)]
    [InlineData("2012-02-29", "2025-03-01", true)]
    [InlineData("2004-02-29", "2017-02-28", true)]
    public void leap_day_birthdays_turn_thirteen_on_28_february_of_a_common_year(string birth, string today, bool oldEnough) =>
        Assert.Equal(oldEnough, RegistrationRules.IsOldEnough(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("15/03/1990", "invalid_format")]
    [InlineData("1990-3-5", "invalid_format")]
    [InlineData("1990-02-30", "invalid_format")]
    [InlineData("1850-01-01", "out_of_range")]
    [InlineData("", "required")]
    public void malformed_dates_of_birth_are_refused(string dateOfBirth, string code) =>
        Assert.Equal(code, Errors(Valid(dateOfBirth: dateOfBirth)).Single().Code);

    [Theory]
    [InlineData("", "required")]
    [InlineData("ada.example.com", "invalid_format")]
    [InlineData("ada@@example.com", "invalid_format")]
    [InlineData("a@b@example.com", "invalid_format")]
    [InlineData("ada lovelace@example.com", "invalid_format")]
    [InlineData("@example.com", "invalid_format")]
    public void malformed_emails_are_refused(string email, string code) =>
        Assert.Equal(("email", code), Errors(Valid(email: email)).Select(e => (e.Field, e.Code)).Single());

    [Fact]
    public void emails_longer_than_254_characters_are_too_long() =>
        Assert.Equal("too_long", Errors(Valid(email: new string('a', 245) + "@example.com")).Single().Code);

    [Theory]
    [InlineData("1000", "invalid_format")]
    [InlineData("1000a", "invalid_format")]
    [InlineData("00000", "unknown_zip")]
    [InlineData("", "required")]
    public void zip_codes_must_be_five_known_digits(string zip, string code) =>
        Assert.Equal(("zipCode", code), Errors(Valid(zip: zip)).Select(e => (e.Field, e.Code)).Single());

    [Theory]
    [InlineData(" X ", "too_short")]
    [InlineData("", "required")]
    public void cities_need_two_to_sixty_characters(string city, string code) =>
        Assert.Equal(("city", code), Errors(Valid(city: city)).Select(e => (e.Field, e.Code)).Single());

    [Fact]
    public void a_city_of_61_characters_is_too_long() =>
        Assert.Equal("too_long", Errors(Valid(city: new string('c', 61))).Single().Code);

    [Fact]
    public void every_broken_rule_is_reported_at_once()
    {
        var errors = Errors(new Registration("nope", "short", "2020-01-01", "99999x", "X"));
        Assert.Equal(
            ["city:too_short", "dateOfBirth:too_young", "email:invalid_format", "password:too_short", "zipCode:invalid_format"],
            errors.Select(e => $"{e.Field}:{e.Code}").Order(StringComparer.Ordinal));
    }
}
