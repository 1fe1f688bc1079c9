namespace NeXChange.Images;

/// <summary>
/// The limits of SPEC.md 4.5 and the bounds on what one upload may cost to decode. Each bound sits far above what
/// cameras, phones and image editors write, and far below what makes a decode run for minutes or exhaust memory.
/// </summary>
public static class ImageLimits
{
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>Per side; with it every image is at most 16 megapixels, the pixel budget of one decode.</summary>
    public const int MaxDimension = 4000;

    /// <summary>
    /// No single buffer may exceed this. A 4000x4000 RGBA frame is 61 MB, so real photos fit with room for the resize
    /// buffers, while a bomb (a small file declaring a huge canvas) fails at its first allocation.
    /// </summary>
    public const int AllocationLimitMegabytes = 256;

    /// <summary>
    /// Scans of a progressive JPEG. Every scan walks all blocks of its components, so the decode cost is scans times
    /// pixels: 60,000 scans of a few bytes each keep a core busy for minutes. Encoders write about 10 (libjpeg) and
    /// rarely more than 100 (mozjpeg's scan optimisation).
    /// </summary>
    public const int MaxJpegScans = 256;

    /// <summary>JPEG segments besides the scans (tables, APPn, comments, the frame header); a photo has a few dozen.</summary>
    public const int MaxJpegSegments = 1024;

    /// <summary>PNG chunks, IDAT included: even an encoder writing one IDAT per row of a 4000-row image stays below.</summary>
    public const int MaxPngChunks = 8192;

    /// <summary>
    /// What the compressed PNG metadata (zTXt, compressed iTXt, iCCP) may inflate to, in total. The decoder inflates
    /// it into memory without a limit: 1 MB of zTXt holding zeros inflates to 1 GB.
    /// </summary>
    public const int MaxPngMetadataBytes = 4 * 1024 * 1024;

    /// <summary>RIFF chunks of a WebP; a still image has at most six kinds (VP8X, ICCP, ALPH, VP8/VP8L, EXIF, XMP).</summary>
    public const int MaxWebPChunks = 64;

    /// <summary>Retry-After of the 503 when the processing queue is full: about the time a queue's worth of photos takes.</summary>
    public const int BusyRetryAfterSeconds = 5;
}
