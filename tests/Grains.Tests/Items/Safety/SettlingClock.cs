using Microsoft.Extensions.Time.Testing;

namespace NeXChange.Grains.Tests.Items.Safety;

/// <summary>
/// A fake clock that knows which of its one-shot timers (<c>Task.Delay</c>, timed cancellation) are still waiting, so a
/// test moves time only once the work it started has settled: every task finished or parked on one timer of this
/// clock. Time then jumps to the next timer, and nothing depends on how fast this machine runs the work in between.
/// </summary>
public sealed class SettlingClock() : FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero))
{
    // Real time only bounds a hang: work that neither finishes nor parks within it is a failure, whatever its cause.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(1);

    private readonly List<Waiter> waiting = [];

    public int Waiting
    {
        get { lock (waiting) return waiting.Count; }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var waiter = new Waiter(this, GetUtcNow() + dueTime);
        lock (waiting) waiting.Add(waiter);
        // Leaves the list as it fires, inside Advance, so a woken task is never counted as parked.
        waiter.Timer = base.CreateTimer(s =>
        {
            waiter.Leave();
            callback(s);
        }, state, dueTime, period);
        return waiter;
    }

    /// <summary>Waits until every task in <paramref name="work"/> has finished or waits on a timer of this clock.</summary>
    public async Task SettledAsync(IReadOnlyCollection<Task> work)
    {
        var guard = Task.Delay(HangGuard);
        while (work.Count(t => t.IsCompleted) + Waiting != work.Count)
        {
            if (guard.IsCompleted) throw new TimeoutException("The work neither finished nor waited on the fake clock.");
            await Task.Delay(2);
        }
    }

    /// <summary>Runs <paramref name="work"/> to the end, moving time to the next timer each time the work has settled.</summary>
    public async Task RunAsync(IReadOnlyCollection<Task> work)
    {
        while (true)
        {
            await SettledAsync(work);
            if (work.All(t => t.IsCompleted)) return;
            DateTimeOffset next;
            lock (waiting) next = waiting.Min(w => w.Due);
            Advance(next - GetUtcNow());
        }
    }

    private sealed class Waiter(SettlingClock clock, DateTimeOffset due) : ITimer
    {
        public DateTimeOffset Due { get; } = due;

        public ITimer Timer { get; set; } = null!;

        public void Leave()
        {
            lock (clock.waiting) clock.waiting.Remove(this);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => Timer.Change(dueTime, period);

        public void Dispose()
        {
            Leave();
            Timer.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Leave();
            return Timer.DisposeAsync();
        }
    }
}
