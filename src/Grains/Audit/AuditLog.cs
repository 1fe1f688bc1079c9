using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Audit;

public static class AuditActions
{
    public const string UserRegistered = "USER_REGISTERED";
    public const string EmailVerified = "EMAIL_VERIFIED";
    public const string LoginSucceeded = "LOGIN_SUCCEEDED";
    public const string LoginFailed = "LOGIN_FAILED";
    public const string RoleChanged = "ROLE_CHANGED";
    public const string PasswordChanged = "PASSWORD_CHANGED";
    public const string SessionReuseDetected = "SESSION_REUSE_DETECTED";
    public const string DisplayNameChanged = "DISPLAY_NAME_CHANGED";
    public const string LedgerDrift = "LEDGER_DRIFT";
    public const string AdminGrant = "ADMIN_GRANT";
    public const string LedgerReversal = "LEDGER_REVERSAL";
    /// <summary>A safe zone created or replaced (SPEC.md 3.13 names one action; the data says which, with before and after).</summary>
    public const string SafeZoneChanged = "SAFE_ZONE_CHANGED";
    public const string PhotoAccessed = "PHOTO_ACCESSED";
    public const string IdentityRevealed = "IDENTITY_REVEALED";
    public const string LocationPicked = "LOCATION_PICKED";
    public const string SafetyWarningAcknowledged = "SAFETY_WARNING_ACKNOWLEDGED";
    public const string DistanceConfirmed = "DISTANCE_CONFIRMED";
    public const string DisputeResolved = "DISPUTE_RESOLVED";
    public const string TradeCancelledByModerator = "TRADE_CANCELLED_BY_MODERATOR";
    /// <summary>The buyer's not-as-described rejection, with the details only moderators read (SPEC.md 8.4).</summary>
    public const string ItemRejected = "ITEM_REJECTED";
    public const string VerificationSubmitted = "VERIFICATION_SUBMITTED";
    public const string VerificationDecided = "VERIFICATION_DECIDED";
    public const string DsrReceived = "DSR_RECEIVED";
    public const string DsrCompleted = "DSR_COMPLETED";
    public const string DsrFailed = "DSR_FAILED";
    public const string WebhookRejected = "WEBHOOK_REJECTED";
    /// <summary>A partner event contradicted a conversion's final status (SPEC.md 7.4); logged at critical level too.</summary>
    public const string ConversionConflict = "CONVERSION_CONFLICT";
}

/// <summary>One audit row (SPEC.md 3.13); <see cref="Data"/> never holds passwords, tokens or raw emails.</summary>
public sealed record AuditEntry(string Action, string EntityType, string EntityId, Guid? ActorId, object? Data = null, string? Ip = null);

/// <summary>Appends to audit_log, inside the caller's transaction when the audited change has one.</summary>
public sealed class AuditLog(NpgsqlDataSource dataSource)
{
    public async Task WriteAsync(AuditEntry entry, DateTimeOffset at)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await WriteAsync(connection, null, entry, at);
    }

    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, AuditEntry entry, DateTimeOffset at)
    {
        await using var command = new NpgsqlCommand(
            "insert into audit_log (at, actor_id, action, entity_type, entity_id, data, ip) values ($1, $2, $3, $4, $5, $6, $7)",
            connection, transaction);
        command.Parameters.Add(new() { Value = at });
        command.Parameters.Add(new() { Value = (object?)entry.ActorId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = entry.Action });
        command.Parameters.Add(new() { Value = entry.EntityType });
        command.Parameters.Add(new() { Value = entry.EntityId });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(entry.Data ?? new { }), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = (object?)entry.Ip ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync();
    }
}
