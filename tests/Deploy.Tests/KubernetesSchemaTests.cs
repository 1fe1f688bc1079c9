using k8s;

namespace NeXChange.Deploy.Tests;

public sealed class KubernetesSchemaTests
{
    private static readonly KubernetesManifests Manifests = KubernetesManifests.Instance;

    [Fact]
    public void every_object_in_deploy_k8s_is_valid_against_the_kubernetes_api_schema()
    {
        var problems = SchemaValidators.Kubernetes(Manifests.Objects);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void the_schema_check_refuses_a_container_without_a_name_and_a_pull_policy_kubernetes_does_not_know()
    {
        var api = Manifests.Find("Deployment", "nexchange-api").DeepClone().AsObject();
        var container = api["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
        container.Remove("name");
        container["imagePullPolicy"] = "Sometimes";

        var problem = Assert.Single(SchemaValidators.Kubernetes([api]));
        Assert.Contains("must have required property name", problem, StringComparison.Ordinal);
        Assert.Contains("imagePullPolicy must be equal to one of the allowed values", problem, StringComparison.Ordinal);
    }

    /// <summary>The generated validators let unknown fields through; the Kubernetes client's models, read strictly, do not.</summary>
    [Fact]
    public void every_field_in_deploy_k8s_is_one_the_kubernetes_api_defines()
    {
        foreach (var file in KubernetesManifests.Files)
            Assert.NotEmpty(KubernetesYaml.LoadAllFromString(File.ReadAllText(file), strict: true));
    }

    [Fact]
    public void the_field_check_refuses_a_misspelt_field()
    {
        var text = File.ReadAllText(Path.Combine(KubernetesManifests.Folder, "60-api.yaml")).Replace("readinessProbe:", "readinesProbe:", StringComparison.Ordinal);

        var refusal = Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(text, strict: true));
        Assert.Contains("readinesProbe", refusal.Message, StringComparison.Ordinal);
    }
}
