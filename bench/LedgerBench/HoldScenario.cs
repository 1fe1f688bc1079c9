using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Credits;
using NeXChange.Errors;

namespace NeXChange.Bench;

/// <summary>
/// Escrow movements per second (issue 12 `holds`): every caller repeats an admin grant (ISSUANCE → a user), an
/// escrow_hold by a random buyer (AV −(P+F); ES +P; FEES +F) and the release of that hold to a random seller
/// (ES −P; AV +P), through the buyers' CreditAccountGrains as TradeGrain calls them. A hold needs no trade row (the
/// ledger's holds table is keyed by the trade id alone), so none is written. Baseline in the same run: the same
/// movements as plain SQL transactions (PlainLedger), which lock the issuance and fee rows as the ledger does.
/// Usage (through bench/run.sh holds): [accounts=1000] [seconds=15] [concurrency=64]
/// </summary>
public static class HoldScenario
{
    private sealed record Path(Func<Guid, long, Task> Grant, Func<Guid, Guid, long, long, Task> Hold, Func<Guid, Guid, Guid, long, Task> Release);

    private sealed record OpenHold(Guid TradeId, Guid Buyer, long Price);

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
        var accounts = Arg(0, 1000);
        var seconds = Arg(1, 15);
        var concurrency = Arg(2, 64);

        await using var cluster = await BenchCluster.StartAsync("holds");
        var grains = cluster.Grains;
        var users = await Seed.UsersAsync(cluster.DataSource, accounts);
        await Seed.FundAsync(grains, users, 1_000_000);
        await using var plain = await PlainLedger.CreateAsync(cluster.Postgres, users, 1_000_000);
        var fees = cluster.Silo.Services.GetRequiredService<IFeePolicy>();
        Console.WriteLine($"{accounts} funded accounts, {concurrency} concurrent callers each repeating grant, hold, release; {seconds} s per path, {Environment.ProcessorCount} cores");

        static void Require(bool moved, string what)
        {
            if (!moved) throw new DomainException(ErrorCodes.InsufficientFunds, $"plain: {what} refused");
        }
        var plainPath = new Path(
            async (user, amount) => Require(await plain.GrantAsync(user, amount), "grant"),
            async (trade, buyer, price, fee) => Require(await plain.HoldAsync(trade, buyer, price, fee), "hold"),
            async (trade, buyer, seller, price) => Require(await plain.ReleaseAsync(trade, buyer, seller, price), "release"));
        var admin = Guid.CreateVersion7();
        var grainPath = new Path(
            (user, amount) => grains.GetGrain<ICreditAccountGrain>(user).GrantByAdmin(new AdminGrant(admin, Guid.NewGuid().ToString(), amount, "benchmark grant")),
            (trade, buyer, price, fee) => grains.GetGrain<ICreditAccountGrain>(buyer).PlaceHold(trade, price, fee),
            (trade, buyer, seller, _) => grains.GetGrain<ICreditAccountGrain>(buyer).ReleaseHold(trade, seller));

        Task<Load.Mix> Run(string name, Path path)
        {
            var open = new OpenHold?[concurrency];
            return Load.MeasureMixAsync($"{name}: all movements", [$"{name}: grant", $"{name}: hold", $"{name}: release"], concurrency,
                TimeSpan.FromSeconds(seconds), async (caller, _, kind) =>
                {
                    var random = Random.Shared;
                    switch (kind)
                    {
                        case 0:
                            await path.Grant(users[random.Next(users.Length)], random.Next(1, 1000));
                            break;
                        case 1:
                            var (trade, buyer, price) = (Guid.CreateVersion7(), users[random.Next(users.Length)], (long)random.Next(1, 1000));
                            open[caller] = null;
                            await path.Hold(trade, buyer, price, fees.FeeFor(price));
                            open[caller] = new OpenHold(trade, buyer, price);
                            break;
                        default:
                            var hold = open[caller] ?? throw new InvalidOperationException("no hold to release: the caller's hold before was refused");
                            var seller = users[random.Next(users.Length)];
                            await path.Release(hold.TradeId, hold.Buyer, seller == hold.Buyer ? users[(Array.IndexOf(users, seller) + 1) % users.Length] : seller, hold.Price);
                            open[caller] = null;
                            break;
                    }
                });
        }

        var baseline = await Run("baseline: plain SQL", plainPath);
        var measured = await Run("CreditAccountGrain", grainPath);
        var report = await cluster.ReconcileAsync();
        Report.Print("holds", new { accounts, concurrency, seconds },
            [new(baseline.All, measured.All), .. baseline.Kinds.Zip(measured.Kinds, (b, m) => new Comparison(b, m))],
            new { reconciliationOk = report.Ok });
        return report.Ok ? 0 : 1;
    }
}
