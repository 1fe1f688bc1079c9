using NeXChange.Credits;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Users;
using NeXChange.Users.Email;

namespace NeXChange.Grains.Tests.Users;

public sealed class ProfileTests(UsersCluster cluster) : IClassFixture<UsersCluster>
{
    [Fact]
    public void the_public_profile_type_has_no_field_for_private_data() =>
        Assert.Equal(
            ["AvatarUrl", "CompletedTrades", "CompletionRate", "DisplayName", "GeneralArea", "Id", "MemberSince",
             "OnTimeArrivalRate", "RatingAverage", "RatingCount", "Verified"],
            typeof(PublicProfile).GetProperties().Where(p => p.Name != "EqualityContract").Select(p => p.Name).Order(StringComparer.Ordinal));

    [Fact]
    public async Task the_public_profile_shows_the_area_not_the_address()
    {
        var (id, me) = await cluster.RegisterAsync("profile.public@example.com");

        var profile = await cluster.Grains.GetGrain<IUserGrain>(id).GetPublicProfile();

        Assert.NotNull(profile);
        Assert.Equal(me.Public, profile);
        Assert.Equal("Chicago area", profile.GeneralArea);
        Assert.Equal($"{UsersCluster.PublicBaseUrl}/api/v1/users/{id}/avatar.svg", profile.AvatarUrl);
        Assert.Equal(cluster.Clock.GetUtcNow().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), profile.MemberSince);
        Assert.False(profile.Verified);
        var text = profile.ToString();
        foreach (var secret in new[] { "profile.public@example.com", "60601", "1990-05-01", "41.89" })
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_display_name_becomes_changeable_30_days_after_registration()
    {
        var (_, me) = await cluster.RegisterAsync("profile.cooldown@example.com");

        Assert.Equal(me.CreatedAt.AddDays(30), me.DisplayNameChangeableAt);
    }

    [Fact]
    public async Task the_verification_mail_carries_the_link_and_the_token_and_no_profile_data()
    {
        var (_, me) = await cluster.RegisterAsync("profile.mail@example.com");
        var message = Assert.Single(await cluster.MailTo("profile.mail@example.com"));
        var token = Assert.Single(await cluster.TokensMailedToAsync("profile.mail@example.com"));

        var lines = message.TextBody!.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains($"{UsersCluster.PublicBaseUrl}/verify-email?token={token}", lines);
        Assert.Contains($"Token: {token}", lines);
        Assert.Equal(VerificationEmail.Subject, message.Subject);
        foreach (var other in new[] { me.Public.DisplayName, "60601", "Chicago", "1990" })
            Assert.DoesNotContain(other, message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_ledger_sees_unknown_unverified_and_verified_recipients_apart_and_the_senders_display_name()
    {
        var holders = cluster.SiloServices().GetRequiredService<ICreditHolders>();
        Assert.IsType<UserStatusQueries>(holders);
        var (id, _) = await cluster.RegisterAsync("profile.status@example.com");
        var (sender, _) = await cluster.RegisterAsync("profile.sender@example.com");
        var senderName = (await cluster.Grains.GetGrain<IUserGrain>(sender).GetPublicProfile())!.DisplayName;

        Assert.Equal(new TransferParties(HolderStatus.Unknown, senderName), await holders.GetTransferPartiesAsync(sender, Guid.CreateVersion7()));
        Assert.Equal(new TransferParties(HolderStatus.Unverified, senderName), await holders.GetTransferPartiesAsync(sender, id));

        await cluster.Grains.GetGrain<IUserDirectoryGrain>(0).VerifyEmail(Assert.Single(await cluster.TokensMailedToAsync("profile.status@example.com")));
        Assert.Equal(new TransferParties(HolderStatus.Eligible, senderName), await holders.GetTransferPartiesAsync(sender, id));
        Assert.Equal(new TransferParties(HolderStatus.Eligible, null), await holders.GetTransferPartiesAsync(Guid.CreateVersion7(), id));
    }
}
