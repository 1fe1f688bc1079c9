using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace NeXChange.Api.Tests;

/// <summary>
/// Whatever a client sends as a refresh token (random bytes, a real token cut short or altered, huge, unicode, other
/// separators), the answer is 401 refresh_token_invalid; a body that is not JSON is 400; never a 5xx.
/// </summary>
public sealed class RefreshTokenFuzzTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const int Cases = 300;

    /// <summary>Seeded, so a failure names a reproducible input.</summary>
    private static IEnumerable<string> MalformedTokens(string real)
    {
        var random = new Random(8);
        var (session, secret) = (real[..real.IndexOf('.')], real[(real.IndexOf('.') + 1)..]);
        string[] fixedCases =
        [
            "", ".", "..", session, session + ".", "." + secret, secret, session + ".." + secret, session + ":" + secret,
            session + "/" + secret, session + " " + secret, session + "." + secret + ".", session + "." + secret + "x",
            session + "." + secret[..^1], session.ToUpperInvariant() + "." + secret, "\u0000." + secret, session + ".\u0000",
            "é.ü", "😀." + secret, session + ".😀", "\u2028.\u2029", session + "." + new string('a', 50_000),
            new string('.', 10_000), "session:*." + secret, "*.*", "session:" + session + "." + secret,
        ];
        foreach (var token in fixedCases) yield return token;
        for (var i = 0; i < Cases; i++)
        {
            var cut = real[..random.Next(real.Length - 1)];
            yield return (i % 4) switch
            {
                0 => Encoding.Latin1.GetString(RandomBytes(random, random.Next(1, 300))),
                1 => cut,
                2 => new string(Enumerable.Range(0, random.Next(1, 80)).Select(_ => (char)random.Next(1, 0xD800)).ToArray()),
                _ => session + "." + Convert.ToBase64String(RandomBytes(random, 32)),
            };
        }
    }

    /// <summary>The body as JSON text, escaping all but printable ASCII, so every token arrives exactly as made.</summary>
    private static StringContent Body(string token)
    {
        var json = new StringBuilder("{\"refreshToken\":\"");
        foreach (var c in token)
            json.Append(c is >= ' ' and < (char)0x7F and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:x4}");
        return new StringContent(json.Append("\"}").ToString(), Encoding.UTF8, "application/json");
    }

    private static string Shown(byte[] bytes) => Convert.ToBase64String(bytes) is var text && text.Length > 200 ? text[..200] : text;

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task malformed_refresh_tokens_are_refresh_token_invalid_and_the_real_session_survives()
    {
        var user = await api.Register();
        using var client = api.NewClient();
        foreach (var token in MalformedTokens(user.RefreshToken))
        {
            var response = await client.PostAsync("/api/v1/auth/refresh", Body(token));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode} for {Shown(Encoding.UTF8.GetBytes(token))}");
            Assert.Equal("refresh_token_invalid", (await response.Json()).GetProperty("code").GetString());
        }
        var real = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
    }

    [Fact]
    public async Task bodies_that_carry_no_token_string_are_refused_without_a_server_error()
    {
        using var client = api.NewClient();
        var random = new Random(9);
        List<byte[]> bodies =
        [
            """{"refreshToken":5}"""u8.ToArray(), """{"refreshToken":["a.b"]}"""u8.ToArray(), """{"refreshToken":{"a":"b"}}"""u8.ToArray(),
            """{"refreshToken":"a.b","RefreshToken":"c.d"}"""u8.ToArray(), """{"refreshToken":"\ud800"}"""u8.ToArray(), "null"u8.ToArray(),
            [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"refreshToken":"a.b"}""")],
            [.. Encoding.UTF8.GetBytes("""{"refreshToken":"a."""), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\"}")],
        ];
        for (var i = 0; i < 100; i++) bodies.Add(RandomBytes(random, random.Next(1, 200)));
        foreach (var body in bodies)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            var response = await client.PostAsync("/api/v1/auth/refresh", content);
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized,
                $"{(int)response.StatusCode} for {Shown(body)}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
