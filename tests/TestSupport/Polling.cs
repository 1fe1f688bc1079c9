namespace NeXChange.TestSupport;

/// <summary>
/// Waits for something the system does on its own (a webhook handled, a batch waiting on a lock) by checking a
/// condition until it holds. Nothing is asserted about time: the bound only stops a broken build from waiting forever.
/// </summary>
public static class Polling
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Returns the first value <paramref name="read"/> gives that satisfies <paramref name="holds"/>. A
    /// <paramref name="within"/> shorter than the default bound is for a limit the product promises (SPEC.md 10:
    /// service resumes within 30 s), still only a bound and never a measure of speed.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> holds, string what, TimeSpan? within = null)
    {
        using var ticks = new PeriodicTimer(Interval);
        using var bound = new CancellationTokenSource(within ?? Bound);
        while (true)
        {
            var value = await read();
            if (holds(value)) return value;
            try
            {
                await ticks.WaitForNextTickAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Never happened within {(within ?? Bound).TotalSeconds} s: {what}.");
            }
        }
    }
}
