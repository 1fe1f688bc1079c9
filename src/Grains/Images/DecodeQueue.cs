namespace NeXChange.Images;

/// <summary>
/// Where photos wait for and take a decode slot: at most <see cref="ImageOptions.MaxConcurrentDecodes"/> run at once
/// (each keeps a core busy and may hold a few hundred MB), at most <see cref="ImageOptions.MaxWaitingUploads"/> more
/// wait, and any further upload is refused at once with 503 rather than queued without bound behind slow ones.
/// </summary>
/// <remarks>
/// Each run gets a deadline from the moment its slot is taken until its work reports the file decoded
/// (<see cref="DecodeTurn"/>). The work receives it as a cancellation token (ImageSharp 2.1's JPEG decoder stops at
/// its next marker when it fires), and the caller stops waiting when it fires whatever the work does: a decoder that
/// does not look at the token cannot hold an upload beyond the deadline. The slot is given back only when the work
/// has really ended, so a decode that keeps running keeps counting against the limit and the cores are never
/// oversubscribed.
/// </remarks>
public sealed class DecodeQueue(ImageOptions options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim slots = new(options.MaxConcurrentDecodes, options.MaxConcurrentDecodes);
    private int admitted;
    private int running;

    /// <summary>Runs holding a slot, abandoned ones included.</summary>
    internal int Running => Volatile.Read(ref running);

    /// <summary>Admitted runs still waiting for a slot.</summary>
    internal int Waiting => Volatile.Read(ref admitted) - Running;

    /// <summary>
    /// Runs <paramref name="work"/> in a slot; <c>service_unavailable</c> when the queue is full, <c>image_invalid</c>
    /// (reason <c>decode_cost</c>) when the deadline passes before the work reports the file decoded.
    /// <paramref name="cancellationToken"/> ends the wait for a slot and is passed on to the work.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<DecodeTurn, Task<T>> work, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref admitted) > options.MaxConcurrentDecodes + options.MaxWaitingUploads)
        {
            Interlocked.Decrement(ref admitted);
            throw ImageRefusals.Busy();
        }
        try
        {
            await slots.WaitAsync(cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref admitted);
            throw;
        }
        Interlocked.Increment(ref running);

        var deadline = new CancellationTokenSource(options.DecodeDeadline, time);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var token = stop.Token;
        var run = RunInSlotAsync(work, new DecodeTurn(deadline, token), deadline, stop);
        try
        {
            return await run.WaitAsync(token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw ImageRefusals.TooCostly($"The image took longer than {options.DecodeDeadline.TotalSeconds:0} s to decode.");
        }
    }

    /// <summary>The work itself, owning the slot and the deadline until it ends, however long after its caller left.</summary>
    private async Task<T> RunInSlotAsync<T>(Func<DecodeTurn, Task<T>> work, DecodeTurn turn,
        CancellationTokenSource deadline, CancellationTokenSource stop)
    {
        try
        {
            // Off the caller's scheduler: a grain turn must not spend hundreds of ms of CPU on its own thread.
            return await Task.Run(() => work(turn), CancellationToken.None);
        }
        finally
        {
            stop.Dispose();
            deadline.Dispose();
            Interlocked.Decrement(ref running);
            Interlocked.Decrement(ref admitted);
            slots.Release();
        }
    }

    public void Dispose() => slots.Dispose();
}
