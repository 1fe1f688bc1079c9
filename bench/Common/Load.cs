using System.Diagnostics;
using NeXChange.Errors;

namespace NeXChange.Bench;

/// <summary>Concurrent callers driving one step, each with its own iteration count: for a while, or a number of times in all.</summary>
public static class Load
{
    /// <summary>
    /// Every caller repeats <paramref name="step"/> until <paramref name="duration"/> has passed; returns the time taken.
    /// A caller whose steps complete synchronously (a plain method baseline) would keep its pool thread for the whole
    /// run and, 64 of them on 2 cores, starve the silo's timers and health checks: it yields the thread every 1,024 steps.
    /// </summary>
    public static async Task<TimeSpan> ForAsync(int callers, TimeSpan duration, Func<int, long, Task> step)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (long i = 0; clock.Elapsed < duration; i++)
            {
                await step(caller, i);
                if (i % 1024 == 1023) await Task.Yield();
            }
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

    /// <summary>
    /// Times every call of <see cref="ForAsync"/>: a <see cref="DomainException"/> counts as refused, any other exception
    /// as an error (the run goes on). Each caller records into its own <see cref="Latencies"/>, so callers never contend.
    /// </summary>
    public static async Task<LatencySummary> MeasureAsync(string name, int callers, TimeSpan duration, Func<int, long, Task> step) =>
        (await MeasureMixAsync(name, [name], callers, duration, (caller, i, _) => step(caller, i))).Kinds[0];

    /// <summary>
    /// Like <see cref="MeasureAsync"/> for a mix of kinds of call: a caller's iteration i is of kind i mod the number of
    /// kinds. Returns every call under <paramref name="name"/> and each kind on its own, all over the same wall time.
    /// </summary>
    public static async Task<Mix> MeasureMixAsync(string name, string[] kinds, int callers, TimeSpan duration, Func<int, long, int, Task> step)
    {
        var recorded = Enumerable.Range(0, callers).Select(_ => kinds.Select(_ => new Latencies()).ToArray()).ToArray();
        var elapsed = await ForAsync(callers, duration, async (caller, i) =>
        {
            var kind = (int)(i % kinds.Length);
            var latencies = recorded[caller][kind];
            var started = Stopwatch.GetTimestamp();
            try
            {
                await step(caller, i, kind);
                latencies.Add(started);
            }
            catch (DomainException)
            {
                latencies.AddRefused();
            }
            catch (Exception e)
            {
                latencies.AddError(e);
            }
        });
        return new Mix(
            Latencies.Merge(recorded.SelectMany(r => r)).Summarize(name, elapsed),
            kinds.Select((kind, k) => Latencies.Merge(recorded.Select(r => r[k])).Summarize(kind, elapsed)).ToArray());
    }

    public sealed record Mix(LatencySummary All, IReadOnlyList<LatencySummary> Kinds);
}
