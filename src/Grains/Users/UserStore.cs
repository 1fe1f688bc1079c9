using NeXChange.Audit;
using System.Text.Json;
using NeXChange.Images;
using NeXChange.Credits;
using Npgsql;
using NpgsqlTypes;
using NeXChange.Errors;

namespace NeXChange.Users;

/// <summary>
/// SQL for the users, display_names and email_tokens tables. Only the UserGrain writes a user's rows (the
/// directory and the status queries only read), so the grain's cached row stays the truth.
/// </summary>
public sealed class UserStore(NpgsqlDataSource dataSource)
{
    private static readonly JsonSerializerOptions PhotoJson = new(JsonSerializerDefaults.Web);

    private const string Columns = """
        id, email, password_hash, date_of_birth, zip_code, city, area_lat, area_lng, role, email_verified,
        signup_granted, verification_status, display_name, display_name_generated_at, full_name, phone,
        vehicle_description, created_at, updated_at, deleted_at
        """;

    public async Task<UserRecord?> LoadAsync(Guid id)
    {
        await using var command = dataSource.CreateCommand($"select {Columns}, photo, settings from users where id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    public async Task<Guid?> FindIdByEmailAsync(string normalizedEmail)
    {
        await using var command = dataSource.CreateCommand("select id from users where lower(email) = $1 and deleted_at is null");
        command.Parameters.Add(new() { Value = normalizedEmail });
        return await command.ExecuteScalarAsync() is Guid id ? id : null;
    }

    public async Task<Guid?> FindTokenOwnerAsync(string tokenHash, string purpose)
    {
        await using var command = dataSource.CreateCommand("select user_id from email_tokens where token_hash = $1 and purpose = $2");
        command.Parameters.Add(new() { Value = tokenHash });
        command.Parameters.Add(new() { Value = purpose });
        return await command.ExecuteScalarAsync() is Guid id ? id : null;
    }

    /// <summary>
    /// Inserts the registration under the first free generated display name (SPEC.md 3.4); null when
    /// <see cref="DisplayNames.MaxAttempts"/> drawn names were all taken.
    /// </summary>
    public async Task<UserRecord?> InsertRegistrationAsync(UserRecord draft, VerificationToken? verification, IReadOnlyList<AuditEntry> audit)
    {
        for (var attempt = 0; attempt < DisplayNames.MaxAttempts; attempt++)
        {
            var candidate = draft with { DisplayName = DisplayNames.Generate() };
            if (await TryInsertRegistrationAsync(candidate, verification, audit)) return candidate;
        }
        return null;
    }

    /// <summary>
    /// The user row, its first display name, its two ledger accounts, its first verification token (none for an
    /// account created verified) and the audit rows, all in one transaction. False when the display name was taken
    /// (the caller draws another); a taken email is <c>email_taken</c>, decided by the unique index.
    /// </summary>
    public async Task<bool> TryInsertRegistrationAsync(UserRecord user, VerificationToken? verification, IReadOnlyList<AuditEntry> audit)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            await using (var insert = new NpgsqlCommand($"""
                insert into users ({Columns})
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
                """, connection, transaction))
            {
                AddUserParameters(insert, user);
                await insert.ExecuteNonQueryAsync();
            }
            await InsertDisplayNameAsync(connection, transaction, user.Id, user.DisplayName, user.DisplayNameGeneratedAt);
            await LedgerAccounts.OpenUserAccountsAsync(connection, transaction, user.Id, CancellationToken.None);
            if (verification is { } token)
                await InsertTokenAsync(connection, transaction, user.Id, token.Hash, EmailTokens.Verify, isResend: false, user.CreatedAt, token.ExpiresAt);
            foreach (var entry in audit) await AuditLog.WriteAsync(connection, transaction, entry, user.CreatedAt);
            await transaction.CommitAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync();
            return e.ConstraintName switch
            {
                "display_names_name_unique" => false,
                "users_email_unique" => throw new DomainException(ErrorCodes.EmailTaken, "An account with this email already exists."),
                _ => throw new DomainException(ErrorCodes.InvalidTransition, "This account already exists."),
            };
        }
    }

    /// <summary>
    /// Consumes the live verification token and marks the email verified (with the bootstrap role, if any) in one
    /// transaction; false when the token is not live (unknown for this user, used, voided or expired).
    /// </summary>
    public async Task<bool> ConfirmEmailAsync(Guid userId, string tokenHash, string role, IReadOnlyList<AuditEntry> audit, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (!await ConsumeTokenAsync(connection, transaction, userId, tokenHash, EmailTokens.Verify, now)) return false;
        await MarkVerifiedAsync(connection, transaction, userId, role, audit, now);
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>Marks the email verified with <paramref name="role"/> without a token: the operator vouches for the address.</summary>
    public async Task MarkVerifiedAsync(Guid userId, string role, IReadOnlyList<AuditEntry> audit, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await MarkVerifiedAsync(connection, transaction, userId, role, audit, now);
        await transaction.CommitAsync();
    }

    private static async Task MarkVerifiedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, string role,
        IReadOnlyList<AuditEntry> audit, DateTimeOffset now)
    {
        await using (var verify = new NpgsqlCommand(
            "update users set email_verified = true, role = $2, updated_at = $3 where id = $1", connection, transaction))
        {
            verify.Parameters.Add(new() { Value = userId });
            verify.Parameters.Add(new() { Value = role });
            verify.Parameters.Add(new() { Value = now });
            await verify.ExecuteNonQueryAsync();
        }
        foreach (var entry in audit) await AuditLog.WriteAsync(connection, transaction, entry, now);
    }

    /// <summary>Creation times of the resent verification tokens since <paramref name="since"/>, oldest first.</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> ResendTimesSinceAsync(Guid userId, DateTimeOffset since)
    {
        await using var command = dataSource.CreateCommand("""
            select created_at from email_tokens
            where user_id = $1 and purpose = 'verify' and is_resend and created_at > $2
            order by created_at
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = since });
        await using var reader = await command.ExecuteReaderAsync();
        var times = new List<DateTimeOffset>();
        while (await reader.ReadAsync()) times.Add(reader.GetFieldValue<DateTimeOffset>(0));
        return times;
    }

    /// <summary>Voids every live token of the purpose and stores the new one: only the newest link works.</summary>
    public async Task ReplaceTokenAsync(Guid userId, string tokenHash, string purpose, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await VoidLiveTokensAsync(connection, transaction, userId, purpose);
        await InsertTokenAsync(connection, transaction, userId, tokenHash, purpose, isResend: true, now, expiresAt);
        await transaction.CommitAsync();
    }

    public async Task MarkSignupGrantedAsync(Guid userId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("update users set signup_granted = true, updated_at = $2 where id = $1");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Writes the editable profile fields (SPEC.md 8.2) the grain has validated.</summary>
    public async Task UpdateProfileAsync(UserRecord user, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            update users set full_name = $2, phone = $3, zip_code = $4, city = $5, area_lat = $6, area_lng = $7,
                vehicle_description = $8, updated_at = $9, date_of_birth = $10
            where id = $1
            """);
        command.Parameters.Add(new() { Value = user.Id });
        command.Parameters.Add(new() { Value = (object?)user.FullName ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)user.Phone ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)user.ZipCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)user.City ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)user.Area?.Lat ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
        command.Parameters.Add(new() { Value = (object?)user.Area?.Lng ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
        command.Parameters.Add(new() { Value = (object?)user.VehicleDescription ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = (object?)user.DateOfBirth ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>SPEC.md 3.10's delete: the personal fields cleared, the email replaced by one that can never log in.</summary>
    public async Task EraseAsync(Guid userId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            update users set email = 'deleted+' || id || '@invalid', password_hash = null, full_name = null, phone = null,
                date_of_birth = null, zip_code = null, city = null, area_lat = null, area_lng = null,
                vehicle_description = null, photo = null, settings = null,
                deleted_at = coalesce(deleted_at, $2), updated_at = $2
            where id = $1
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync();
    }

    public async Task SetSettingsAsync(Guid userId, AccountSettings settings, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("update users set settings = $2, updated_at = $3 where id = $1");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(settings, PhotoJson), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Gives the user <paramref name="name"/> (kept in the history, so it is never given to anyone else) with its
    /// audit row. False when the name was ever held by anyone (unique index), so the caller draws another.
    /// </summary>
    public async Task<bool> TryChangeDisplayNameAsync(Guid userId, string name, AuditEntry audit, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            await InsertDisplayNameAsync(connection, transaction, userId, name, now);
            await using (var update = new NpgsqlCommand(
                "update users set display_name = $2, display_name_generated_at = $3, updated_at = $3 where id = $1", connection, transaction))
            {
                update.Parameters.Add(new() { Value = userId });
                update.Parameters.Add(new() { Value = name });
                update.Parameters.Add(new() { Value = now });
                await update.ExecuteNonQueryAsync();
            }
            await AuditLog.WriteAsync(connection, transaction, audit, now);
            await transaction.CommitAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "display_names_name_unique")
        {
            await transaction.RollbackAsync();
            return false;
        }
    }

    /// <summary>
    /// Sets the role unless that would leave no admin. Role changes take one cluster-wide lock, so two admins
    /// demoting each other at the same moment cannot both succeed. False when the user is the last admin.
    /// </summary>
    public async Task<bool> TryChangeRoleAsync(Guid userId, string role, AuditEntry audit, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockRoles = new NpgsqlCommand("select pg_advisory_xact_lock(4243)", connection, transaction))
            await lockRoles.ExecuteNonQueryAsync();
        await using (var update = new NpgsqlCommand("""
            update users set role = $2, updated_at = $3
            where id = $1 and ($2 = 'admin' or exists (
                select from users other where other.role = 'admin' and other.deleted_at is null and other.id <> $1))
            """, connection, transaction))
        {
            update.Parameters.Add(new() { Value = userId });
            update.Parameters.Add(new() { Value = role });
            update.Parameters.Add(new() { Value = now });
            if (await update.ExecuteNonQueryAsync() == 0) return false;
        }
        await AuditLog.WriteAsync(connection, transaction, audit, now);
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>Replaces (or with null removes) the profile photo reference.</summary>
    public async Task SetPhotoAsync(Guid userId, StoredPhoto? photo, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("update users set photo = $2, updated_at = $3 where id = $1");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = photo is null ? DBNull.Value : JsonSerializer.Serialize(photo, PhotoJson), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Consumes the live reset token and sets the new password hash in one transaction; false when the token is not
    /// live (unknown for this user, used, voided or expired).
    /// </summary>
    public async Task<bool> ResetPasswordAsync(Guid userId, string tokenHash, string passwordHash, AuditEntry audit, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (!await ConsumeTokenAsync(connection, transaction, userId, tokenHash, EmailTokens.Reset, now)) return false;
        await SetPasswordHashAsync(connection, transaction, userId, passwordHash, now);
        await AuditLog.WriteAsync(connection, transaction, audit, now);
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>A password change made with the current password: the new hash and its audit row together.</summary>
    public async Task ChangePasswordAsync(Guid userId, string passwordHash, AuditEntry audit, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await SetPasswordHashAsync(connection, transaction, userId, passwordHash, now);
        await AuditLog.WriteAsync(connection, transaction, audit, now);
        await transaction.CommitAsync();
    }

    /// <summary>Marks the token used if it is live (this user's, this purpose, unused, not voided, unexpired).</summary>
    private static async Task<bool> ConsumeTokenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId,
        string tokenHash, string purpose, DateTimeOffset now)
    {
        await using var consume = new NpgsqlCommand("""
            update email_tokens set used_at = $3
            where token_hash = $1 and user_id = $2 and purpose = $4
              and used_at is null and not voided and expires_at > $3
            """, connection, transaction);
        consume.Parameters.Add(new() { Value = tokenHash });
        consume.Parameters.Add(new() { Value = userId });
        consume.Parameters.Add(new() { Value = now });
        consume.Parameters.Add(new() { Value = purpose });
        return await consume.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>
    /// A new password voids every reset link still out: one mailed before the change (perhaps to an attacker who
    /// read the mailbox) must not undo it.
    /// </summary>
    private static async Task SetPasswordHashAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, string hash, DateTimeOffset now)
    {
        await using (var update = new NpgsqlCommand("update users set password_hash = $2, updated_at = $3 where id = $1", connection, transaction))
        {
            update.Parameters.Add(new() { Value = userId });
            update.Parameters.Add(new() { Value = hash });
            update.Parameters.Add(new() { Value = now });
            await update.ExecuteNonQueryAsync();
        }
        await VoidLiveTokensAsync(connection, transaction, userId, EmailTokens.Reset);
    }

    private static async Task VoidLiveTokensAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, string purpose)
    {
        await using var voidLive = new NpgsqlCommand(
            "update email_tokens set voided = true where user_id = $1 and purpose = $2 and used_at is null and not voided",
            connection, transaction);
        voidLive.Parameters.Add(new() { Value = userId });
        voidLive.Parameters.Add(new() { Value = purpose });
        await voidLive.ExecuteNonQueryAsync();
    }

    public async Task UpdatePasswordHashAsync(Guid userId, string passwordHash, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("update users set password_hash = $2, updated_at = $3 where id = $1");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = passwordHash });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task InsertDisplayNameAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, string name, DateTimeOffset at)
    {
        await using var command = new NpgsqlCommand(
            "insert into display_names (name, user_id, assigned_at) values ($1, $2, $3)", connection, transaction);
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = at });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task InsertTokenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId,
        string tokenHash, string purpose, bool isResend, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        await using var command = new NpgsqlCommand("""
            insert into email_tokens (token_hash, user_id, purpose, is_resend, created_at, expires_at)
            values ($1, $2, $3, $4, $5, $6)
            """, connection, transaction);
        command.Parameters.Add(new() { Value = tokenHash });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = purpose });
        command.Parameters.Add(new() { Value = isResend });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = expiresAt });
        await command.ExecuteNonQueryAsync();
    }

    private static void AddUserParameters(NpgsqlCommand command, UserRecord user)
    {
        object Nullable(object? value) => value ?? DBNull.Value;
        command.Parameters.Add(new() { Value = user.Id });
        command.Parameters.Add(new() { Value = user.Email });
        command.Parameters.Add(new() { Value = Nullable(user.PasswordHash), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Nullable(user.DateOfBirth), NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new() { Value = Nullable(user.ZipCode), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Nullable(user.City), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Nullable(user.Area?.Lat), NpgsqlDbType = NpgsqlDbType.Numeric });
        command.Parameters.Add(new() { Value = Nullable(user.Area?.Lng), NpgsqlDbType = NpgsqlDbType.Numeric });
        command.Parameters.Add(new() { Value = user.Role });
        command.Parameters.Add(new() { Value = user.EmailVerified });
        command.Parameters.Add(new() { Value = user.SignupGranted });
        command.Parameters.Add(new() { Value = user.VerificationStatus });
        command.Parameters.Add(new() { Value = user.DisplayName });
        command.Parameters.Add(new() { Value = user.DisplayNameGeneratedAt });
        command.Parameters.Add(new() { Value = Nullable(user.FullName), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Nullable(user.Phone), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Nullable(user.VehicleDescription), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = user.CreatedAt });
        command.Parameters.Add(new() { Value = user.UpdatedAt });
        command.Parameters.Add(new() { Value = Nullable(user.DeletedAt), NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }

    private static UserRecord Read(NpgsqlDataReader r)
    {
        T? Get<T>(int i) where T : struct => r.IsDBNull(i) ? null : r.GetFieldValue<T>(i);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var lat = Get<decimal>(6);
        var lng = Get<decimal>(7);
        return new UserRecord(
            r.GetGuid(0), r.GetString(1), Text(2), Get<DateOnly>(3), Text(4), Text(5),
            lat is { } la && lng is { } ln ? new AreaPoint(la, ln) : null,
            r.GetString(8), r.GetBoolean(9), r.GetBoolean(10), r.GetString(11), r.GetString(12),
            r.GetFieldValue<DateTimeOffset>(13), Text(14), Text(15), Text(16),
            r.GetFieldValue<DateTimeOffset>(17), r.GetFieldValue<DateTimeOffset>(18), Get<DateTimeOffset>(19))
        {
            Photo = r.IsDBNull(20) ? null : JsonSerializer.Deserialize<StoredPhoto>(r.GetString(20), PhotoJson),
            Settings = !r.IsDBNull(21) ? JsonSerializer.Deserialize<AccountSettings>(r.GetString(21), PhotoJson) : null,
        };
    }
}
