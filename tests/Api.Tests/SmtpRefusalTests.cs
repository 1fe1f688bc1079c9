using System.Net;
using System.Net.Sockets;
using MimeKit;
using NeXChange.Users.Email;

namespace NeXChange.Api.Tests;

/// <summary>
/// An SMTP server's refusal quotes the recipient; the error the sender raises (which the user grain logs with the
/// user id) must not carry the address on.
/// </summary>
public sealed class SmtpRefusalTests
{
    /// <summary>Answers one SMTP session, refusing every recipient the way Postfix does.</summary>
    private static async Task RefuseRecipients(TcpListener listener)
    {
        using var connection = await listener.AcceptTcpClientAsync();
        await using var stream = connection.GetStream();
        using var reader = new StreamReader(stream);
        await using var writer = new StreamWriter(stream) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 fake.test ESMTP");
        while (await reader.ReadLineAsync() is { } line)
        {
            var command = line.Split(' ')[0].ToUpperInvariant();
            if (command == "QUIT")
            {
                await writer.WriteLineAsync("221 bye");
                return;
            }
            await writer.WriteLineAsync(command == "RCPT"
                ? $"550 5.1.1 {line[(line.IndexOf(':') + 1)..].Trim()}: Recipient address rejected: User unknown in local recipient table"
                : "250 ok");
        }
    }

    [Fact]
    public async Task a_refused_recipient_leaves_no_address_in_the_error()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var server = RefuseRecipients(listener);
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var sender = new SmtpEmailSender(
                new EmailSettings(EmailSettings.SmtpMode, MailboxAddress.Parse("NeXChange <no-reply@nexchange.test>"), new SmtpSettings("127.0.0.1", port, false, null, null)),
                TimeProvider.System);
            const string address = "refused.person@example.org";

            var error = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(new EmailMessage(address, "Reset your password", "Token: abc")));
            Assert.DoesNotContain(address, error.ToString(), StringComparison.OrdinalIgnoreCase);
            Assert.Contains("RecipientNotAccepted", error.Message, StringComparison.Ordinal);
            await server;
        }
        finally
        {
            listener.Stop();
        }
    }
}
