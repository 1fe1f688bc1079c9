namespace NeXChange.Bench;

/// <summary>
/// The peak live memory of one run, above the level after a full collection just before it: a sampler thread collects
/// every few milliseconds and reads the managed heap, so the peak is what the run really held rather than garbage
/// not yet collected; the process working set is read at the same moments. The collections slow the run, so a
/// watched run is not a timed one.
/// </summary>
public sealed class MemoryWatch
{
    private readonly long heapBefore;
    private readonly long workingSetBefore;
    private readonly Thread sampler;
    private volatile bool stopped;
    private long peakHeap;
    private long peakWorkingSet;

    public MemoryWatch()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        workingSetBefore = Environment.WorkingSet;
        (peakHeap, peakWorkingSet) = (heapBefore, workingSetBefore);
        sampler = new Thread(Sample) { IsBackground = true, Name = "memory sampler" };
        sampler.Start();
    }

    public long PeakHeapAboveStart => peakHeap - heapBefore;
    public long PeakWorkingSetAboveStart => peakWorkingSet - workingSetBefore;

    public void Stop()
    {
        stopped = true;
        sampler.Join();
    }

    private void Sample()
    {
        while (!stopped)
        {
            GC.Collect();
            peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
            peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
            Thread.Sleep(2);
        }
    }
}
