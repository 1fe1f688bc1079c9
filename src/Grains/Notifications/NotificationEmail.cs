using System.Globalization;
using System.Text;
using NeXChange.Users;
using NeXChange.Users.Email;
using static NeXChange.Notifications.NotificationTypes;

namespace NeXChange.Notifications;

/// <summary>
/// Which notification types are mailed, under which setting (SPEC.md 6.10, 3.9), and the message: a headline, the
/// item title, the counterparty's display name, amounts and reason codes from the event's data, and a link. Only
/// those members are printed, so nothing else an event carries reaches a mailbox.
/// </summary>
public static class NotificationEmail
{
    private static readonly Dictionary<string, (Func<AccountSettings, bool> Allowed, string Headline)> Mailed = new(StringComparer.Ordinal)
    {
        [OfferReceived] = (s => s.EmailOffers, "You received an offer"),
        [OfferCountered] = (s => s.EmailOffers, "Your offer was countered"),
        [OfferAccepted] = (s => s.EmailOffers, "Your offer was accepted"),
        [EscrowHeld] = (s => s.EmailEscrow, "Escrow is held and your meetup is set"),
        [EscrowFailed] = (s => s.EmailEscrow, "Escrow could not be held"),
        [TradeCompleted] = (s => s.EmailEscrow, "Your trade is complete"),
        [DisputeOpened] = (s => s.EmailDisputes, "A dispute was opened on your trade"),
        [DisputeResolved] = (s => s.EmailDisputes, "The dispute on your trade was resolved"),
    };

    public static bool IsMailed(string type) => Mailed.ContainsKey(type);

    public static bool IsWanted(string type, AccountSettings settings) => Mailed.TryGetValue(type, out var mailed) && mailed.Allowed(settings);

    public static EmailMessage Create(string to, NotificationEvent notification, string publicBaseUrl)
    {
        var headline = Mailed[notification.Type].Headline;
        var data = notification.Data;
        var title = data.GetValueOrDefault("itemTitle") as string;
        var body = new StringBuilder().Append(headline).Append(".\n\n");
        if (title is not null) body.Append("Item: ").Append(title).Append('\n');
        if (data.GetValueOrDefault("counterpartyDisplayName") is string name) body.Append("With: ").Append(name).Append('\n');
        foreach (var (key, value) in data.Where(d => d.Key.EndsWith("Minor", StringComparison.Ordinal) && d.Value is not null))
            body.Append(Label(key[..^"Minor".Length])).Append(": ").Append(Credits(Convert.ToInt64(value, CultureInfo.InvariantCulture))).Append('\n');
        foreach (var key in new[] { "reason", "resolution" })
            if (data.GetValueOrDefault(key) is string code) body.Append(Label(key)).Append(": ").Append(code.Replace('_', ' ')).Append('\n');
        body.Append("\nOpen NeXChange to see the details:\n").Append(Link(notification, publicBaseUrl.TrimEnd('/'))).Append('\n')
            .Append("\nYou can turn these emails off in your account settings.\n");
        return new EmailMessage(to, title is null ? headline : $"{headline}: {title}", body.ToString());
    }

    private static string Link(NotificationEvent n, string baseUrl) =>
        n.TradeId is { } trade ? $"{baseUrl}/trades/{trade}" : n.ItemId is { } item ? $"{baseUrl}/items/{item}" : $"{baseUrl}/notifications";

    private static string Credits(long minor) => (minor / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " credits";

    /// <summary>"agreedPrice" → "Agreed price".</summary>
    private static string Label(string camel)
    {
        var label = new StringBuilder();
        foreach (var c in camel)
        {
            if (label.Length == 0) label.Append(char.ToUpperInvariant(c));
            else if (char.IsUpper(c)) label.Append(' ').Append(char.ToLowerInvariant(c));
            else label.Append(c);
        }
        return label.ToString();
    }
}
