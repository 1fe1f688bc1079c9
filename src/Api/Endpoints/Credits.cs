using System.Globalization;
using NeXChange.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Idempotency;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Api.Endpoints;

/// <summary>Balance, history, statement and peer transfers (SPEC.md 2.10, 8.5).</summary>
public static class Credits
{
    public sealed record TransferRequest(Guid? ToUserId, long? AmountMinor, string? Memo = null);
    public sealed record TransferResult(Guid TransactionId, Guid ToUserId, long AmountMinor, string? Memo, DateTimeOffset CreatedAt, long AvailableMinor);
    public sealed record Counterparty(Guid Id, string DisplayName);
    public sealed record EntryView(long EntryId, Guid TransactionId, string Kind, string Account, long AmountMinor, long BalanceAfterMinor,
        DateTimeOffset CreatedAt, Guid? TradeId, Guid? ConversionId, Counterparty? Counterparty, string? Memo);
    public sealed record HistoryView(IReadOnlyList<EntryView> Items, string? NextBefore);
    public sealed record AccountStatementView(string Account, long OpeningMinor, long CreditsMinor, long DebitsMinor, long ClosingMinor,
        IReadOnlyList<EntryView> Entries);
    public sealed record TransactionView(Guid TransactionId, string Kind, DateTimeOffset CreatedAt, IReadOnlyList<EntryView> Entries);
    public sealed record StatementView(DateOnly From, DateOnly To, AccountStatementView Available, AccountStatementView Escrow);

    public static void Map(RouteGroupBuilder api)
    {
        var mine = api.MapGroup("/me/credits").WithTags("Credits").RequireAuthorization();
        mine.MapGet("", (HttpContext http, IClusterClient cluster) => Account(http, cluster).GetBalance()).Fails(401);
        mine.MapGet("/history", History).Fails(400, 401);
        mine.MapGet("/statement", StatementOf).Fails(400, 401);
        mine.MapGet("/transactions/{id}", Transaction).Fails(401, 404);

        var credits = api.MapGroup("/credits").WithTags("Credits");
        credits.MapPost("/transfers", Transfer).RequireVerifiedEmail().RequireIdempotencyKey().Fails(400, 401, 403, 404, 409, 422);
    }

    private static ICreditAccountGrain Account(HttpContext http, IClusterClient cluster) =>
        cluster.GetGrain<ICreditAccountGrain>(http.User.UserId());

    private static async Task<Created<TransferResult>> Transfer(TransferRequest body, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var to = rules.Required("toUserId", body.ToUserId);
        var amount = rules.Money("amountMinor", body.AmountMinor);
        var memo = rules.Length("memo", body.Memo, 0, 140);
        rules.ThrowIfInvalid();
        var key = http.Request.Headers[IdempotencyMiddleware.Header].ToString();
        var posted = await Account(http, cluster).Transfer(new TransferOrder(to!.Value, amount!.Value, memo is { Length: > 0 } ? memo : null, key));
        IdempotencyMiddleware.MarkLedgerReplay(http, posted.Replayed);
        return TypedResults.Created($"/api/v1/me/credits/transactions/{posted.TransactionId}",
            new TransferResult(posted.TransactionId, to.Value, amount.Value, memo is { Length: > 0 } ? memo : null, posted.CreatedAt, posted.AvailableMinor));
    }

    private static async Task<HistoryView> History(string? before, int? limit, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var size = rules.Range("limit", limit, 1, 100, 20);
        rules.ThrowIfInvalid();
        var page = await Account(http, cluster).GetHistory(before, size);
        return new HistoryView(await Views(page.Items, cluster), page.NextBefore);
    }

    /// <summary>The caller's own entries of one transaction: what a transfer's Location names (SPEC.md 8.1).</summary>
    private static async Task<TransactionView> Transaction(string id, HttpContext http, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var transactionId)) throw DomainException.NotFound();
        var entries = await Account(http, cluster).GetTransaction(transactionId);
        return new TransactionView(transactionId, entries[0].Kind, entries[0].CreatedAt, await Views(entries, cluster));
    }

    private static async Task<StatementView> StatementOf(string? from, string? to, HttpContext http, IClusterClient cluster)
    {
        var fromDate = ParseDate("from", from);
        var toDate = ParseDate("to", to);
        var statement = await Account(http, cluster).GetStatement(fromDate, toDate);
        return new StatementView(statement.From, statement.To,
            await View(statement.Available, cluster), await View(statement.Escrow, cluster));
    }

    private static DateOnly ParseDate(string field, string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw DomainException.Validation(field, value is null ? "required" : "invalid_format", $"{field} must be a date YYYY-MM-DD.");

    private static async Task<AccountStatementView> View(AccountStatement s, IClusterClient cluster) =>
        new(s.Account, s.OpeningMinor, s.CreditsMinor, s.DebitsMinor, s.ClosingMinor, await Views(s.Entries, cluster));

    /// <summary>Counterparties appear by display name only; a deleted user shows as "Deleted user".</summary>
    private static async Task<IReadOnlyList<EntryView>> Views(IReadOnlyList<LedgerEntry> entries, IClusterClient cluster)
    {
        var names = new Dictionary<Guid, string>();
        foreach (var id in entries.Where(e => e.CounterpartyId is not null).Select(e => e.CounterpartyId!.Value).Distinct())
            names[id] = (await cluster.GetGrain<IUserGrain>(id).GetPublicProfile())?.DisplayName ?? "Deleted user";
        return entries.Select(e => new EntryView(e.EntryId, e.TransactionId, e.Kind, e.Account, e.AmountMinor, e.BalanceAfterMinor,
            e.CreatedAt, e.TradeId, e.ConversionId, e.CounterpartyId is { } c ? new Counterparty(c, names[c]) : null, e.Memo)).ToList();
    }
}
