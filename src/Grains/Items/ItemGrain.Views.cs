using Microsoft.Extensions.Logging;
using Npgsql;

namespace NeXChange.Items;

/// <summary>What the item writes into the search projection.</summary>
public sealed partial class ItemGrain
{
    private static readonly TimeSpan ProjectionRetry = TimeSpan.FromSeconds(5);

    private IGrainTimer? projectionRepair;

    private ItemView View(ItemRecord current, bool owner) => views.View(current, owner);

    /// <summary>
    /// Writes the current version into the search projection; the index's version guard makes a late or repeated
    /// write harmless. Non-active items are written too, so they leave the results at once. The items row is the
    /// truth and is already committed when this runs: if the index cannot be written, the change still succeeds and
    /// a timer retries until the projection has caught up (and activation repairs it after a crash).
    /// </summary>
    private async Task Project()
    {
        try
        {
            await search.UpsertAsync(views.SearchDocument(item!));
            projectionRepair?.Dispose();
            projectionRepair = null;
        }
        catch (NpgsqlException e)
        {
            logger.LogWarning(e, "Search projection of item {ItemId} is behind; retrying", Id);
            projectionRepair ??= this.RegisterGrainTimer(Project, ProjectionRetry, ProjectionRetry);
        }
    }
}
