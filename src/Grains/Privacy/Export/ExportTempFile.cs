using NeXChange.Storage;

namespace NeXChange.Privacy.Export;

/// <summary>
/// The scratch file an archive is built in before it is uploaded: under <c>&lt;Data:Dir&gt;/tmp</c> (0700), created
/// 0600 under a random name, and gone once closed. On Unix it is unlinked at once, so even a crash mid-export leaves
/// no personal data behind; elsewhere it is deleted on close.
/// </summary>
internal static class ExportTempFile
{
    public static FileStream Create(string folder)
    {
        PrivateFiles.CreateDirectory(folder);
        var path = Path.Combine(folder, $"export-{Guid.NewGuid():N}.zip");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous | FileOptions.DeleteOnClose,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var file = new FileStream(path, options);
        if (!OperatingSystem.IsWindows()) File.Delete(path);
        return file;
    }
}
