namespace NeXChange.Images;

/// <summary>The limits of SPEC.md 4.5 and the memory budget that keeps a hostile upload from exhausting a silo.</summary>
public static class ImageLimits
{
    public const int MaxBytes = 10 * 1024 * 1024;
    public const int MaxDimension = 4000;

    /// <summary>
    /// No single buffer may exceed this. A 4000x4000 RGBA frame is 61 MB, so real photos fit with room for the resize
    /// buffers, while a bomb (a small file declaring a huge canvas) fails at its first allocation.
    /// </summary>
    public const int AllocationLimitMegabytes = 256;

    /// <summary>Decodes running at once per silo: each may hold a few hundred MB at its peak.</summary>
    public const int MaxConcurrentDecodes = 2;
}
