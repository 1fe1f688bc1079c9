using NeXChange.Errors;
using Npgsql;
using StackExchange.Redis;

namespace NeXChange.Silo.Hosting;

/// <summary>
/// Keeps store exceptions inside the silo. A grain call that fails on PostgreSQL or Redis is logged here with its
/// details and leaves as a <see cref="DomainException"/>: service_unavailable when the store could not be reached
/// (the client may retry), internal_error otherwise. Clients never see driver exceptions, which they could not
/// deserialize anyway and which may carry data from the failing statement.
/// </summary>
public sealed class InfrastructureErrors(ILogger<InfrastructureErrors> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (e is NpgsqlException or RedisException)
        {
            var unavailable = e is NpgsqlException { IsTransient: true } or RedisConnectionException or RedisTimeoutException;
            logger.LogError(e, "Store failure in {Grain}.{Method}", context.TargetId, context.MethodName);
            throw unavailable
                ? new DomainException(ErrorCodes.ServiceUnavailable, "A store is unavailable; try again shortly.",
                    extensions: new Dictionary<string, object> { ["retryAfterSeconds"] = 1 })
                : new DomainException(ErrorCodes.InternalError);
        }
    }
}
