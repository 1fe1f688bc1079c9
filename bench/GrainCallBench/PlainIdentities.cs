using System.Runtime.CompilerServices;
using NeXChange.Users;

namespace NeXChange.Bench;

/// <summary>
/// The grain-calls baseline: what UserGrain.GetSessionIdentity does once active (a new identity from the user it keeps
/// in memory, as a completed task), as an ordinary method of an ordinary object.
/// </summary>
public sealed class PlainIdentities(IEnumerable<Guid> users)
{
    private readonly Dictionary<Guid, AuthIdentity> identities = users.ToDictionary(id => id, id => new AuthIdentity(id, "user", true));

    // Not inlined: the baseline is a call, as the grain method is.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task<AuthIdentity?> GetSessionIdentity(Guid userId) =>
        Task.FromResult(identities.TryGetValue(userId, out var identity) ? identity with { } : null);
}
