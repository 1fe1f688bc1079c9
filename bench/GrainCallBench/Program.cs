using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeXChange.Bench;
using NeXChange.Users;

// Raw grain call rate (issue 12 `grain-calls`) of IUserGrain.GetSessionIdentity: the cheap read every authenticated API
// request makes, answered from the activated grain's memory. Called (a) in-process through the silo host's
// IGrainFactory and (b) through an external IClusterClient over the silo's gateway, as the API calls it. An existing
// method rather than a bench-only grain: the silo loads the product's grain assemblies only. Baseline in the same run:
// the same work as a plain async method call without Orleans (PlainIdentities). Every grain is activated before the
// timed phases, so no phase pays for loading a user.
// Usage (through bench/run.sh grain-calls): GrainCallBench [seconds=15] [concurrency=64]
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var seconds = Arg(0, 15);
var concurrency = Arg(1, 64);
const int Users = 1000;

await using var cluster = await BenchCluster.StartAsync("grain_calls");
var users = await Seed.UsersAsync(cluster.DataSource, Users);
using var client = await cluster.StartClientAsync();
var inProcess = cluster.Grains;
var external = client.Services.GetRequiredService<IClusterClient>();
await Parallel.ForEachAsync(users, async (id, _) =>
{
    await inProcess.GetGrain<IUserGrain>(id).GetSessionIdentity();
    await external.GetGrain<IUserGrain>(id).GetSessionIdentity();
});
Console.WriteLine($"{Users} activated user grains, {concurrency} concurrent callers, {seconds} s per scenario, {Environment.ProcessorCount} cores");

var plain = new PlainIdentities(users);
Task<LatencySummary> Run(string name, Func<Guid, Task<AuthIdentity?>> call) =>
    Load.MeasureAsync(name, concurrency, TimeSpan.FromSeconds(seconds), (caller, i) => call(users[(int)((caller * 7919 + i) % Users)]));
var baseline = await Run("baseline: plain async method", plain.GetSessionIdentity);
var local = await Run("in-process IGrainFactory", id => inProcess.GetGrain<IUserGrain>(id).GetSessionIdentity());
var remote = await Run("external IClusterClient (gateway)", id => external.GetGrain<IUserGrain>(id).GetSessionIdentity());
Report.Print("grain-calls", new { method = "IUserGrain.GetSessionIdentity", users = Users, concurrency, seconds }, [new(baseline, local, remote)]);
await client.StopAsync();
return local.Errors + remote.Errors == 0 ? 0 : 1;
