using NeXChange.Items;

namespace NeXChange.Silo.Commands;

/// <summary><c>rebuild-projections</c>: re-writes the search projection of every item from the items table and prints the counts.</summary>
public sealed class RebuildProjectionsCommand(SearchProjectionRebuild rebuild) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandArguments arguments, CommandConsole console)
    {
        var counts = await rebuild.RunAsync();
        await console.Output.WriteLineAsync(
            $"search projection: {counts.Items} items read, {counts.Written} documents written, {counts.Current} already current");
        return ExitCodes.Ok;
    }
}
