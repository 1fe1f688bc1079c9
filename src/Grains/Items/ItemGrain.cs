using Microsoft.Extensions.Logging;
using NeXChange.Audit;
using NeXChange.Errors;
using NeXChange.Images;
using NeXChange.Items.Safety;
using NeXChange.Notifications;
using NeXChange.Search;
using NeXChange.Trading;
using NeXChange.Users;

namespace NeXChange.Items;

/// <summary>
/// The single writer of one items row (keyed by the item id), which it caches. Every change goes through
/// <see cref="Commit"/>: version + 1, an optimistic write to the table, then the search projection.
/// </summary>
public sealed partial class ItemGrain(
    ItemStore store, ItemViews views, PhotoStore photos, ISafetyCheck safety, ISearchIndex search, AuditLog audit, TimeProvider time,
    TradeStore trades, ItemNotices notices, ILogger<ItemGrain> logger) : Grain, IItemGrain
{
    public const int MaxPhotos = 12;
    public const string RecallReason = "recall";

    private ItemRecord? item;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        item = await store.LoadAsync(Id);
        // Repairs a projection left behind by a failure between the row write and the index write.
        if (item is not null) await Project();
    }

    public async Task<ItemView> Create(Guid ownerId, ItemDraft draft)
    {
        if (item is not null) throw ItemWorkflow.InvalidTransition(item.Status);
        var area = await GrainFactory.GetGrain<IUserGrain>(ownerId).GetArea() ?? throw DomainException.NotFound();
        var category = draft.CategoryId is { } id ? await Catalog.Find(id) : null;
        var fields = ItemFields.From(draft, _ => category);
        var now = time.GetUtcNow();
        var created = new ItemRecord(Id, ownerId, ItemStatuses.Draft, fields, area.GeneralArea, area.Lat, area.Lng, [], false,
            NeedsReview: false, ReviewReason: null, SafetyCheck: null, ReservedByTrade: null, Version: 1, now, now, PublishedAt: null, now);
        if (!await store.SaveAsync(created, previousVersion: null)) throw ItemWorkflow.InvalidTransition(ItemStatuses.Draft);
        item = created;
        await Project();
        return View(item, owner: true);
    }

    public Task<ItemView> Get(Viewer viewer)
    {
        var current = Visible(viewer);
        return Task.FromResult(View(current, owner: viewer.IsModerator || viewer.UserId == current.OwnerId));
    }

    public async Task<ItemView> Update(Guid callerId, ItemPatch patch)
    {
        var current = Owned(callerId);
        if (!ItemWorkflow.IsEditable(current.Status)) throw ItemWorkflow.InvalidTransition(current.Status);
        var draft = Apply(current.Fields.ToDraft(), patch);
        // A category deactivated after listing stays valid for the items that already use it (SPEC.md 4.2).
        var category = draft.CategoryId is { } id && id != current.Fields.CategoryId ? await Catalog.Find(id) : null;
        var fields = ItemFields.From(draft, id => id == current.Fields.CategoryId ? KeptCategory(current) : category);
        var next = current with { Fields = fields };

        if (current.Status == ItemStatuses.Active && NeedsRecheck(current.Fields, fields))
        {
            var check = await safety.CheckAsync(fields.CategoryId, fields.Brand, fields.Model);
            next = check.Outcome == SafetyCheck.Outcomes.Recall
                ? next with { Status = ItemWorkflow.Next(current.Status, ItemWorkflow.Flag), ReviewReason = RecallReason, SafetyCheck = check }
                : next with { NeedsReview = next.NeedsReview || check.Outcome == SafetyCheck.Outcomes.Unavailable, SafetyCheck = check };
        }
        await Commit(next);
        return View(item!, owner: true);
    }

    public async Task<ItemView> Publish(Guid callerId)
    {
        var current = Owned(callerId);
        if (current.Status != ItemStatuses.Draft) throw ItemWorkflow.InvalidTransition(current.Status);
        var missing = new List<string>();
        if (current.Photos.Count is < 1 or > MaxPhotos) missing.Add("photos");
        if ((await Catalog.Find(current.Fields.CategoryId))?.Usable != true) missing.Add("categoryId");
        if (missing.Count > 0)
            throw new DomainException(ErrorCodes.PublishRequirementsNotMet, "The item cannot be published yet.",
                extensions: new Dictionary<string, object> { ["missing"] = missing });

        var check = await safety.CheckAsync(current.Fields.CategoryId, current.Fields.Brand, current.Fields.Model);
        // The area is copied again at publish: the owner may have moved since the draft was made.
        var area = await GrainFactory.GetGrain<IUserGrain>(current.OwnerId).GetArea() ?? throw DomainException.NotFound();
        var next = current with { SafetyCheck = check, GeneralArea = area.GeneralArea, AreaLat = area.Lat, AreaLng = area.Lng };
        next = check.Outcome == SafetyCheck.Outcomes.Recall
            ? next with { Status = ItemWorkflow.Next(current.Status, ItemWorkflow.PublishForReview), ReviewReason = RecallReason }
            : next with
            {
                Status = ItemWorkflow.Next(current.Status, ItemWorkflow.Publish),
                PublishedAt = time.GetUtcNow(),
                NeedsReview = check.Outcome == SafetyCheck.Outcomes.Unavailable,
            };
        await Commit(next);
        return View(item!, owner: true);
    }

    public async Task<ItemView> Archive(Viewer caller)
    {
        var current = caller.IsModerator ? Existing() : Owned(caller.UserId);
        await Commit(current with { Status = ItemWorkflow.Next(current.Status, ItemWorkflow.Archive) });
        return View(item!, owner: true);
    }

    public async Task<ItemView> Review(Guid moderatorId, string action, string reason)
    {
        var current = Existing();
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.EnumerateRunes().Count() is < 5 or > 500)
            throw DomainException.Validation("reason", trimmed.Length < 5 ? FieldCodes.TooShort : FieldCodes.TooLong, "A reason has 5-500 characters.");
        var next = action switch
        {
            ReviewActions.Approve when current is { Status: ItemStatuses.Active, NeedsReview: true } => current with { NeedsReview = false },
            ReviewActions.Approve when current.Photos.Count == 0 => throw new DomainException(ErrorCodes.PublishRequirementsNotMet,
                "An item needs a photo to go live.", extensions: new Dictionary<string, object> { ["missing"] = new[] { "photos" } }),
            ReviewActions.Approve => current with
            {
                Status = ItemWorkflow.Next(current.Status, ItemWorkflow.Approve),
                NeedsReview = false,
                ReviewReason = null,
                PublishedAt = current.PublishedAt ?? time.GetUtcNow(),
            },
            ReviewActions.Archive => current with { Status = ItemWorkflow.Next(current.Status, ItemWorkflow.Archive) },
            ReviewActions.Flag => current with { Status = ItemWorkflow.Next(current.Status, ItemWorkflow.Flag), ReviewReason = trimmed },
            _ => throw DomainException.Validation("action", FieldCodes.UnknownValue, "action is one of approve, archive, flag."),
        };
        await Commit(next);
        await audit.WriteAsync(new AuditEntry("ITEM_REVIEWED", "item", Id.ToString(), moderatorId,
            new { action, reason = trimmed, from = current.Status, to = next.Status }), time.GetUtcNow());
        return View(item!, owner: true);
    }

    private ICategoryCatalogGrain Catalog => GrainFactory.GetGrain<ICategoryCatalogGrain>(0);

    private ItemRecord Existing() => item ?? throw DomainException.NotFound();

    /// <summary>Someone else's item, or a missing one, is not found (SPEC.md 8.1) — never a hint that it exists.</summary>
    private ItemRecord Owned(Guid? callerId) => item is { } current && current.OwnerId == callerId ? current : throw DomainException.NotFound();

    private ItemRecord Visible(Viewer viewer) =>
        item is { } current && (ItemWorkflow.IsPublic(current.Status) || viewer.IsModerator || viewer.UserId == current.OwnerId)
            ? current
            : throw DomainException.NotFound();

    private static CategoryStatus KeptCategory(ItemRecord current) =>
        new(new Category(current.Fields.CategoryId, "", "", null, 0, true), Usable: true, []);

    private static bool NeedsRecheck(ItemFields before, ItemFields after) =>
        before.CategoryId != after.CategoryId
        || !string.Equals(before.Brand, after.Brand, StringComparison.Ordinal)
        || !string.Equals(before.Model, after.Model, StringComparison.Ordinal);

    private static ItemDraft Apply(ItemDraft current, ItemPatch patch)
    {
        var v = patch.Values;
        bool Has(string name) => patch.Present.Contains(name);
        return new ItemDraft(
            Has("title") ? v.Title : current.Title,
            Has("description") ? v.Description : current.Description,
            Has("categoryId") ? v.CategoryId : current.CategoryId,
            Has("condition") ? v.Condition : current.Condition,
            Has("priceMinor") ? v.PriceMinor : current.PriceMinor,
            Has("tags") ? v.Tags ?? [] : current.Tags,
            Has("attributes") ? v.Attributes ?? new Dictionary<string, string>() : current.Attributes,
            Has("knownIssues") ? v.KnownIssues ?? "" : current.KnownIssues);
    }

    private async Task Commit(ItemRecord next)
    {
        var current = Existing();
        var now = time.GetUtcNow();
        next = next with
        {
            Version = current.Version + 1,
            UpdatedAt = now,
            StatusChangedAt = next.Status == current.Status ? current.StatusChangedAt : now,
        };
        if (!await store.SaveAsync(next, current.Version))
        {
            // Another activation wrote first (only possible around a silo failure): take its row, refuse this change.
            item = await store.LoadAsync(Id);
            throw ItemWorkflow.InvalidTransition(item?.Status ?? current.Status);
        }
        item = next;
        await Project();
        if (next.Status == ItemStatuses.PendingReview && current.Status != ItemStatuses.PendingReview) await notices.ItemReview(next);
        await TellTradesItemLeft(current.Status, next.Status);
    }
}
