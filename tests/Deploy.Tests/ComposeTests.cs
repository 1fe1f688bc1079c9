using System.Text.Json.Nodes;

namespace NeXChange.Deploy.Tests;

public sealed class ComposeTests
{
    private static readonly ComposeFile Compose = ComposeFile.Instance;

    [Fact]
    public void only_the_api_publishes_a_port_on_the_hosts_loopback_by_default_and_it_is_the_port_the_api_listens_on()
    {
        Assert.Equal(["api"], Compose.Services.Where(s => s.Value!["ports"] is not null || s.Value["network_mode"] is not null).Select(s => s.Key));

        var port = Compose.Interpolate(ComposeFile.Scalar(Assert.Single(Compose.Service("api")["ports"]!.AsArray()))).Split(':');
        Assert.Equal(["127.0.0.1", "8080", Compose.Environment("api")["ASPNETCORE_HTTP_PORTS"]], port);
    }

    [Fact]
    public void the_silo_api_and_migrate_job_share_one_image_built_from_deploy_dockerfile_and_run_read_only_without_privileges()
    {
        Assert.Equal(["migrate", "silo", "api"], Compose.AppServices);
        foreach (var name in Compose.AppServices)
        {
            var service = Compose.Service(name);
            Assert.Equal("nexchange:local", Compose.Interpolate(ComposeFile.Scalar(service["image"])));
            Assert.True(service["read_only"]!.GetValue<bool>(), name);
            Assert.Equal(["ALL"], service["cap_drop"]!.AsArray().Select(ComposeFile.Scalar));
            Assert.Equal(["no-new-privileges:true"], service["security_opt"]!.AsArray().Select(ComposeFile.Scalar));
        }
    }

    [Theory]
    [InlineData("NEXCHANGE_POSTGRES_PASSWORD", new[] { "postgres", "postgres-roles" })]
    [InlineData("NEXCHANGE_POSTGRES_OWNER_PASSWORD", new[] { "postgres-roles", "migrate" })]
    [InlineData("NEXCHANGE_JWT_SIGNING_KEY", new[] { "api" })]
    public void a_secret_reaches_only_the_services_that_need_it(string secret, string[] services) =>
        Assert.Equal(services, Compose.Services.Where(s => s.Value!["environment"]?.ToJsonString().Contains("${" + secret + ":", StringComparison.Ordinal) == true).Select(s => s.Key));

    [Fact]
    public void a_service_waited_for_as_healthy_has_a_health_check_and_one_waited_for_as_completed_is_never_restarted()
    {
        foreach (var (name, service) in Compose.Services)
            foreach (var (dependency, condition) in service!["depends_on"]?.AsObject() ?? [])
            {
                var target = Compose.Service(dependency);
                switch (ComposeFile.Scalar(condition!["condition"]))
                {
                    case "service_healthy": Assert.True(target["healthcheck"] is JsonObject, $"{name} waits for {dependency} to be healthy"); break;
                    case "service_completed_successfully": Assert.Contains(ComposeFile.Scalar(target["restart"]), new[] { "", "no" }); break;
                }
            }
    }

    [Fact]
    public void compose_secrets_sh_generates_every_secret_compose_requires_keeps_them_on_a_rerun_and_only_its_user_reads_them()
    {
        var generated = Compose.Secrets;
        var required = Compose.RequiredVariables().Except(ComposeFile.OperatorSettings.Keys).ToHashSet();
        Assert.Subset(generated.Values.Keys.ToHashSet(), required);
        Assert.All(required.Where(v => v.EndsWith("PASSWORD", StringComparison.Ordinal) || v.EndsWith("KEY", StringComparison.Ordinal) && v != "NEXCHANGE_S3_ACCESS_KEY"),
            v => Assert.Matches("^[A-Za-z0-9]{48}$", generated.Values[v]));
        Assert.Equal(generated.FirstRun, generated.Values);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, generated.Mode);
    }

    [Fact]
    public void the_generated_env_file_is_ignored_by_git_and_left_out_of_the_image_build()
    {
        Assert.Contains("deploy/.env", File.ReadAllLines(Repo.PathOf(".gitignore")));
        var ignore = File.ReadAllLines(Repo.PathOf("deploy/Dockerfile.dockerignore")).Where(l => l.Length > 0 && l[0] != '#').ToList();
        Assert.Equal("**", ignore[0]);
        Assert.All(ignore.Where(l => l[0] == '!'), l => Assert.Contains(l, new[] { "!global.json", "!Directory.Build.props", "!Directory.Packages.props", "!src/" }));
    }
}
