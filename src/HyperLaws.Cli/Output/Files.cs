namespace HyperLaws.Cli.Output;

/// <summary>File output that never leaves half a result, and I/O failures as one-line user errors.</summary>
public static class Files
{
    /// <summary>Writes <paramref name="text"/> to a temporary file beside <paramref name="path"/>, then renames it into place.</summary>
    public static void WriteAtomic(string path, string text) => Guard(path, () =>
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(tmp, text);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
        return 0;
    });

    /// <summary>Runs an action that writes under <paramref name="path"/>, turning I/O failures into a clear error naming it.</summary>
    public static T Guard<T>(string path, Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot write {path}: {e.Message}");
        }
    }
}
