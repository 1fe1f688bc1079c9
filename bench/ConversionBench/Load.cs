using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NeXChange.Bench;

/// <summary>Concurrent callers driving one step, each with its own iteration count: for a while, or a number of times in all.</summary>
public static class Load
{
    /// <summary>Every caller repeats <paramref name="step"/> until <paramref name="duration"/> has passed; returns the time taken.</summary>
    public static async Task<TimeSpan> ForAsync(int callers, TimeSpan duration, Func<int, long, Task> step)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (long i = 0; clock.Elapsed < duration; i++) await step(caller, i);
        })));
        return clock.Elapsed;
    }

    /// <summary><paramref name="count"/> steps in all, shared among the callers as they become free; returns the time taken.</summary>
    public static async Task<TimeSpan> CountAsync(int callers, int count, Func<int, long, Task> step)
    {
        var taken = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (long i = 0; Interlocked.Increment(ref taken) <= count; i++) await step(caller, i);
        })));
        return clock.Elapsed;
    }
}

public static class FreePort
{
    /// <summary>A loopback port nothing listens on now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
