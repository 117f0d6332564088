using HyperLaws.Platform;

namespace HyperLaws.Cli.Output;

/// <summary>File output that never leaves half a result, and I/O failures as one-line user errors.</summary>
public static class Files
{
    /// <summary>Writes <paramref name="text"/> through <see cref="AtomicFile"/> (temporary sibling, then rename); refused targets are user errors.</summary>
    public static void WriteAtomic(string path, string text) => Guard(path, () =>
    {
        AtomicFile.Write(path, text);
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
            throw new UserInputException($"cannot write {ErrorText.Echo(path)}: {e.Message}");
        }
    }
}
