using System.Net;

namespace NeXChange.Deploy.Tests;

/// <summary>Every setting the hosts require is in the manifests, and the health checks probe routes the API maps.</summary>
public sealed class HostSettingsTests
{
    private static readonly ComposeFile Compose = ComposeFile.Instance;
    private static readonly KubernetesManifests Kubernetes = KubernetesManifests.Instance;

    [Fact]
    public async Task the_compose_api_node_has_every_setting_the_api_requires_and_its_health_check_is_a_route_it_maps()
    {
        var routes = await HostBuilds.Api(Compose.Environment("api"));

        var test = Compose.Service("api")["healthcheck"]!["test"]!.AsArray().Select(ComposeFile.Scalar).ToList();
        Assert.Equal(["CMD", "curl", "-fsS", "http://127.0.0.1:8080/health/ready"], test);
        Assert.Contains(new Uri(test[^1]).AbsolutePath, routes);
    }

    [Fact]
    public void the_compose_silo_has_every_setting_the_silo_requires_with_the_address_its_command_sets()
    {
        var command = string.Join(' ', Compose.Service("silo")["command"]!.AsArray().Select(c => Compose.Interpolate(ComposeFile.Scalar(c))));
        Assert.Contains("NEXCHANGE__Orleans__AdvertisedIp=\"$(hostname -i | cut -d' ' -f1)\" exec dotnet /app/silo/NeXChange.Silo.dll", command, StringComparison.Ordinal);

        var endpoints = HostBuilds.Silo(new Dictionary<string, string>(Compose.Environment("silo")) { ["NEXCHANGE__Orleans__AdvertisedIp"] = "172.18.0.5" });

        Assert.Equal(IPAddress.Parse("172.18.0.5"), endpoints.AdvertisedIPAddress);
        Assert.Null(endpoints.SiloListeningEndpoint); // the advertised address only
    }

    [Fact]
    public void the_compose_migrate_job_has_every_setting_the_migrate_command_requires() =>
        HostBuilds.Migrate(Compose.Environment("migrate"));

    [Fact]
    public async Task the_kubernetes_api_nodes_have_every_setting_the_api_requires_and_their_probes_are_routes_it_maps()
    {
        var routes = await HostBuilds.Api(Kubernetes.Environment("nexchange-api", "api"));

        var api = KubernetesManifests.Container(Kubernetes.Pod("nexchange-api"), "api");
        var probed = new[] { "livenessProbe", "readinessProbe", "startupProbe" }.Select(p => KubernetesManifests.Text(api[p]!["httpGet"]!["path"])).ToList();
        Assert.Equal(["/health/live", "/health/ready", "/health/live"], probed);
        Assert.All(probed, path => Assert.Contains(path, routes));
    }

    [Fact]
    public void the_kubernetes_silos_have_every_setting_the_silo_requires_and_run_orleans_kubernetes_hosting_on_the_pods_address()
    {
        var endpoints = HostBuilds.Silo(Kubernetes.Environment("nexchange-silo", "silo"));

        Assert.Equal(IPAddress.Parse(KubernetesManifests.PodFields["status.podIP"]), endpoints.AdvertisedIPAddress);
        // Set by the Kubernetes hosting alone: every address of the pod, on the configured ports.
        Assert.Equal(new IPEndPoint(IPAddress.Any, 11111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 30000), endpoints.GatewayListeningEndpoint);
    }

    [Fact]
    public void the_kubernetes_migrate_job_has_every_setting_the_migrate_command_requires() =>
        HostBuilds.Migrate(Kubernetes.Environment("nexchange-migrate", "migrate"));

    [Fact]
    public async Task the_check_fails_when_a_required_setting_is_missing()
    {
        var withoutKey = Kubernetes.Environment("nexchange-api", "api");
        withoutKey.Remove("NEXCHANGE__Jwt__SigningKey");

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => HostBuilds.Api(withoutKey));
        Assert.Contains("NEXCHANGE__Jwt__SigningKey", refusal.Message, StringComparison.Ordinal);
    }
}
