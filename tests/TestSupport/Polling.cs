namespace NeXChange.TestSupport;

/// <summary>
/// Waits for something the system does on its own (a webhook handled, a batch waiting on a lock) by checking a
/// condition until it holds. Nothing is asserted about time: the bound only stops a broken build from waiting forever.
/// </summary>
public static class Polling
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>Returns the first value <paramref name="read"/> gives that satisfies <paramref name="holds"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> holds, string what)
    {
        using var ticks = new PeriodicTimer(Interval);
        using var bound = new CancellationTokenSource(Bound);
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
                throw new TimeoutException($"Never happened: {what}.");
            }
        }
    }
}
