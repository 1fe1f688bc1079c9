namespace NeXChange.Hosting;

/// <summary>The Orleans grain-state provider every persistent grain names; the silo registers it on PostgreSQL.</summary>
public static class GrainStorage
{
    public const string Name = "state";
}
