namespace NeXChange.Deploy.Tests;

public sealed class ComposeSchemaTests
{
    [Fact]
    public void compose_yaml_is_valid_against_the_compose_specification_schema()
    {
        var problems = SchemaValidators.Compose(ComposeFile.Instance.Document);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void the_schema_check_refuses_a_service_key_compose_does_not_know()
    {
        var document = ComposeFile.Instance.Document.DeepClone().AsObject();
        document["services"]!["api"]!["healthchek"] = ComposeFile.Instance.Service("api")["healthcheck"]!.DeepClone();

        Assert.Contains(SchemaValidators.Compose(document), p => p.Contains("/services/api", StringComparison.Ordinal));
    }
}
