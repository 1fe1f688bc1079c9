using NeXChange.Items;

namespace NeXChange.Silo.Commands;

/// <summary><c>rebuild-projections</c>: re-writes the search projection of every item from the items table and prints the counts.</summary>
public sealed class RebuildProjectionsCommand(SearchProjectionRebuild rebuild)
{
    public async Task<int> RunAsync(TextWriter output)
    {
        var counts = await rebuild.RunAsync();
        await output.WriteLineAsync(
            $"search projection: {counts.Items} items read, {counts.Written} documents written, {counts.Current} already current");
        return 0;
    }
}
