using Microsoft.Extensions.DependencyInjection;
using NeXChange.Storage;
using NeXChange.TestSupport;

namespace NeXChange.Grains.Tests.Maintenance;

/// <summary>
/// Blobs in a cluster's filesystem store, dated a given age before the database's clock at fixture start. The orphan
/// cleanup judges age by the silo's system clock, which is this machine's, like the database's; so the age is exact
/// to within how long the fixture has run, far inside the 24 h grace either way.
/// </summary>
public static class AgedBlobs
{
    public static async Task<string> PutAgedBlobAsync(this TestCluster cluster, string key, TimeSpan age)
    {
        await cluster.SiloServices().GetRequiredService<IBlobStore>().PutAsync(key, new MemoryStream([1, 2, 3]), "image/jpeg");
        File.SetLastWriteTimeUtc(Path.Combine(cluster.DataDir, "blobs", key), (cluster.DatabaseStart - age).UtcDateTime);
        return key;
    }
}
