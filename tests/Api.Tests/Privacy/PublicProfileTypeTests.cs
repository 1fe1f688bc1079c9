using System.Reflection;
using System.Text.RegularExpressions;
using NeXChange.Api.Endpoints;
using NeXChange.Users;

namespace NeXChange.Api.Tests.Privacy;

/// <summary>
/// The types that show a user to others (SPEC.md 3.6) have nowhere to put private data: no member is named like a
/// tier-3 field, nor like the tier-2 photo and vehicle that only the meetup package may add.
/// </summary>
public sealed partial class PublicProfileTypeTests
{
    [Theory]
    [InlineData(typeof(PublicProfile))]
    [InlineData(typeof(PublicProfileLite))]
    [InlineData(typeof(PublicProfileView))]
    public void a_public_profile_type_has_no_member_for_private_data(Type type)
    {
        var members = type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m is PropertyInfo or FieldInfo).Select(m => m.Name)
            .Concat(type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.Name!))
            .ToList();

        Assert.Contains("DisplayName", members);
        Assert.DoesNotContain(members, m => PrivateName().IsMatch(m));
    }

    [Theory]
    [InlineData("Email")]
    [InlineData("fullName")]
    [InlineData("PhoneNumber")]
    [InlineData("DateOfBirth")]
    [InlineData("ZipCode")]
    [InlineData("Lat")]
    [InlineData("lng")]
    [InlineData("AreaPoint")]
    [InlineData("<VehicleDescription>k__BackingField")]
    public void the_pattern_recognises_private_member_names(string name) => Assert.Matches(PrivateName(), name);

    [Theory]
    [InlineData("DisplayName")]
    [InlineData("GeneralArea")]
    [InlineData("RatingAverage")]
    [InlineData("AvatarUrl")]
    [InlineData("CompletedTrades")]
    [InlineData("RelatedTranslation")]
    public void the_pattern_passes_public_member_names(string name) => Assert.DoesNotMatch(PrivateName(), name);

    // lat, lng and lon only as whole camelCase words (case-sensitive), so that "Lat" and "AreaLat" match but
    // "Related" and "Translation" do not.
    [GeneratedRegex("email|full_?name|phone|birth|dob|zip|latitude|longitude|coordinate|area_?point|vehicle|photo"
        + "|(?-i:(^|[^A-Za-z])(lat|lng|lon|Lat|Lng|Lon)([^a-z]|$)|[a-z](Lat|Lng|Lon)([^a-z]|$))", RegexOptions.IgnoreCase)]
    private static partial Regex PrivateName();
}
