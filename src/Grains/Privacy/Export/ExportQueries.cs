using NeXChange.Audit;

namespace NeXChange.Privacy.Export;

/// <summary>
/// The SQL of the archive (SPEC.md 3.10). Each section query yields one JSON object per row, built by PostgreSQL, so
/// the writer streams rows straight into data.json. What the user sees of anyone else is <see cref="Person"/>: the id
/// and display name (SPEC.md 3.6), never their contact data, area or photos. Secrets (password hash, email and reset
/// tokens, refresh sessions) and internal bookkeeping (versions, idempotency keys, moderation notes, audit IPs) are
/// not selected at all. <c>$1</c> is always the user's id.
/// </summary>
internal static class ExportQueries
{
    /// <summary>Another user as the export shows them; deleted users as SPEC.md 3.6 shows them.</summary>
    private static string Person(string alias) =>
        $"json_build_object('id', {alias}.id, 'displayName', case when {alias}.deleted_at is null then {alias}.display_name else 'Deleted user' end)";

    /// <summary>Where an item photo's master lands in the ZIP (alias <c>i</c> = item, <c>p</c> = its photos with ordinality).</summary>
    private const string ItemPhotoPath = "'photos/items/' || i.id || '/' || (p.ordinality - 1) || '.jpg'";

    private const string ItemPhotos = "jsonb_array_elements(i.photos) with ordinality as p(photo, ordinality)";

    /// <summary>The ZIP path of the profile photo's master.</summary>
    public const string ProfilePhotoPath = "photos/profile.jpg";

    /// <summary>The profile photo (sha256, width, height, key prefix), when the user has one.</summary>
    public const string ProfilePhoto = """
        select photo->>'sha256', (photo->>'width')::int, (photo->>'height')::int, photo->>'keyPrefix'
        from users where id = $1 and photo is not null
        """;

    /// <summary>Every photo of the user's items (sha256, width, height, ZIP path), in archive order.</summary>
    public const string ItemPhotoMasters = $"""
        select p.photo->>'sha256', (p.photo->>'width')::int, (p.photo->>'height')::int, {ItemPhotoPath}
        from items i cross join lateral {ItemPhotos}
        where i.owner_id = $1 order by i.id, p.ordinality
        """;

    /// <summary>Profile with private fields, and settings. $2: the profile photo's ZIP path or null; $3: default settings.</summary>
    public const string Profile = """
        select json_build_object('id', id, 'email', email, 'displayName', display_name,
            'displayNameGeneratedAt', display_name_generated_at, 'role', role, 'emailVerified', email_verified,
            'verificationStatus', verification_status, 'fullName', full_name, 'phone', phone, 'dateOfBirth', date_of_birth,
            'zipCode', zip_code, 'city', city,
            'areaPoint', case when area_lat is null then null else json_build_object('lat', area_lat, 'lng', area_lng) end,
            'vehicleDescription', vehicle_description,
            'photo', case when photo is null then null
                else json_build_object('width', photo->'width', 'height', photo->'height', 'file', $2::text) end,
            'createdAt', created_at, 'updatedAt', updated_at, 'deletedAt', deleted_at),
            coalesce(settings, $3::jsonb)
        from users where id = $1
        """;

    public const string DisplayNames = """
        select json_build_object('name', name, 'assignedAt', assigned_at)
        from display_names where user_id = $1 order by assigned_at, name
        """;

    /// <summary>Items of every status with their photo metadata. $2: ZIP paths of photos whose master blob was missing.</summary>
    public const string Items = $"""
        select json_build_object('id', i.id, 'status', i.status, 'title', i.title, 'description', i.description,
            'categoryId', i.category_id, 'category', c.name, 'condition', i.condition, 'priceMinor', i.price_minor,
            'tags', i.tags, 'attributes', i.attributes, 'knownIssues', i.known_issues, 'generalArea', i.general_area,
            'photosPurged', i.photos_purged, 'createdAt', i.created_at, 'updatedAt', i.updated_at,
            'publishedAt', i.published_at, 'statusChangedAt', i.status_changed_at,
            'photos', (select coalesce(json_agg(json_build_object('id', p.photo->'id', 'position', p.ordinality - 1,
                    'width', p.photo->'width', 'height', p.photo->'height', 'sha256', p.photo->'sha256',
                    'file', case when {ItemPhotoPath} = any($2) then null else {ItemPhotoPath} end) order by p.ordinality), '[]')
                from {ItemPhotos}))
        from items i join categories c on c.id = i.category_id
        where i.owner_id = $1 order by i.id
        """;

    /// <summary>
    /// Trades as the user sees them, from the trades projection (the source of every trade list): the agreed price and
    /// fee come from the escrow hold, so a trade that never reached escrow has none here (its offers live only in the
    /// trade grain's state).
    /// </summary>
    public static readonly string Trades = $"""
        select json_build_object('id', t.id, 'itemId', t.item_id, 'itemTitle', i.title,
            'role', case when t.buyer_id = $1 then 'buyer' else 'seller' end, 'counterparty', {Person("o")},
            'status', t.status, 'priceMinor', h.amount, 'feeMinor', h.fee, 'escrowStatus', h.status,
            'heldAt', t.held_at, 'endedAt', t.ended_at, 'endReason', t.end_reason, 'resolution', t.resolution,
            'atFault', t.at_fault, 'noShowParty', t.no_show_party,
            'arrivedOnTime', case when t.buyer_id = $1 then t.buyer_on_time else t.seller_on_time end,
            'createdAt', t.created_at, 'updatedAt', t.updated_at)
        from trades t join items i on i.id = t.item_id
            join users o on o.id = case when t.buyer_id = $1 then t.seller_id else t.buyer_id end
            left join ledger.holds h on h.trade_id = t.id
        where t.buyer_id = $1 or t.seller_id = $1 order by t.id
        """;

    /// <summary>Disputes the user opened (reason and texts stay in the trade grain's state; the projection has the outcome).</summary>
    public const string Disputes = """
        select json_build_object('id', d.id, 'tradeId', d.trade_id, 'status', d.status, 'escalated', d.escalated,
            'resolution', t.resolution, 'createdAt', d.created_at, 'resolvedAt', d.resolved_at)
        from disputes d join trades t on t.id = d.trade_id
        where d.opened_by = $1 order by d.created_at, d.id
        """;

    public static readonly string FeedbackGiven = $"""
        select json_build_object('id', f.id, 'tradeId', f.trade_id, 'role', f.role, 'to', {Person("s")},
            'rating', f.rating, 'comment', f.comment, 'createdAt', f.created_at)
        from feedback f join users s on s.id = f.subject_id
        where f.author_id = $1 order by f.id
        """;

    /// <summary>
    /// Feedback about the user that the user may already read: blind rows (SPEC.md 6.9) stay out until the user has
    /// rated the trade too or its window closed. $2: trades that ended before this instant have a closed window.
    /// </summary>
    public static readonly string FeedbackReceived = $"""
        select json_build_object('id', f.id, 'tradeId', f.trade_id, 'role', f.role, 'from', {Person("a")},
            'rating', f.rating, 'comment', f.comment, 'createdAt', f.created_at)
        from feedback f join users a on a.id = f.author_id join trades t on t.id = f.trade_id
        where f.subject_id = $1
          and (t.ended_at < $2 or exists (select from feedback o where o.trade_id = f.trade_id and o.author_id = $1))
        order by f.id
        """;

    public const string Notifications = """
        select json_build_object('id', id, 'type', type, 'tradeId', trade_id, 'itemId', item_id, 'data', data,
            'createdAt', created_at, 'readAt', read_at)
        from notifications where recipient_id = $1 order by id
        """;

    /// <summary>Entries of both of the user's accounts, shaped as the credit history shows them (SPEC.md 2.10).</summary>
    public static readonly string LedgerEntries = $"""
        select json_build_object('entryId', e.id, 'transactionId', e.transaction_id, 'kind', t.kind,
            'account', case when a.kind = 'USER_AVAILABLE' then 'available' else 'escrow' end,
            'amountMinor', e.amount, 'balanceAfterMinor', e.balance_after, 'createdAt', e.created_at,
            'tradeId', t.trade_id, 'conversionId', t.conversion_id,
            'counterparty', case when c.id is null then null else {Person("c")} end,
            'memo', case when t.kind = 'transfer' and t.initiator_id = $1 and e.amount < 0 then t.memo end)
        from ledger.accounts a join ledger.entries e on e.account_id = a.id join ledger.transactions t on t.id = e.transaction_id
            left join users c on t.kind = 'transfer'
                and c.id = case when t.initiator_id = $1 then t.counterparty_id else t.initiator_id end
        where a.owner_id = $1 order by e.id
        """;

    /// <summary>
    /// The user's conversions as the API shows them (SPEC.md 7.3's Conversion object), each with its ledger
    /// transactions in the order they were posted.
    /// </summary>
    public const string Conversions = """
        select json_build_object('id', c.id, 'quoteId', c.quote_id, 'direction', c.direction, 'amountMinor', c.amount_minor,
            'btcSats', c.btc_sats, 'rateMinorPerBtc', c.rate_minor_per_btc, 'status', c.status,
            'payoutAddress', c.payout_address, 'depositAddress', c.deposit_address, 'depositExpiresAt', c.deposit_expires_at,
            'partnerTxId', c.partner_tx_id, 'failureReason', c.failure_reason,
            'transactionIds', (select coalesce(json_agg(t.id order by t.created_at, t.id), '[]')
                from ledger.transactions t where t.conversion_id = c.id),
            'createdAt', c.created_at, 'completedAt', c.completed_at)
        from conversions c where c.user_id = $1 order by c.id
        """;

    public const string DataRequests = """
        select json_build_object('id', id, 'type', type, 'status', status, 'createdAt', created_at,
            'slaDeadline', sla_deadline, 'completedAt', completed_at, 'failureReason', failure_reason)
        from data_requests where user_id = $1 order by created_at, id
        """;

    /// <summary>Who asked for the user's photo and whether it was shown (SPEC.md 3.7); the viewer's IP is not the user's data.</summary>
    public static readonly string PhotoAccessEvents = $"""
        select json_build_object('at', l.at, 'viewer', case when v.id is null then null else {Person("v")} end,
            'tradeId', l.data->'tradeId', 'granted', l.data->'granted')
        from audit_log l left join users v on v.id = (l.data->>'viewerId')::uuid
        where l.entity_type = 'user' and l.entity_id = $1::text and l.action = '{AuditActions.PhotoAccessed}'
          and l.data->>'subjectId' = $1::text
        order by l.id
        """;
}
