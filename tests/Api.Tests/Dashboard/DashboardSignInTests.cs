using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests.Dashboard;

/// <summary>Operators open the Orleans Dashboard in a real browser (issue 11 item 3; SPEC.md 8.7).</summary>
public sealed class DashboardSignInTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private const string CookieName = "nexchange-dashboard";
    private const string ClusterStats = "fetch('/dashboard/ClusterStats').then(r => r.status)";

    /// <summary>The API's clock, from the Date header of an answer: the cookie's expiry is set by that clock, not the test's.</summary>
    private async Task<DateTimeOffset> ServerTime()
    {
        using var client = fixture.NewClient();
        var response = await client.GetAsync("/health/live");
        return response.Headers.Date ?? throw new Xunit.Sdk.XunitException("The API sent no Date header.");
    }

    [Fact]
    public async Task an_admin_signs_in_on_the_page_sees_the_dashboard_whose_calls_work_and_signs_out_for_good()
    {
        var admin = await fixture.NewAdmin();
        var tab = await fixture.Browser.NewVisitorAsync();
        var before = await ServerTime();

        await SignIn(tab, admin.Email, admin.Password);
        var after = await ServerTime();

        Assert.Equal(fixture.Url("/dashboard/").ToString(), await tab.UrlAsync());
        Assert.Equal(200, await tab.StatusAsync());
        Assert.Equal("Orleans Dashboard", (string?)await tab.EvaluateAsync("document.title"));
        Assert.Equal(200, await DashboardCall(tab));

        var cookie = Assert.Single(await tab.CookiesAsync(fixture.Url("/dashboard/")), c => (string?)c!["name"] == CookieName)!;
        Assert.True((bool)cookie["httpOnly"]!);
        Assert.True((bool)cookie["secure"]!);
        Assert.Equal("Strict", (string?)cookie["sameSite"]);
        Assert.Equal("/dashboard", (string?)cookie["path"]);
        Assert.False((bool)cookie["session"]!);
        // Absolute: 8 hours after the sign-in, which the server's own clock places between `before` and `after`
        // (its Date header has whole seconds and is refreshed once a second, hence two seconds more at the end).
        var expires = DateTimeOffset.FromUnixTimeMilliseconds((long)((double)cookie["expires"]! * 1000));
        Assert.InRange(expires, before.AddHours(8), after.AddHours(8).AddSeconds(2));
        Assert.DoesNotContain(await tab.CookiesAsync(fixture.Url("/api/v1/me")), c => (string?)c!["name"] == CookieName); // Path=/dashboard

        await tab.GoToAsync(fixture.Url("/dashboard/sign-in"));
        await tab.NavigateByAsync("document.querySelector('form[action=\"/dashboard/sign-out\"] button').click()");
        Assert.Equal(fixture.Url("/dashboard/sign-in").ToString(), await tab.UrlAsync());
        await AssertShutOut(tab);

        // A copy of the cookie kept from before the sign-out is refused too: its session ended.
        await tab.SendAsync("Network.setCookie", new JsonObject
        {
            ["name"] = CookieName, ["value"] = (string?)cookie["value"], ["url"] = fixture.Url("/dashboard/").ToString(),
            ["path"] = "/dashboard", ["secure"] = true, ["httpOnly"] = true, ["sameSite"] = "Strict",
        });
        Assert.True(await HasSessionCookie(tab));
        Assert.Equal(401, await DashboardCall(tab));
    }

    [Fact]
    public async Task an_anonymous_visitor_is_sent_to_the_sign_in_page_and_the_dashboard_calls_answer_401()
    {
        var tab = await fixture.Browser.NewVisitorAsync();

        await tab.GoToAsync(fixture.Url("/dashboard/"));

        Assert.Equal(fixture.Url("/dashboard/sign-in").ToString(), await tab.UrlAsync());
        Assert.Equal(200, await tab.StatusAsync());
        Assert.DoesNotContain("Orleans Dashboard", await tab.HtmlAsync(), StringComparison.Ordinal);
        Assert.Equal(1, (int)(await tab.EvaluateAsync("document.querySelectorAll('input[name=password]').length"))!);
        Assert.Equal(401, await DashboardCall(tab));
    }

    [Fact]
    public async Task a_plain_user_who_signs_in_gets_403_and_no_cookie()
    {
        var user = await fixture.RegisterVerified();
        var tab = await fixture.Browser.NewVisitorAsync();

        await SignIn(tab, user.Email, user.Password);

        Assert.Equal(403, await tab.StatusAsync());
        Assert.Equal("forbidden", (string?)(await Problem(tab))["code"]);
        Assert.False(await HasSessionCookie(tab));
        await tab.GoToAsync(fixture.Url("/dashboard/"));
        Assert.Equal(fixture.Url("/dashboard/sign-in").ToString(), await tab.UrlAsync());
    }

    [Fact]
    public async Task the_admins_logout_all_ends_the_browsers_dashboard_session()
    {
        var (admin, tab) = await SignedInAdmin();
        using var api = fixture.ClientFor(await LogIn(admin));

        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync("/api/v1/auth/logout-all", null)).StatusCode);

        await AssertShutOut(tab);
    }

    [Fact]
    public async Task the_admins_password_change_elsewhere_ends_the_browsers_dashboard_session()
    {
        var (admin, tab) = await SignedInAdmin();
        using var api = fixture.ClientFor(await LogIn(admin));

        var changed = await api.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = admin.Password, newPassword = TestPasswords.New() });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        await AssertShutOut(tab);
    }

    [Fact]
    public async Task a_demoted_admins_browser_no_longer_gets_in()
    {
        var (admin, tab) = await SignedInAdmin();
        using var bootstrap = fixture.ClientFor(await fixture.BootstrapAdmin());

        Assert.Equal(HttpStatusCode.OK, (await bootstrap.PutAsJsonAsync($"/api/v1/admin/users/{admin.Id}/role", new { role = "user" })).StatusCode);

        await AssertShutOut(tab);
    }

    [Fact]
    public async Task a_wrong_password_gets_the_logins_401_and_the_sixth_attempt_for_the_email_in_any_casing_is_rate_limited()
    {
        var email = $"nobody-{Guid.NewGuid():N}@example.org";
        var tab = await fixture.Browser.NewVisitorAsync();
        using var client = fixture.NewClient();
        var login = await (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = $"other-{email}", password = TestPasswords.New() })).Json();

        for (var attempt = 0; attempt < DashboardFixture.LoginLimit; attempt++)
        {
            await SignIn(tab, email, TestPasswords.New());
            Assert.Equal(401, await tab.StatusAsync());
            var problem = await Problem(tab);
            Assert.Equal(login.GetProperty("code").GetString(), (string?)problem["code"]);
            Assert.Equal(login.GetProperty("title").GetString(), (string?)problem["title"]);
        }

        await SignIn(tab, $"  {email.ToUpperInvariant()} ", TestPasswords.New());
        Assert.Equal(429, await tab.StatusAsync());
        Assert.Equal("rate_limited", (string?)(await Problem(tab))["code"]);
    }

    [Fact]
    public async Task a_sign_in_post_without_the_pages_antiforgery_token_is_refused_and_sets_no_cookie()
    {
        var admin = await fixture.NewAdmin();
        using var client = fixture.NewClient();

        var response = await client.PostAsync("/dashboard/sign-in",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = admin.Email, ["password"] = admin.Password }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", (await response.Json()).GetProperty("code").GetString());
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(CookieName + "=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task a_malformed_sign_in_form_gets_a_problem_and_no_cookie()
    {
        using var client = fixture.NewClient();

        var response = await client.PostAsync("/dashboard/sign-in",
            new FormUrlEncodedContent(new Dictionary<string, string> { [new string('k', 3000)] = "v", ["email"] = "a@example.org" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", (await response.Json()).GetProperty("code").GetString());
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task the_dashboards_polling_is_not_rate_limited_but_its_sign_in_counts_as_a_login()
    {
        using var admin = fixture.ClientFor(await fixture.BootstrapAdmin());
        var poll = await admin.GetAsync("/dashboard/DashboardCounters");
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        Assert.False(poll.Headers.Contains("RateLimit-Limit"));

        using var anonymous = fixture.NewClient();
        var signIn = await anonymous.PostAsync("/dashboard/sign-in",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = $"nobody-{Guid.NewGuid():N}@example.org", ["password"] = TestPasswords.New() }));
        Assert.Equal(DashboardFixture.LoginLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), signIn.Headers.GetValues("RateLimit-Limit").Single());
    }

    [Fact]
    public async Task the_sign_in_page_runs_no_script_and_cannot_be_framed()
    {
        using var client = fixture.NewClient();
        var page = await client.GetAsync("/dashboard/sign-in");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A new admin signed in on the page in a browser of its own, with the dashboard's calls answered.</summary>
    private async Task<(TestUser Admin, HeadlessChromium.Tab Tab)> SignedInAdmin()
    {
        var admin = await fixture.NewAdmin();
        var tab = await fixture.Browser.NewVisitorAsync();
        await SignIn(tab, admin.Email, admin.Password);
        Assert.Equal(200, await DashboardCall(tab));
        return (admin, tab);
    }

    /// <summary>The browser's cookie no longer lets it in: its calls get 401, the page sends it to sign in, and the cookie is gone.</summary>
    private async Task AssertShutOut(HeadlessChromium.Tab tab)
    {
        Assert.Equal(401, await DashboardCall(tab));
        await tab.GoToAsync(fixture.Url("/dashboard/"));
        Assert.Equal(fixture.Url("/dashboard/sign-in").ToString(), await tab.UrlAsync());
        Assert.False(await HasSessionCookie(tab));
    }

    private async Task<bool> HasSessionCookie(HeadlessChromium.Tab tab) =>
        (await tab.CookiesAsync(fixture.Url("/dashboard/"))).Any(c => (string?)c!["name"] == CookieName);

    /// <summary>
    /// The status of a call like those the dashboard's script makes (with the browser's cookies), from a plain page of
    /// the same site: the sign-in page's policy allows it no requests.
    /// </summary>
    private async Task<int> DashboardCall(HeadlessChromium.Tab tab)
    {
        await tab.GoToAsync(fixture.Url("/health/live"));
        return (int)(await tab.EvaluateAsync(ClusterStats))!;
    }

    /// <summary>Fills the sign-in page's form and submits it as an operator would.</summary>
    private async Task SignIn(HeadlessChromium.Tab tab, string email, string password)
    {
        await tab.GoToAsync(fixture.Url("/dashboard/sign-in"));
        await tab.NavigateByAsync($"""
            document.querySelector('input[name=email]').value = {JsonSerializer.Serialize(email)};
            document.querySelector('input[name=password]').value = {JsonSerializer.Serialize(password)};
            document.querySelector('form[action="/dashboard/sign-in"] button').click();
            """);
    }

    /// <summary>The problem+json body the browser shows.</summary>
    private static async Task<JsonNode> Problem(HeadlessChromium.Tab tab) => JsonNode.Parse((string)(await tab.EvaluateAsync("document.body.innerText"))!)!;

    private async Task<TestUser> LogIn(TestUser user)
    {
        using var client = fixture.NewClient();
        var body = await (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password })).Json();
        return user with { AccessToken = body.GetProperty("accessToken").GetString()! };
    }
}
