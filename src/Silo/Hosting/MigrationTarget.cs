using NeXChange.Hosting;
using Microsoft.Extensions.Configuration;
using NeXChange.Credits;
using Npgsql;

namespace NeXChange.Silo.Hosting;

/// <summary>
/// What a migration sets up besides the schema: the runtime role to grant (the user of ConnectionStrings:Postgres,
/// never the owner) and the daily outflow limits the ledger triggers enforce (the silo's Limits settings).
/// </summary>
public sealed record MigrationTarget(string RuntimeRole, long DailyOutflowMinor, int DailyOutflowCount)
{
    public static MigrationTarget From(IConfiguration configuration)
    {
        var runtime = new NpgsqlConnectionStringBuilder(configuration.Require("ConnectionStrings:Postgres")).Username
            ?? throw new InvalidOperationException("Setting 'ConnectionStrings:Postgres' names no user (Username=...).");
        var limits = new LimitOptions();
        configuration.GetSection(LimitOptions.Section).Bind(limits);
        return new MigrationTarget(runtime, limits.DailyOutflowMinor, limits.DailyOutflowCount);
    }
}
