namespace NeXChange.Images;

/// <summary>
/// What an upload's own structure says before any pixel is decoded: its size, read from the SOF, IHDR or VP8* header
/// and checked as soon as it is read (SPEC.md 4.5 step 3), after a walk of the whole file that refuses it when it is
/// cut short or costs more to decode than a photo can (<see cref="ImageLimits"/>).
/// </summary>
public readonly record struct ImageHeader(int Width, int Height)
{
    public static ImageHeader Read(UploadFormat format, ReadOnlyMemory<byte> data, ImageOptions options) => format switch
    {
        UploadFormat.Jpeg => JpegStructure.Read(data.Span, options.MaxJpegScans),
        UploadFormat.Png => PngStructure.Read(data),
        UploadFormat.WebP => WebPStructure.Read(data.Span),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The size a header declares, refused with reason <c>dimensions</c> outside 1–4000 px a side.</summary>
    internal static ImageHeader Checked(long width, long height) =>
        width is < 1 or > ImageLimits.MaxDimension || height is < 1 or > ImageLimits.MaxDimension
            ? throw ImageRefusals.Dimensions()
            : new ImageHeader((int)width, (int)height);
}
