namespace NeXChange.Bench;

/// <summary>
/// The peaks of one run: the managed heap and the process working set are sampled every few milliseconds on a
/// thread of their own, above the levels measured after a full collection just before the run; plus the bytes the
/// run allocated in total (GC.GetTotalAllocatedBytes, exact).
/// </summary>
public sealed class MemoryWatch : IDisposable
{
    private readonly long heapBefore;
    private readonly long workingSetBefore;
    private readonly long allocatedBefore;
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
        allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        (peakHeap, peakWorkingSet) = (heapBefore, workingSetBefore);
        sampler = new Thread(Sample) { IsBackground = true, Name = "memory sampler" };
        sampler.Start();
    }

    public long PeakHeapAboveStart => peakHeap - heapBefore;
    public long PeakWorkingSetAboveStart => peakWorkingSet - workingSetBefore;
    public long Allocated { get; private set; }

    public void Stop()
    {
        Allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        stopped = true;
        sampler.Join();
        Take();
    }

    public void Dispose()
    {
        if (!stopped) Stop();
    }

    private void Sample()
    {
        while (!stopped)
        {
            Take();
            Thread.Sleep(2);
        }
    }

    private void Take()
    {
        peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
        peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
    }
}
