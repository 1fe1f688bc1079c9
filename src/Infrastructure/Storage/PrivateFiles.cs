namespace NeXChange.Storage;

/// <summary>
/// Folders (0700) and files (0600) that only the service's own user can open on Unix, whatever umask the process was
/// started with: the email outbox holds reset and verification tokens, the blob store private photos. The modes are
/// given at creation, so no file is ever readable by others, not even for a moment.
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerReadWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder and its missing parents; folders that already exist keep their mode.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        // Level by level: given a mode, Directory.CreateDirectory applies it to the last folder only.
        var missing = new Stack<string>();
        for (var folder = Path.GetFullPath(path); !Directory.Exists(folder); folder = Path.GetDirectoryName(folder)!) missing.Push(folder);
        while (missing.TryPop(out var folder)) Directory.CreateDirectory(folder, OwnerOnlyFolder);
    }

    /// <summary>Opens a new file for writing; fails when it exists.</summary>
    public static FileStream CreateNew(string path, int bufferSize = 4096)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = bufferSize,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerReadWrite;
        return new FileStream(path, options);
    }
}
