namespace NeXChange.Privacy.Export;

/// <summary>
/// What an export wrote: the archive's size in bytes, the number of photos in <c>photos/</c>, and the number of rows
/// of each array section of data.json (by its member name), for the request's record and the job's log.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Privacy.Export.ExportResult")]
public sealed record ExportResult(
    [property: Id(0)] long SizeBytes,
    [property: Id(1)] int Photos,
    [property: Id(2)] IReadOnlyDictionary<string, int> Sections);
