namespace HyperLaws.Platform;

/// <summary>
/// The one way files are written: content goes to a hidden temporary sibling, is flushed, then renamed
/// over the target, so a reader (or a crash) never sees half a file. Targets that are not plain files or
/// new names are refused before anything is written: a symbolic link (writing would replace the link or
/// its target), a FIFO, device or socket, a folder, or the root folder.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically.</summary>
    /// <exception cref="IOException">The target is refused or the write failed; the message says which.</exception>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        CheckTarget(path);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) atomically.</summary>
    public static void Write(string path, string text) => Write(path, new System.Text.UTF8Encoding(false).GetBytes(text));

    /// <summary>Throws <see cref="IOException"/> when <paramref name="path"/> may not be written as a file.</summary>
    public static void CheckTarget(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new IOException("the path is empty.");
        string full = Path.GetFullPath(path);
        if (Path.GetPathRoot(full) == full) throw new IOException($"{path} is the root folder.");
        switch (FileKind.Of(full))
        {
            case PathKind.SymbolicLink: throw new IOException($"{path} is a symbolic link; give the path of a plain file (it is not replaced or followed).");
            case PathKind.Special: throw new IOException($"{path} is a device, FIFO or socket, not a file.");
            case PathKind.Directory: throw new IOException($"{path} is a folder, not a file.");
        }
    }

    /// <summary>Throws <see cref="IOException"/> when <paramref name="path"/> may not be used as an output folder.</summary>
    public static void CheckFolder(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new IOException("the path is empty.");
        string full = Path.GetFullPath(path);
        if (Path.GetPathRoot(full) == Path.TrimEndingDirectorySeparator(full) || Path.GetPathRoot(full) == full) throw new IOException($"{path} is the root folder.");
        switch (FileKind.Of(Path.TrimEndingDirectorySeparator(full)))
        {
            case PathKind.SymbolicLink: throw new IOException($"{path} is a symbolic link; give the real folder.");
            case PathKind.Special: throw new IOException($"{path} is a device, FIFO or socket, not a folder.");
            case PathKind.Regular: throw new IOException($"{path} is a file, not a folder.");
        }
    }
}
