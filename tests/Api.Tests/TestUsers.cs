using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>A registered user as a client holds it: ids and tokens from the API's own answers.</summary>
public sealed record TestUser(Guid Id, string Email, string Password, string AccessToken, string RefreshToken);

/// <summary>Client-side steps the tests repeat: register, read the verification email from the outbox, verify.</summary>
public static partial class TestUsers
{
    public static readonly string Password = TestPasswords.New();

    /// <summary>A registration with a date of birth of its own (13 to 60 years old), so the privacy scan can tell users apart.</summary>
    public static object RegistrationBody(string email) => new
    {
        email,
        password = Password,
        dateOfBirth = new DateOnly(1950, 1, 1).AddDays(Random.Shared.Next(50 * 365))
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        zipCode = "10001",
        city = "New York",
    };

    /// <summary>
    /// A new user with a full name and phone number of their own as well as the unique email, so that the privacy
    /// scan finds any of them shown to someone else.
    /// </summary>
    public static async Task<TestUser> Register(this ApiFixture api, string? email = null)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.org";
        using var client = api.NewClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/register", RegistrationBody(email));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        var user = new TestUser(root.GetProperty("user").GetProperty("id").GetGuid(), email, Password,
            root.GetProperty("accessToken").GetString()!, root.GetProperty("refreshToken").GetString()!);
        using var own = api.ClientFor(user);
        Assert.Equal(HttpStatusCode.OK, (await own.PatchAsJsonAsync("/api/v1/me", new { fullName = UniqueFullName(), phone = UniquePhone() })).StatusCode);
        return user;
    }

    /// <summary>A name no other test user has, e.g. "Tess Qbvhkwzr".</summary>
    public static string UniqueFullName() =>
        "Tess " + char.ToUpperInvariant(Letter()) + new string(Enumerable.Range(0, 7).Select(_ => Letter()).ToArray());

    /// <summary>A US number in E.164 that no other test user has (one in ten billion).</summary>
    public static string UniquePhone() =>
        "+1" + Random.Shared.NextInt64(2_000_000_000, 10_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static char Letter() => (char)('a' + Random.Shared.Next(26));

    public static async Task<TestUser> RegisterVerified(this ApiFixture api, string? email = null)
    {
        var user = await api.Register(email);
        using var client = api.NewClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/verify-email", new { token = api.LatestToken(user.Email) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return user;
    }

    /// <summary>
    /// The bootstrap admin, signed in after verification so that the access token carries the admin role.
    /// Registered on first use; test classes share one fixture, so later calls just log in.
    /// </summary>
    public static async Task<TestUser> Admin(this ApiFixture api)
    {
        using var client = api.NewClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = ApiFixture.AdminEmail, password = Password });
        if (login.StatusCode == HttpStatusCode.Unauthorized)
        {
            await api.RegisterVerified(ApiFixture.AdminEmail);
            login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = ApiFixture.AdminEmail, password = Password });
        }
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.Json();
        Assert.Equal("admin", body.GetProperty("user").GetProperty("role").GetString());
        return new TestUser(body.GetProperty("user").GetProperty("id").GetGuid(), ApiFixture.AdminEmail, Password,
            body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }

    /// <summary>The token of the newest email sent to <paramref name="email"/>, from its <c>Token:</c> line.</summary>
    public static string LatestToken(this ApiFixture api, string email) => TokenLine().Match(api.MailTo(email)[^1]).Groups[1].Value;

    /// <summary>The emails sent to <paramref name="email"/> so far, oldest first.</summary>
    public static IReadOnlyList<string> MailTo(this ApiFixture api, string email)
    {
        var outbox = Path.Combine(api.DataDir, "outbox");
        return !Directory.Exists(outbox) ? [] : Directory.GetFiles(outbox, "*.eml").Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .Where(text => text.Contains($"To: {email}", StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>
    /// The token of the first email to <paramref name="email"/> after the <paramref name="seen"/> already sent. A
    /// password reset is mailed after the API has answered, so its message is awaited (up to 30 s of polling).
    /// </summary>
    public static async Task<string> NextToken(this ApiFixture api, string email, int seen)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (api.MailTo(email) is { } mails && mails.Count > seen) return TokenLine().Match(mails[seen]).Groups[1].Value;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"No new email arrived after {seen} sent.");
    }

    /// <summary>The id of a category by name, from the public tree (top level or one level down).</summary>
    public static async Task<Guid> CategoryId(this ApiFixture api, string name)
    {
        using var client = api.NewClient();
        var tree = await (await client.GetAsync("/api/v1/categories")).Json();
        return tree.GetProperty("items").EnumerateArray()
            .SelectMany(c => c.GetProperty("children").EnumerateArray().Append(c))
            .First(c => c.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
    }

    public static HttpClient ClientFor(this ApiFixture api, TestUser user)
    {
        var client = api.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        return client;
    }

    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    [GeneratedRegex(@"^Token: (\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex TokenLine();
}
