using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Items;
using NeXChange.Maintenance;
using NeXChange.TestSupport;
using NeXChange.Trading;
using Npgsql;

namespace NeXChange.Grains.Tests.Maintenance;

/// <summary>
/// The retention rules of SPEC.md 3.11 in the daily run: what is past its window goes, a row just inside it stays,
/// and a second run changes nothing. Windows are met by the fake domain clock, anchored on the database's now() at
/// fixture start, or (for the rules the database's clock guards) by rows stamped a day either side of 7 years before
/// the database's now().
/// </summary>
public sealed class RetentionTests(RetentionCluster cluster) : IClassFixture<RetentionCluster>
{
    private const string InsufficientPrivilege = "42501";
    private static readonly Viewer Moderator = new(Guid.CreateVersion7(), IsModerator: true);

    private static string Sha(char c) => new(c, 64);

    [Fact]
    public async Task item_photos_are_purged_12_months_after_the_item_became_archived_or_traded_and_their_blobs_deleted()
    {
        var owner = await cluster.UserAsync();
        var category = await cluster.CategoryAsync();
        var window = cluster.Clock.GetUtcNow().AddMonths(-ItemPhotoRetention.KeptMonths);
        var (archivedSha, tradedSha, recentSha) = (Sha('1'), Sha('2'), Sha('3'));
        var archived = await cluster.ItemAsync(owner, category, ItemStatuses.Archived, window.AddDays(-1), archivedSha);
        var traded = await cluster.ItemAsync(owner, category, ItemStatuses.Traded, window.AddDays(-1), tradedSha);
        var recent = await cluster.ItemAsync(owner, category, ItemStatuses.Traded, window.AddDays(1), recentSha);
        // The same image as the traded item's: content-addressed, so their blobs are shared.
        var active = await cluster.ItemAsync(owner, category, ItemStatuses.Active, window.AddDays(-30), tradedSha);
        var purgedBlob = await cluster.OldBlobAsync($"items/{archivedSha}");
        var keptBlobs = new[] { await cluster.OldBlobAsync($"items/{recentSha}"), await cluster.OldBlobAsync($"items/{tradedSha}") };
        // Activated first: the purge must reach the cached row, not only the table.
        Assert.Single((await cluster.Grains.GetGrain<IItemGrain>(archived).Get(Moderator)).Photos);

        var first = await cluster.RunDaily();
        var second = await cluster.RunDaily();

        Assert.Equal((2, 0), (first.ItemPhotosPurged, second.ItemPhotosPurged));
        foreach (var due in new[] { archived, traded })
        {
            var view = await cluster.Grains.GetGrain<IItemGrain>(due).Get(Moderator);
            Assert.Equal((0, true), (view.Photos.Count, view.PhotosPurged));
            Assert.Equal(0, await Sql.ScalarAsync<int>(cluster.Postgres, "select jsonb_array_length(photos) from items where id = $1", due));
        }
        foreach (var kept in new[] { recent, active })
        {
            var view = await cluster.Grains.GetGrain<IItemGrain>(kept).Get(Moderator);
            Assert.Equal((1, false), (view.Photos.Count, view.PhotosPurged));
        }
        Assert.False(await cluster.Blobs.ExistsAsync(purgedBlob));
        foreach (var kept in keptBlobs) Assert.True(await cluster.Blobs.ExistsAsync(kept));
    }

    [Fact]
    public async Task trades_ended_7_years_ago_lose_state_dispute_and_feedback_and_keep_a_tombstone_row()
    {
        var (buyer, seller) = (await cluster.UserAsync(), await cluster.UserAsync());
        await cluster.Grains.GetGrain<ICreditAccountGrain>(buyer).GrantSignup();
        var item = await cluster.ItemAsync(seller, await cluster.CategoryAsync(), ItemStatuses.Active, cluster.DatabaseStart, Sha('4'));
        // The clock starts 7 years and a day before the database's now() at fixture start.
        var expired = await EndedTradeAsync(buyer, item);
        cluster.Clock.Advance(TimeSpan.FromDays(2));
        var kept = await EndedTradeAsync(buyer, item);
        foreach (var trade in new[] { expired, kept })
        {
            await Sql.ExecuteAsync(cluster.Postgres, """
                insert into feedback (id, trade_id, author_id, subject_id, role, rating, created_at) values ($1, $2, $3, $4, 'buyer', 5, now())
                """, Guid.CreateVersion7(), trade, buyer, seller);
            await Sql.ExecuteAsync(cluster.Postgres, """
                insert into disputes (id, trade_id, opened_by, status, escalated, created_at, resolved_at, version)
                values ($1, $2, $3, 'resolved', false, now(), now(), 1)
                """, Guid.CreateVersion7(), trade, buyer);
        }
        // The anchor: the expired trade is then 7 years and a day old, the kept one a day short, by the database's clock too.
        cluster.Clock.SetUtcNow(cluster.DatabaseStart);

        var first = await cluster.RunDaily();
        var second = await cluster.RunDaily();

        Assert.Equal((1, 0), (first.TradesPurged, second.TradesPurged));
        var gone = await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<ITradeGrain>(expired).Get(new TradeCaller(buyer, false)));
        Assert.Equal(ErrorCodes.NotFound, gone.Code);
        Assert.Equal(TradeStatuses.Withdrawn, (await cluster.Grains.GetGrain<ITradeGrain>(kept).Get(new TradeCaller(buyer, false))).Status);
        Assert.Equal((false, true), (await HasStateAsync(expired), await HasStateAsync(kept)));
        Assert.Equal((0L, 0L), (await CountAsync("feedback", expired), await CountAsync("disputes", expired)));
        Assert.Equal((1L, 1L), (await CountAsync("feedback", kept), await CountAsync("disputes", kept)));
        Assert.Equal("withdrawn, ended, purged, no parties, no item, no reason", await Sql.ScalarAsync<string>(cluster.Postgres, """
            select concat_ws(', ', status, case when ended_at is not null then 'ended' end, case when purged_at is not null then 'purged' end,
                   case when buyer_id is null and seller_id is null then 'no parties' end, case when item_id is null then 'no item' end,
                   case when end_reason is null then 'no reason' end)
            from trades where id = $1
            """, expired));
        Assert.Equal(buyer, await Sql.ScalarAsync<Guid>(cluster.Postgres, "select buyer_id from trades where id = $1 and purged_at is null", kept));
    }

    [Fact]
    public async Task the_runtime_role_can_neither_delete_recent_feedback_nor_purge_a_recent_trade()
    {
        var (buyer, seller) = (await cluster.UserAsync(), await cluster.UserAsync());
        var item = await cluster.ItemAsync(seller, await cluster.CategoryAsync(), ItemStatuses.Traded, cluster.DatabaseStart, Sha('5'));
        var (trade, feedback) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await Sql.ExecuteAsync(cluster.Postgres, """
            insert into trades (id, item_id, buyer_id, seller_id, status, ended_at, end_reason, version, created_at, updated_at)
            values ($1, $2, $3, $4, 'completed', now() - interval '7 years' + interval '1 day', 'completed_by_parties', 1, now(), now())
            """, trade, item, buyer, seller);
        await Sql.ExecuteAsync(cluster.Postgres, """
            insert into feedback (id, trade_id, author_id, subject_id, role, rating, created_at) values ($1, $2, $3, $4, 'buyer', 4, now())
            """, feedback, trade, buyer, seller);

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(cluster.Postgres, "delete from feedback where id = $1", feedback));
        var purged = await Sql.ScalarAsync<bool>(cluster.Postgres, "select retention_purge_trade($1)", trade);

        Assert.Equal(InsufficientPrivilege, refusal.SqlState);
        Assert.False(purged);
        Assert.Equal(1L, await CountAsync("feedback", trade));
        Assert.Equal(buyer, await Sql.ScalarAsync<Guid>(cluster.Postgres, "select buyer_id from trades where id = $1 and purged_at is null", trade));
    }

    [Fact]
    public async Task audit_rows_older_than_7_years_are_deleted_and_no_one_can_delete_a_newer_one()
    {
        var entity = Guid.NewGuid().ToString();
        foreach (var age in new[] { "7 years 1 day", "7 years -1 day" })
            await Sql.ExecuteAsync(cluster.Owner, """
                insert into audit_log (at, action, entity_type, entity_id) values (now() - $1::interval, 'LOGIN_SUCCEEDED', 'user', $2)
                """, age, entity);

        var runtime = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(cluster.Postgres, "delete from audit_log where entity_id = $1", entity));
        // Not even the owner: the trigger keeps every row younger than 7 years.
        var owner = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(cluster.Owner, "delete from audit_log where entity_id = $1", entity));
        var first = await cluster.RunDaily();
        var second = await cluster.RunDaily();

        Assert.Equal(InsufficientPrivilege, runtime.SqlState);
        Assert.Contains("kept 7 years", owner.MessageText, StringComparison.Ordinal);
        Assert.Equal((1L, 0L), (first.AuditRowsDeleted, second.AuditRowsDeleted));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(cluster.Postgres,
            "select count(*) from audit_log where entity_id = $1 and at > now() - interval '7 years'", entity));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(cluster.Postgres, "select count(*) from audit_log where entity_id = $1", entity));
    }

    [Fact]
    public async Task conversion_quotes_never_executed_are_deleted_a_day_after_they_expired_and_executed_ones_stay()
    {
        var user = await cluster.UserAsync();
        var dayAgo = cluster.Clock.GetUtcNow() - QuoteRetention.KeptAfterExpiry;
        var (stale, recent, executed) = (await QuoteAsync(user, dayAgo.AddMinutes(-1)), await QuoteAsync(user, dayAgo.AddMinutes(1)),
            await QuoteAsync(user, dayAgo.AddDays(-1)));
        // Executed as a top-up: the conversion refers to its quote, which must outlive it.
        await Sql.ExecuteAsync(cluster.Postgres, "update conversion_quotes set used_at = created_at where id = $1", executed);
        await Sql.ExecuteAsync(cluster.Postgres, """
            insert into conversions (id, user_id, quote_id, direction, amount_minor, btc_sats, rate_minor_per_btc, status,
                                     deposit_address, deposit_expires_at, created_at)
            select $1, user_id, id, direction, amount_minor, btc_sats, rate_minor_per_btc, 'awaiting_deposit',
                   'tb1qretainedquotedepositaddress0000000000', created_at + interval '60 minutes', created_at
            from conversion_quotes where id = $2
            """, Guid.CreateVersion7(), executed);

        var first = await cluster.RunDaily();
        var second = await cluster.RunDaily();

        Assert.Equal((1, 0), (first.QuotesDeleted, second.QuotesDeleted));
        var left = await Sql.ScalarAsync<Guid[]>(cluster.Postgres, "select array_agg(id) from conversion_quotes where user_id = $1", user) ?? [];
        Assert.Equal(new[] { recent, executed }.Order(), left.Order());
        Assert.DoesNotContain(stale, left);
    }

    /// <summary>A 60-second top-up quote of the user that expires at <paramref name="expiresAt"/>.</summary>
    private async Task<Guid> QuoteAsync(Guid userId, DateTimeOffset expiresAt)
    {
        var id = Guid.CreateVersion7();
        await Sql.ExecuteAsync(cluster.Postgres, """
            insert into conversion_quotes (id, user_id, direction, amount_minor, btc_sats, mid_minor_per_btc, rate_minor_per_btc,
                                           spread_bps, created_at, expires_at)
            values ($1, $2, 'btc_to_credits', 10000, 102041, 10000000, 9800000, 200, $3 - interval '60 seconds', $3)
            """, id, userId, expiresAt);
        return id;
    }

    /// <summary>A trade offered and withdrawn at the clock's now, through its grain.</summary>
    private async Task<Guid> EndedTradeAsync(Guid buyer, Guid item)
    {
        var id = Guid.CreateVersion7();
        var trade = cluster.Grains.GetGrain<ITradeGrain>(id);
        await trade.Offer(new OfferRequest(buyer, item, 1_000));
        await trade.Withdraw(new TradeCaller(buyer, false));
        return id;
    }

    /// <summary>Whether the trade's grain state row holds a payload (Orleans stores a Guid key as its two little-endian halves).</summary>
    private async Task<bool> HasStateAsync(Guid tradeId)
    {
        var bytes = tradeId.ToByteArray();
        return await Sql.ScalarAsync<bool>(cluster.Postgres,
            "select exists (select from orleans_storage where state_name = 'trade' and grain_id_n0 = $1 and grain_id_n1 = $2 and payload is not null)",
            BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8));
    }

    private Task<long> CountAsync(string table, Guid tradeId) =>
        Sql.ScalarAsync<long>(cluster.Postgres, $"select count(*) from {table} where trade_id = $1", tradeId);
}
