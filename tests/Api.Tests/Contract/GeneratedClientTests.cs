using System.Diagnostics;

namespace NeXChange.Api.Tests.Contract;

/// <summary>
/// A client generated from the document by Kiota (the repo's local dotnet tool) is built and calls the running
/// API: the document is usable as the contract, and a refusal reaches the client with its stable code.
/// </summary>
public sealed class GeneratedClientTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string[] KiotaPackages =
    [
        "Microsoft.Kiota.Abstractions", "Microsoft.Kiota.Http.HttpClientLibrary", "Microsoft.Kiota.Serialization.Json",
        "Microsoft.Kiota.Serialization.Text", "Microsoft.Kiota.Serialization.Form", "Microsoft.Kiota.Serialization.Multipart",
    ];

    [Fact]
    public async Task A_kiota_client_generated_from_the_document_lists_categories_and_reads_a_refusal_code()
    {
        var repo = RepoRoot();
        var work = Directory.CreateTempSubdirectory("nexchange-kiota-").FullName;
        try
        {
            using var client = api.NewClient();
            var expected = (await (await client.GetAsync("/api/v1/categories")).Json()).GetProperty("items").GetArrayLength();
            Assert.True(expected > 0);
            var document = Path.Combine(work, "openapi.json");
            await File.WriteAllTextAsync(document, await client.GetStringAsync(OpenApiContract.DocumentPath));

            await Run(repo, "tool restore");
            await Run(repo, $"kiota generate -l CSharp -d {document} -o {Path.Combine(work, "Client")} -n NeXChange.Generated -c NeXChangeClient"
                + " --include-path /api/v1/categories --include-path /api/v1/admin/categories --clean-output");

            await File.WriteAllTextAsync(Path.Combine(work, "Directory.Packages.props"),
                $"<Project><Import Project=\"{Path.Combine(repo, "Directory.Packages.props")}\" /></Project>");
            await File.WriteAllTextAsync(Path.Combine(work, "Caller.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
                  <ItemGroup>{string.Concat(KiotaPackages.Select(p => $"<PackageReference Include=\"{p}\" />"))}</ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(work, "Program.cs"), """
                using Microsoft.Kiota.Abstractions.Authentication;
                using Microsoft.Kiota.Http.HttpClientLibrary;
                var client = new NeXChange.Generated.NeXChangeClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider()) { BaseUrl = args[0] });
                var tree = await client.Api.V1.Categories.GetAsync();
                Console.WriteLine(tree!.Items!.Count);
                try { await client.Api.V1.Admin.Categories.GetAsync(); Console.WriteLine("answered"); }
                catch (NeXChange.Generated.Models.ProblemDetails problem) { Console.WriteLine(problem.Code); }
                """);
            var output = await Run(work, $"run -c Release -- {api.BaseAddress.ToString().TrimEnd('/')}");

            var lines = output.Trim().Split('\n').Select(l => l.Trim()).ToArray();
            Assert.Equal([expected.ToString(System.Globalization.CultureInfo.InvariantCulture), "unauthenticated"], lines[^2..]);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "dotnet-tools.json"))) directory = directory.Parent!;
        return directory.FullName;
    }

    /// <summary>Runs the dotnet CLI and returns its output; a non-zero exit fails the test with that output.</summary>
    private static async Task<string> Run(string directory, string arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"dotnet {arguments} exited {process.ExitCode}:\n{output}");
        return output;
    }
}
