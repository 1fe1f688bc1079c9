using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace NeXChange.Api.Tests;

/// <summary>
/// A Redis server of the test's own, started as deploy/lib.sh starts one (password given on stdin, loopback only, AOF
/// on) in a temporary folder on a free port, so that a test can really stop it and start it again with its data.
/// </summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("nexchange-redis-").FullName;
    private readonly string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
    private Process? process;

    public int Port { get; } = ApiFixture.FreePort();

    /// <summary>Short timeouts, so that requests made while it is down fail within a second instead of five.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)},password={password},connectTimeout=1000,asyncTimeout=1000,syncTimeout=1000";

    public bool Running => process is not null;

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        // The log goes to stdout: its "Ready to accept connections" line is awaited as an event, not polled for.
        foreach (var argument in new[]
                 {
                     "-", "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--dir", dir,
                     "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--logfile", "",
                 })
            start.ArgumentList.Add(argument);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new Process { StartInfo = start, EnableRaisingEvents = true };
        started.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true) ready.TrySetResult();
        };
        started.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("redis-server exited before it was ready."));
        started.Start();
        process = started;
        started.BeginOutputReadLine();
        await started.StandardInput.WriteLineAsync($"requirepass {password}");
        started.StandardInput.Close();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Kills the server, as a crash would.</summary>
    public async Task StopAsync()
    {
        if (process is null) return;
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(dir, recursive: true);
    }
}
