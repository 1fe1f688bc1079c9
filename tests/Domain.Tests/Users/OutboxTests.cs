using MimeKit;
using NeXChange.Users.Email;

namespace NeXChange.Domain.Tests.Users;

public sealed class OutboxTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "nexchange-outbox-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task each_message_is_a_real_eml_named_by_utc_time_and_message_id()
    {
        var settings = EmailSettings.FromConfiguration(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        var sender = new FileOutboxEmailSender(settings, folder, new FixedClock(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero)));

        await sender.SendAsync(VerificationEmail.Create("ada@example.com", "tok_EN-abc", "https://nexchange.test/"));

        var file = Assert.Single(Directory.GetFiles(folder));
        var name = Path.GetFileName(file);
        Assert.Matches("^20260102T030405678Z-[0-9a-f]{32}\\.eml$", name);
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("ada@example.com", Assert.IsType<MailboxAddress>(Assert.Single(message.To)).Address);
        Assert.Equal("no-reply@nexchange.local", Assert.IsType<MailboxAddress>(Assert.Single(message.From)).Address);
        Assert.Equal(VerificationEmail.Subject, message.Subject);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), message.Date);
        Assert.Equal($"{name[20..52]}@nexchange.local", message.MessageId);
        var lines = message.TextBody!.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("https://nexchange.test/verify-email?token=tok_EN-abc", lines);
        Assert.Contains("Token: tok_EN-abc", lines);
    }

    [Fact]
    public async Task messages_sent_later_sort_after_earlier_ones()
    {
        var settings = EmailSettings.FromConfiguration(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        var start = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await new FileOutboxEmailSender(settings, folder, new FixedClock(start.AddMilliseconds(1))).SendAsync(new("b@example.com", "second", "x"));
        await new FileOutboxEmailSender(settings, folder, new FixedClock(start)).SendAsync(new("a@example.com", "first", "x"));

        var subjects = new List<string>();
        foreach (var f in Directory.GetFiles(folder).Order(StringComparer.Ordinal)) subjects.Add((await MimeMessage.LoadAsync(f)).Subject!);
        Assert.Equal(["first", "second"], subjects);
    }
}
