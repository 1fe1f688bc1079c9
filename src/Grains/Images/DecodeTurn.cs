namespace NeXChange.Images;

/// <summary>
/// A run's turn in a slot of the <see cref="DecodeQueue"/>: <see cref="Token"/> is cancelled when the decode deadline
/// passes (or the caller gives up) until the work says the file is <see cref="Decoded"/>.
/// </summary>
public sealed class DecodeTurn(CancellationTokenSource deadline, CancellationToken token)
{
    public CancellationToken Token => token;

    /// <summary>
    /// Ends the deadline: what remains (orienting, resizing, encoding) costs what the pixel budget allows whatever the
    /// file holds, so only the decode, whose cost the file's structure drives, runs against the clock.
    /// </summary>
    public void Decoded() => deadline.CancelAfter(Timeout.InfiniteTimeSpan);
}
