using System.Text.Json.Nodes;

namespace NeXChange.Deploy.Tests;

public sealed class KubernetesTests
{
    private static readonly KubernetesManifests Manifests = KubernetesManifests.Instance;

    private static string Text(JsonNode? node) => KubernetesManifests.Text(node);

    private static Dictionary<string, string> Labels(JsonNode? labels) => labels!.AsObject().ToDictionary(l => l.Key, l => Text(l.Value));

    private static Dictionary<string, string> PodLabels(string workload) =>
        Labels(Manifests.Find("Deployment", workload)["spec"]!["template"]!["metadata"]!["labels"]);

    private static bool Selects(JsonNode? matchLabels, Dictionary<string, string> labels) =>
        Labels(matchLabels).All(l => labels.GetValueOrDefault(l.Key) == l.Value);

    [Fact]
    public void every_pod_meets_the_restricted_pod_security_standard_with_a_read_only_root_file_system()
    {
        Assert.Equal("restricted", Text(Manifests.Find("Namespace", "nexchange")["metadata"]!["labels"]!["pod-security.kubernetes.io/enforce"]));
        Assert.Equal(["nexchange-migrate", "nexchange-silo", "nexchange-api"], Manifests.Workloads.Select(w => w.Name));
        foreach (var (name, pod) in Manifests.Workloads)
        {
            Assert.True(pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>(), name);
            Assert.Equal("RuntimeDefault", Text(pod["securityContext"]!["seccompProfile"]!["type"]));
            foreach (var container in KubernetesManifests.Containers(pod))
            {
                var context = container["securityContext"]!;
                Assert.False(context["allowPrivilegeEscalation"]!.GetValue<bool>(), name);
                Assert.True(context["readOnlyRootFilesystem"]!.GetValue<bool>(), name);
                Assert.Equal(["ALL"], context["capabilities"]!["drop"]!.AsArray().Select(Text));
                Assert.Contains(container["volumeMounts"]!.AsArray(), m => Text(m!["mountPath"]) == "/tmp");
            }
        }
    }

    [Fact]
    public void every_container_runs_the_one_image_and_requests_cpu_and_memory_with_a_memory_limit()
    {
        var containers = Manifests.Workloads.SelectMany(w => KubernetesManifests.Containers(w.Pod)).ToList();
        Assert.Single(containers.Select(c => Text(c["image"])).Distinct());
        Assert.All(containers, c =>
        {
            Assert.NotNull(c["resources"]!["requests"]!["cpu"]);
            Assert.NotNull(c["resources"]!["requests"]!["memory"]);
            Assert.NotNull(c["resources"]!["limits"]!["memory"]);
        });
    }

    [Fact]
    public void every_probe_names_a_port_its_container_declares()
    {
        foreach (var container in Manifests.Workloads.SelectMany(w => KubernetesManifests.Containers(w.Pod)))
        {
            var ports = container["ports"]?.AsArray().Select(p => Text(p!["name"])).ToList() ?? [];
            foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" }.Select(p => container[p]).OfType<JsonObject>())
                Assert.Contains(Text((probe["httpGet"] ?? probe["tcpSocket"])!["port"]), ports);
        }
    }

    [Fact]
    public void the_api_service_selects_the_api_pods_and_targets_the_port_the_api_listens_on()
    {
        var service = Manifests.Find("Service", "nexchange-api")["spec"]!;
        Assert.True(Selects(service["selector"], PodLabels("nexchange-api")));
        Assert.False(Selects(service["selector"], PodLabels("nexchange-silo")));

        var port = KubernetesManifests.Container(Manifests.Pod("nexchange-api"), "api")["ports"]!.AsArray()
            .Single(p => Text(p!["name"]) == Text(service["ports"]![0]!["targetPort"]))!;
        Assert.Equal(Manifests.Environment("nexchange-api", "api")["ASPNETCORE_HTTP_PORTS"], Text(port["containerPort"]));
    }

    [Fact]
    public void the_silo_pods_carry_the_clusters_identity_as_orleans_labels_and_declare_the_configured_ports()
    {
        var environment = Manifests.Environment("nexchange-silo", "silo");
        var labels = PodLabels("nexchange-silo");
        Assert.Equal(environment["NEXCHANGE__Orleans__ClusterId"], labels["orleans/clusterId"]);
        Assert.Equal(environment["NEXCHANGE__Orleans__ServiceId"], labels["orleans/serviceId"]);

        var configured = new[] { environment["NEXCHANGE__Orleans__SiloPort"], environment["NEXCHANGE__Orleans__GatewayPort"] };
        var declared = KubernetesManifests.Container(Manifests.Pod("nexchange-silo"), "silo")["ports"]!.AsArray().Select(p => Text(p!["containerPort"]));
        Assert.Equal(configured, declared);
        var policy = Manifests.Find("NetworkPolicy", "nexchange-silo")["spec"]!;
        Assert.Equal(configured, policy["ingress"]![0]!["ports"]!.AsArray().Select(p => Text(p!["port"])));
    }

    [Fact]
    public void only_silos_and_api_nodes_may_reach_the_silo_ports_and_a_drain_takes_one_silo_of_several_at_a_time()
    {
        var policy = Manifests.Find("NetworkPolicy", "nexchange-silo")["spec"]!;
        Assert.True(Selects(policy["podSelector"]!["matchLabels"], PodLabels("nexchange-silo")));
        var allowed = Assert.Single(policy["ingress"]![0]!["from"]!.AsArray())!["podSelector"]!["matchExpressions"]!.AsArray()
            .ToDictionary(e => Text(e!["key"]), e => e!["values"]!.AsArray().Select(Text).ToList());
        Assert.Equal(["silo", "api"], allowed["app.kubernetes.io/component"]);

        var budget = Manifests.Find("PodDisruptionBudget", "nexchange-silo")["spec"]!;
        Assert.True(Selects(budget["selector"]!["matchLabels"], PodLabels("nexchange-silo")));
        Assert.True(Manifests.Find("Deployment", "nexchange-silo")["spec"]!["replicas"]!.GetValue<long>() > budget["maxUnavailable"]!.GetValue<long>());
    }

    [Fact]
    public void the_silos_run_orleans_kubernetes_hosting_under_an_account_that_may_read_watch_and_label_pods_and_nothing_else_gets_a_token()
    {
        var environment = Manifests.Environment("nexchange-silo", "silo");
        Assert.Equal("true", environment["NEXCHANGE__Orleans__Kubernetes"]);
        Assert.Equal(KubernetesManifests.PodFields["status.podIP"], environment["NEXCHANGE__Orleans__AdvertisedIp"]);
        Assert.Equal(KubernetesManifests.PodFields["metadata.name"], environment["POD_NAME"]);
        Assert.Equal(KubernetesManifests.PodFields["metadata.namespace"], environment["POD_NAMESPACE"]);

        var account = Text(Manifests.Pod("nexchange-silo")["serviceAccountName"]);
        var binding = Manifests.Find("RoleBinding", "nexchange-silo-pods");
        Assert.Equal(account, Text(Assert.Single(binding["subjects"]!.AsArray())!["name"]));
        var rule = Assert.Single(Manifests.Find("Role", Text(binding["roleRef"]!["name"]))["rules"]!.AsArray())!;
        Assert.Equal(["pods"], rule["resources"]!.AsArray().Select(Text));
        Assert.Equal(["get", "watch", "list", "patch"], rule["verbs"]!.AsArray().Select(Text));

        Assert.All(new[] { "nexchange-api", "nexchange-migrate" }, w => Assert.False(Manifests.Pod(w)["automountServiceAccountToken"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("nexchange-app", new[] { "nexchange-migrate", "nexchange-silo", "nexchange-api" })]
    [InlineData("nexchange-migrate", new[] { "nexchange-migrate" })]
    [InlineData("nexchange-silo", new[] { "nexchange-silo" })]
    [InlineData("nexchange-api", new[] { "nexchange-api" })]
    public void a_secret_reaches_only_the_pods_that_need_it(string secret, string[] workloads) =>
        Assert.Equal(workloads, Manifests.Workloads.Where(w => w.Pod.ToJsonString().Contains($"\"name\":\"{secret}\"", StringComparison.Ordinal)).Select(w => w.Name));

    [Fact]
    public void the_secret_template_holds_placeholders_in_place_of_every_password_and_key()
    {
        var values = Manifests.OfKind("Secret").SelectMany(s => s["stringData"]!.AsObject()).ToList();
        Assert.NotEmpty(values);
        Assert.All(values, v =>
        {
            var text = Text(v.Value);
            Assert.Matches(KubernetesManifests.Placeholder(), text);
            Assert.DoesNotMatch("(?i)password=(?!<[a-z0-9-]+>)", text);
            if (!text.Contains('=', StringComparison.Ordinal)) Assert.Matches("^<[a-z0-9-]+>$", text);
        });
    }
}
