using NeXChange.Errors;
using NeXChange.Search;
using Orleans.Concurrency;

namespace NeXChange.Trading.SafeZones;

/// <summary>Admin management of safe zones (SPEC.md 8.6). The table is the only state, so any silo's worker answers.</summary>
[StatelessWorker]
public sealed class SafeZoneAdminGrain(SafeZoneStore store, TimeProvider time) : Grain, ISafeZoneAdminGrain
{
    private const double MinRadiusMi = 1;
    private const double MaxRadiusMi = 100;

    public async Task<SafeZone> Create(Guid adminId, SafeZoneDraft draft)
    {
        var zone = SafeZoneRules.Validate(Guid.CreateVersion7(), draft);
        await store.InsertAsync(zone, adminId, time.GetUtcNow());
        return zone;
    }

    public async Task<SafeZone> Get(Guid id) => await store.FindAsync(id) ?? throw DomainException.NotFound();

    public async Task<SafeZone> Update(Guid adminId, Guid id, SafeZoneDraft draft)
    {
        var zone = SafeZoneRules.Validate(id, draft);
        return await store.UpdateAsync(zone, adminId, time.GetUtcNow()) ? zone : throw DomainException.NotFound();
    }

    public async Task<SafeZonePage> List(double? lat, double? lng, double? radiusMi, string? before, int limit)
    {
        var errors = new List<FieldError>();
        SafeZoneRules.Coordinate(errors, "lat", lat, 90, required: false);
        SafeZoneRules.Coordinate(errors, "lng", lng, 180, required: false);
        if (radiusMi is not null && !(radiusMi >= MinRadiusMi && radiusMi <= MaxRadiusMi))
            errors.Add(new("radiusMi", FieldCodes.OutOfRange, $"radiusMi must be between {MinRadiusMi} and {MaxRadiusMi}."));
        // The filter is a point and a radius together, or nothing: each part given alone names what is missing.
        if ((lat is null) != (lng is null)) errors.Add(new(lat is null ? "lat" : "lng", FieldCodes.Required, "lat and lng go together."));
        else if ((lat is null) != (radiusMi is null))
            errors.AddRange(radiusMi is null
                ? [new("radiusMi", FieldCodes.Required, "A point needs a radius.")]
                : [new("lat", FieldCodes.Required, "A radius needs a point."), new("lng", FieldCodes.Required, "A radius needs a point.")]);
        if (limit is < 1 or > 100) errors.Add(new("limit", FieldCodes.OutOfRange, "limit must be between 1 and 100."));
        if (errors.Count > 0) throw DomainException.Validation([.. errors]);

        var after = before is null ? null : SafeZoneCursor.Decode(before);
        var point = lat is not null ? new GeoPoint(lat.Value, lng!.Value) : null;
        var rows = await store.ListAsync(point, radiusMi, after, limit);
        var page = rows.Take(limit).ToList();
        return new SafeZonePage([.. page.Select(r => r.Zone)], rows.Count > limit ? SafeZoneCursor.Encode(page[^1].Position) : null);
    }
}
