using System.Net;
using NeXChange.Hosting;
using Orleans.Dashboard;
using Orleans.Configuration;
using StackExchange.Redis;

namespace NeXChange.Silo.Hosting;

public static class SiloSetup
{
    /// <summary>Cluster identity, endpoints, Redis membership, Postgres state and reminders, dashboard.</summary>
    public static ISiloBuilder UseNeXChangeSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = configuration["Orleans:ClusterId"] ?? "nexchange-local";
            o.ServiceId = configuration["Orleans:ServiceId"] ?? "nexchange";
        });
        var redis = configuration.Require("ConnectionStrings:Redis");
        silo.UseRedisClustering(o =>
        {
            o.ConfigurationOptions = ConfigurationOptions.Parse(redis);
            // Dead silos' entries are dropped after a day instead of accumulating.
            o.EntryExpiry = TimeSpan.FromDays(1);
        });
        // Failure detection (probe timeout, missed probes, votes...) is Orleans' default unless Orleans:Membership says
        // otherwise; the fault drill (tests/Faults.Tests) shortens it so a killed silo is declared dead sooner.
        silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
        silo.ConfigureEndpoints(
            IPAddress.Parse(configuration["Orleans:AdvertisedIp"] ?? "127.0.0.1"),
            configuration.GetValue("Orleans:SiloPort", 11111),
            configuration.GetValue("Orleans:GatewayPort", 30000),
            listenOnAnyHostAddress: configuration.GetValue("Orleans:ListenOnAnyHostAddress", false));
        // In Kubernetes (deploy/k8s): the silo is named after its pod (POD_NAME, POD_NAMESPACE) and a silo whose pod is
        // gone is declared dead at once rather than after missed probes. Membership stays in Redis; Orleans then listens
        // on every address of the pod, which has only the pod network's.
        if (configuration.GetValue("Orleans:Kubernetes", false)) silo.UseKubernetesHosting();
        return silo.UseNeXChangeGrains(configuration).AddDashboard();
    }

    /// <summary>Grain state and reminders on PostgreSQL, and the grain call filters; shared with the grain test cluster.</summary>
    public static ISiloBuilder UseNeXChangeGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.AddIncomingGrainCallFilter<InfrastructureErrors>();
        var postgres = configuration.Require("ConnectionStrings:Postgres");
        silo.AddAdoNetGrainStorage(GrainStorage.Name, o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = postgres;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = postgres;
        });
        return silo;
    }
}
