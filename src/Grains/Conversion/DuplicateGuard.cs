using NeXChange.Errors;
using StackExchange.Redis;

namespace NeXChange.Conversion;

/// <summary>
/// SPEC.md 7.3's duplicate guard: <c>SET conv-guard:{userId}:{direction}:{amountMinor} NX EX 300</c>. It stops a user's
/// accidental second conversion of the same amount (a double tap with a fresh quote); money does not depend on it
/// (a quote executes once, enforced by the database). Without Redis a conversion is refused with 503 before anything
/// happens, rather than run unguarded.
/// </summary>
public sealed class DuplicateGuard(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(300);

    public static string Key(Guid userId, string direction, long amountMinor) => $"conv-guard:{userId}:{direction}:{amountMinor}";

    /// <summary>Takes the guard, or refuses with <c>duplicate_request</c> while another request holds it.</summary>
    public async Task TakeAsync(Guid userId, string direction, long amountMinor)
    {
        bool taken;
        try
        {
            taken = await redis.GetDatabase().StringSetAsync(Key(userId, direction, amountMinor), "1", Lifetime, When.NotExists);
        }
        catch (RedisException)
        {
            throw new DomainException(ErrorCodes.ServiceUnavailable, "Conversions cannot be checked for duplicates right now; try again.");
        }
        if (!taken) throw new DomainException(ErrorCodes.DuplicateRequest, "The same conversion was requested moments ago; wait for it to finish.");
    }

    /// <summary>Drops the guard; best effort, since it expires by itself after 300 s.</summary>
    public async Task ReleaseAsync(Guid userId, string direction, long amountMinor)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(Key(userId, direction, amountMinor));
        }
        catch (RedisException)
        {
            // The key expires on its own.
        }
    }
}
