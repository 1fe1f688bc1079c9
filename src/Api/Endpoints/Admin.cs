using NeXChange.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Idempotency;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Credits;

namespace NeXChange.Api.Endpoints;

/// <summary>Administration of money (SPEC.md 8.6): grants, reversals and reconciliation, admins only.</summary>
public static class Admin
{
    public sealed record GrantRequest(Guid? UserId, long? AmountMinor, string? Reason);
    public sealed record GrantResult(Guid TransactionId, Guid UserId, long AmountMinor, DateTimeOffset CreatedAt);
    public sealed record ReversalRequest(string? TransactionId, string? Reason);
    public sealed record ReversalResult(Guid TransactionId, Guid ReversesTransactionId);
    public sealed record RoleRequest(string? Role);
    public sealed record RoleResult(Guid Id, string Role);

    public static void Map(RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        admin.MapPost("/credits/grants", Grant).RequireIdempotencyKey().Fails(400, 401, 403, 404, 409, 422);
        admin.MapPost("/ledger/reversals", Reverse).RequireIdempotencyKey().Fails(400, 401, 403, 404, 409, 422);
        admin.MapPut("/users/{id}/role", ChangeRole).Fails(400, 401, 403, 404, 409);
        admin.MapGet("/ledger/reconciliation", (IClusterClient cluster) => cluster.GetGrain<ILedgerAuditGrain>(0).Reconcile()).Fails(401, 403);
        admin.MapGet("/ledger/transactions/{id}", (string id, IClusterClient cluster) =>
            Guid.TryParse(id, out var transactionId)
                ? cluster.GetGrain<ILedgerAuditGrain>(0).GetTransaction(transactionId)
                : throw Errors.DomainException.NotFound()).Fails(401, 403, 404);
    }

    /// <summary>A role change ends the target's sessions, so the new role is in every token from now on (SPEC.md 3.3).</summary>
    private static async Task<Ok<RoleResult>> ChangeRole(string id, RoleRequest body, HttpContext http, IClusterClient cluster, SessionStore sessions)
    {
        if (!Guid.TryParse(id, out var userId)) throw NeXChange.Errors.DomainException.NotFound();
        var rules = new RequestRules();
        var role = rules.Required("role", body.Role);
        rules.ThrowIfInvalid();
        var before = await cluster.GetGrain<NeXChange.Users.IUserGrain>(userId).GetIdentity();
        var after = await cluster.GetGrain<NeXChange.Users.IUserGrain>(userId).ChangeRole(http.User.UserId(), role!);
        if (after != before.Role) await sessions.RevokeAllAsync(userId);
        return TypedResults.Ok(new RoleResult(userId, after));
    }

    private static async Task<Created<GrantResult>> Grant(GrantRequest body, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var userId = rules.Required("userId", body.UserId);
        var amount = rules.Money("amountMinor", body.AmountMinor);
        var reason = rules.Length("reason", rules.Required("reason", body.Reason), 10, 500);
        rules.ThrowIfInvalid();
        var key = http.Request.Headers[IdempotencyMiddleware.Header].ToString();
        var posted = await cluster.GetGrain<ICreditAccountGrain>(userId!.Value)
            .GrantByAdmin(new AdminGrant(http.User.UserId(), key, amount!.Value, reason!));
        IdempotencyMiddleware.MarkLedgerReplay(http, posted.Replayed);
        return TypedResults.Created($"/api/v1/admin/ledger/transactions/{posted.TransactionId}",
            new GrantResult(posted.TransactionId, userId.Value, amount.Value, posted.CreatedAt));
    }

    /// <summary>A malformed transaction id is an unknown one (404), as it would be in a path (SPEC.md 8.1).</summary>
    private static async Task<Created<ReversalResult>> Reverse(ReversalRequest body, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var id = rules.Required("transactionId", body.TransactionId);
        var reason = rules.Length("reason", rules.Required("reason", body.Reason), 10, 500);
        rules.ThrowIfInvalid();
        if (!Guid.TryParse(id, out var originalId)) throw Errors.DomainException.NotFound();
        var key = http.Request.Headers[IdempotencyMiddleware.Header].ToString();
        var posted = await cluster.GetGrain<ILedgerReversalGrain>(0)
            .Reverse(new ReversalOrder(http.User.UserId(), originalId, reason!, key));
        IdempotencyMiddleware.MarkLedgerReplay(http, posted.Replayed);
        return TypedResults.Created($"/api/v1/admin/ledger/transactions/{posted.TransactionId}",
            new ReversalResult(posted.TransactionId, originalId));
    }
}
