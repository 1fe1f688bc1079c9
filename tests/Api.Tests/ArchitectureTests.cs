using System.Reflection;
using NeXChange.Api.Hosting;

namespace NeXChange.Api.Tests;

/// <summary>The API is an Orleans client: it reaches grains through their interfaces only (DESIGN.md 1).</summary>
public sealed class ArchitectureTests
{
    /// <summary>Every NeXChange assembly the API loads, following references transitively.</summary>
    private static HashSet<string> ProjectAssembliesOf(Assembly root)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<AssemblyName>(root.GetReferencedAssemblies());
        while (pending.TryPop(out var name))
        {
            if (!name.Name!.StartsWith("NeXChange.", StringComparison.Ordinal) || !seen.Add(name.Name)) continue;
            foreach (var next in Assembly.Load(name).GetReferencedAssemblies()) pending.Push(next);
        }
        return seen;
    }

    [Fact]
    public void the_api_does_not_depend_on_the_grains_project_even_indirectly()
    {
        var loaded = ProjectAssembliesOf(typeof(ApiHost).Assembly);

        Assert.Contains("NeXChange.Grains.Abstractions", loaded);
        Assert.DoesNotContain("NeXChange.Grains", loaded);
        Assert.DoesNotContain("NeXChange.Silo", loaded);
    }
}
