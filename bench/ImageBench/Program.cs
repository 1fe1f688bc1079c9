using System.Diagnostics;
using NeXChange.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

// Photo processing time (SPEC.md 10: upload incl. processing of a 10 MB JPEG, p95 3 s): the full pipeline (checks,
// decode, orient, strip, master + 3 variants as JPEG and WebP) next to the least any re-encode costs: one decode
// and one JPEG encode of the same image, measured in the same run.
// Usage (through bench/run.sh image): ImageBench [width=4000] [height=3000] [runs=5]
var width = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 4000;
var height = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3000;
var runs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;

var upload = Photo(width, height);
Console.WriteLine($"{width}x{height} JPEG, {upload.Length / 1024} KB, {runs} warm runs after one cold run, {Environment.ProcessorCount} cores");

using var pipeline = new PhotoPipeline(new ImageOptions(), TimeProvider.System);
Report("pipeline (all variants)", await Measure(() => pipeline.ProcessAsync(upload)));
Report("baseline: decode + one JPEG encode", await Measure(() =>
{
    using var image = Image.Load(upload);
    image.Save(Stream.Null, new JpegEncoder { Quality = 80 });
    return Task.CompletedTask;
}));

async Task<(long Cold, long[] Warm)> Measure(Func<Task> work)
{
    var clock = Stopwatch.StartNew();
    await work();
    var cold = clock.ElapsedMilliseconds;
    var warm = new long[runs];
    for (var i = 0; i < runs; i++)
    {
        clock.Restart();
        await work();
        warm[i] = clock.ElapsedMilliseconds;
    }
    Array.Sort(warm);
    return (cold, warm);
}

void Report(string name, (long Cold, long[] Warm) result) =>
    Console.WriteLine($"{name,-36} cold {result.Cold,6} ms   warm median {result.Warm[result.Warm.Length / 2],6} ms   max {result.Warm[^1],6} ms");

static byte[] Photo(int width, int height)
{
    using var image = new Image<Rgb24>(width, height);
    image.ProcessPixelRows(rows =>
    {
        for (var y = 0; y < rows.Height; y++)
        {
            var row = rows.GetRowSpan(y);
            for (var x = 0; x < row.Length; x++) row[x] = new Rgb24((byte)(x * 7 + y), (byte)(y * 3), (byte)(x ^ y));
        }
    });
    using var stream = new MemoryStream();
    image.Save(stream, new JpegEncoder { Quality = 92 });
    return stream.ToArray();
}
