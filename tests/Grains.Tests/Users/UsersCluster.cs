using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using NeXChange.TestSupport;
using NeXChange.Users;
using Npgsql;

namespace NeXChange.Grains.Tests.Users;

/// <summary>
/// A cluster with a bootstrap admin address and a fake clock that drives only the users module. The module compares
/// its dates only with that clock, so it starts on a fixed date.
/// </summary>
public sealed partial class UsersCluster : TestCluster
{
    public const string BootstrapAdmin = "boss@nexchange.test";
    public const string PublicBaseUrl = "https://nexchange.test";
    public static readonly string Password = TestPasswords.New();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // Mixed case on purpose: the list is compared case-insensitively.
        ["Bootstrap:AdminEmails:0"] = "Boss@NeXChange.test",
        ["App:PublicBaseUrl"] = PublicBaseUrl,
        // The UserGrain keeps profile photos in the filesystem blob store, which signs private URLs.
        ["Storage:SigningKey"] = TestSecrets.New(),
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddKeyedSingleton<TimeProvider>(UsersModule.ClockKey, Clock);

    public static Registration Registration(string email) => new(email, Password, "1990-05-01", "60601", "Chicago");

    public async Task<(Guid Id, MeProfile Me)> RegisterAsync(string email)
    {
        var id = Guid.CreateVersion7();
        return (id, await Grains.GetGrain<IUserGrain>(id).Register(Registration(email)));
    }

    public Task<T?> ScalarAsync<T>(string sql, params object[] parameters) => Sql.ScalarAsync<T>(Postgres, sql, parameters);

    /// <summary>Every message mailed to <paramref name="email"/>, oldest first, read back from the .eml outbox.</summary>
    public async Task<IReadOnlyList<MimeMessage>> MailTo(string email)
    {
        var messages = new List<MimeMessage>();
        var outbox = Path.Combine(DataDir, "outbox");
        if (!Directory.Exists(outbox)) return messages;
        foreach (var file in Directory.GetFiles(outbox, "*.eml").Order(StringComparer.Ordinal))
        {
            var message = await MimeMessage.LoadAsync(file);
            if (message.To.Mailboxes.Any(m => m.Address == email)) messages.Add(message);
        }
        return messages;
    }

    /// <summary>The tokens of the mail to <paramref name="email"/>, oldest first, taken from their "Token: " lines.</summary>
    public async Task<IReadOnlyList<string>> TokensMailedToAsync(string email) =>
        (await MailTo(email)).Select(m => TokenLine().Match(m.TextBody ?? "").Groups[1].Value).ToList();

    [GeneratedRegex(@"^Token: (\S+)\r?$", RegexOptions.Multiline)]
    private static partial Regex TokenLine();
}
