using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using NeXChange.TestSupport;

namespace NeXChange.Faults.Tests;

/// <summary>A signed-up user as a client holds it.</summary>
public sealed record DrillUser(Guid Id, string AccessToken);

/// <summary>
/// Users made the way a client makes them, over HTTP: registered, verified from the outbox's email (verification posts
/// the signup grant, SPEC.md 2.4, so each is funded), and the bootstrap admin signed in for reconciliation.
/// </summary>
public static partial class DrillUsers
{
    private static readonly string Password = TestPasswords.New();

    public static async Task<DrillUser> RegisterVerifiedAsync(HttpClient api, string outbox, string email)
    {
        var registered = await api.PostAsJsonAsync("/api/v1/auth/register",
            new { email, password = Password, dateOfBirth = "1990-04-12", zipCode = "10001", city = "New York" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var body = await JsonAsync(registered);
        var token = await Polling.UntilAsync(() => Task.FromResult(VerificationToken(outbox, email)), t => t is not null,
            $"the verification email to {email}");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync("/api/v1/auth/verify-email", new { token })).StatusCode);
        return new DrillUser(body.GetProperty("user").GetProperty("id").GetGuid(), body.GetProperty("accessToken").GetString()!);
    }

    /// <summary>The bootstrap admin, signed in after verification so that the token carries the admin role.</summary>
    public static async Task<DrillUser> AdminAsync(HttpClient api, string outbox)
    {
        await RegisterVerifiedAsync(api, outbox, DrillSystem.AdminEmail);
        var login = await api.SendAsync(LoginRequest(DrillSystem.AdminEmail));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await JsonAsync(login);
        Assert.Equal("admin", body.GetProperty("user").GetProperty("role").GetString());
        return new DrillUser(body.GetProperty("user").GetProperty("id").GetGuid(), body.GetProperty("accessToken").GetString()!);
    }

    public static HttpRequestMessage LoginRequest(string email) =>
        new(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new { email, password = Password }) };

    public static HttpRequestMessage Authorized(this HttpRequestMessage request, DrillUser user)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        return request;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static string? VerificationToken(string outbox, string email) =>
        !Directory.Exists(outbox) ? null : Directory.GetFiles(outbox, "*.eml").Select(File.ReadAllText)
            .Where(text => text.Contains($"To: {email}", StringComparison.OrdinalIgnoreCase))
            .Select(text => TokenLine().Match(text))
            .FirstOrDefault(match => match.Success)?.Groups[1].Value;

    [GeneratedRegex(@"^Token: (\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex TokenLine();
}
