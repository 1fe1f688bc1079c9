using Microsoft.Extensions.DependencyInjection;
using NeXChange.Hosting;
using Npgsql;

namespace NeXChange.Feedback;

/// <summary>
/// One profile's reputation in one query over the trades projection and the feedback table (SPEC.md 6.9). The
/// user's trades are read once per side through the by-buyer and by-seller indexes; ratings count once visible.
/// </summary>
public sealed class ReputationQueries(NpgsqlDataSource dataSource, [FromKeyedServices(Clocks.Domain)] TimeProvider time)
{
    // Successes: completed, or a dispute resolved with release or refund_partial. Failures reached escrow (held_at)
    // and ended otherwise, counted for: the absent party of a no-show, the seller of a rejected item, both parties
    // of a hold timeout, the at-fault party of a refunding dispute resolution or a moderator cancel; a mutual cancel
    // counts for nobody. A side's on_time is set when its arrival window closed while escrow was held.
    private const string Sql = """
        with mine as (
            select 'buyer' as side, status, held_at, ended_at, end_reason, resolution, at_fault, no_show_party, buyer_on_time as on_time
            from trades where buyer_id = $1
            union all
            select 'seller', status, held_at, ended_at, end_reason, resolution, at_fault, no_show_party, seller_on_time
            from trades where seller_id = $1
        ), outcome as (
            select side, on_time, end_reason, no_show_party,
                status = 'completed' or (status = 'resolved' and resolution in ('release', 'refund_partial')) as success,
                held_at is not null and ended_at is not null and status in ('cancelled', 'resolved') and (
                    (end_reason = 'no_show' and no_show_party = side)
                    or (end_reason = 'not_as_described' and side = 'seller')
                    or end_reason = 'hold_timeout'
                    or ((end_reason = 'moderator_cancel' or resolution in ('refund_full', 'relist')) and at_fault = side)
                ) as failure
            from mine
        ), rated as (
            select f.rating from feedback f join trades t on t.id = f.trade_id
            where f.subject_id = $1
              and (t.ended_at < $2 or exists (select from feedback o where o.trade_id = f.trade_id and o.author_id = f.subject_id))
        )
        select
            (select coalesce(sum(rating), 0) from rated)::bigint,
            (select count(*) from rated)::int,
            count(*) filter (where success)::int,
            count(*) filter (where failure and not success)::int,
            count(*) filter (where on_time)::int,
            count(on_time)::int,
            count(*) filter (where end_reason = 'no_show' and no_show_party = side)::int
        from outcome
        """;

    public async Task<Reputation> ForUserAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = FeedbackWindow.ClosedForEndsBefore(time.GetUtcNow()) });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return Reputation.From(new ReputationCounts(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3),
            reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6)));
    }
}
