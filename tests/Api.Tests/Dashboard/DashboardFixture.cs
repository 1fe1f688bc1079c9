using System.Net.Http.Json;

namespace NeXChange.Api.Tests.Dashboard;

/// <summary>
/// The real system with SPEC.md's login limit (5 per 300 s per email and address) and one headless Chromium. Each
/// test signs in with an admin of its own, so that the limit counts only what that test does.
/// </summary>
public sealed class DashboardFixture : ApiFixture
{
    public const int LoginLimit = 5;

    public HeadlessChromium Browser { get; private set; } = null!;

    private TestUser? bootstrapAdmin;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:Login:Limit"] = LoginLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Browser = await HeadlessChromium.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        await base.DisposeAsync();
    }

    public Uri Url(string path) => new(BaseAddress, path);

    /// <summary>The bootstrap admin, signed in once (its email's login window must not fill up).</summary>
    public async Task<TestUser> BootstrapAdmin() => bootstrapAdmin ??= await this.Admin();

    /// <summary>A verified user the bootstrap admin made admin.</summary>
    public async Task<TestUser> NewAdmin()
    {
        var user = await this.RegisterVerified();
        using var admin = this.ClientFor(await BootstrapAdmin());
        var promoted = await admin.PutAsJsonAsync($"/api/v1/admin/users/{user.Id}/role", new { role = "admin" });
        Assert.Equal(System.Net.HttpStatusCode.OK, promoted.StatusCode);
        return user;
    }
}
