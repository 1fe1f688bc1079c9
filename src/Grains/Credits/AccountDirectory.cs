using System.Collections.Concurrent;
using NeXChange.Errors;
using Npgsql;

namespace NeXChange.Credits;

/// <summary>
/// Resolves <see cref="AccountRef"/>s to account ids. Accounts are never deleted and their ids never change, so
/// the mapping is cached for the life of the silo; a user without accounts is <c>not_found</c>.
/// </summary>
public sealed class AccountDirectory(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<AccountRef, Guid> ids =
        new(LedgerAccounts.SystemAccounts().Select(a => KeyValuePair.Create(a.Account, a.Id)));

    public async Task<Guid> ResolveAsync(AccountRef account, CancellationToken cancellationToken = default) =>
        (await ResolveAsync([account], cancellationToken))[account];

    public async Task<IReadOnlyDictionary<AccountRef, Guid>> ResolveAsync(IEnumerable<AccountRef> accounts,
        CancellationToken cancellationToken = default)
    {
        var wanted = accounts.Distinct().ToList();
        var missingOwners = wanted.Where(a => !ids.ContainsKey(a)).Select(a => a.OwnerId!.Value).Distinct().ToArray();
        if (missingOwners.Length > 0)
        {
            await using var command = dataSource.CreateCommand(
                "select id, owner_id, kind from ledger.accounts where owner_id = any($1)");
            command.Parameters.Add(new() { Value = missingOwners });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var kind = reader.GetString(2) == AccountKind.UserAvailable.ToDb() ? AccountKind.UserAvailable : AccountKind.UserEscrow;
                ids[new AccountRef(kind, reader.GetGuid(1))] = reader.GetGuid(0);
            }
        }
        var resolved = new Dictionary<AccountRef, Guid>();
        foreach (var account in wanted)
        {
            if (!ids.TryGetValue(account, out var id)) throw DomainException.NotFound();
            resolved[account] = id;
        }
        return resolved;
    }
}
