using System.Text;

namespace HyperLaws.Readers.Internal;

/// <summary>
/// Line reading with a bound on the line's length. <see cref="StreamReader.ReadLine"/> reads a line whole: a file without
/// line breaks (a file of zeros, a checkpoint given by mistake) of 100 MB took 30 s and 1.5 GB to be refused as a CSV, and
/// one past 1 GB would end in an out-of-memory error instead of a message naming the file.
/// </summary>
internal static class BoundedText
{
    /// <summary>Longest line any reader accepts (1 Mi characters; the longest real log line is a few hundred).</summary>
    public const int MaxLine = 1 << 20;

    /// <summary>
    /// The next line (without its '\n' or "\r\n"), null at the end of the file; <paramref name="tooLong"/> is set, and null
    /// returned, when the line runs past <paramref name="max"/> characters (the reader is then left inside that line).
    /// </summary>
    public static string? ReadLine(StreamReader reader, int max, out bool tooLong)
    {
        tooLong = false;
        var sb = new StringBuilder();
        while (true)
        {
            int c = reader.Read();
            if (c < 0) return sb.Length == 0 ? null : sb.ToString();
            if (c == '\n')
            {
                if (sb.Length > 0 && sb[^1] == '\r') sb.Length--;
                return sb.ToString();
            }
            if (sb.Length >= max)
            {
                tooLong = true;
                return null;
            }
            sb.Append((char)c);
        }
    }

    /// <summary>
    /// The lines of <paramref name="reader"/> (as <see cref="StreamReader.ReadLine"/> gives them, '\r' alone excepted), each at
    /// most <see cref="MaxLine"/> characters; a longer one is a <see cref="RunFormatException"/> at its line number, naming the
    /// file as not <paramref name="what"/> (e.g. "an llm.c log").
    /// </summary>
    public static IEnumerable<string> Lines(StreamReader reader, string path, string what)
    {
        for (int number = 1; ; number++)
        {
            string? line = ReadLine(reader, MaxLine, out bool tooLong);
            if (tooLong) throw new RunFormatException(path, number, $"line longer than {MaxLine:N0} characters: not {what} (a binary file, or one without line breaks).");
            if (line is null) yield break;
            yield return line;
        }
    }

    /// <summary>The first line of a file within <paramref name="max"/> characters, or null (empty, too long, unreadable).</summary>
    public static string? FirstLine(string path, int max = 65536)
    {
        try
        {
            using var r = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            return ReadLine(r, max, out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when one of the first <paramref name="maxLines"/> lines of the file (each within <see cref="MaxLine"/> characters)
    /// satisfies <paramref name="match"/>; false at a line holding '\0' (a binary file), at a line too long, and when the file
    /// cannot be read. The log readers' <c>Recognizes</c>.
    /// </summary>
    public static bool AnyOfFirstLines(string path, int maxLines, Func<string, bool> match)
    {
        try
        {
            using var r = new StreamReader(path);
            for (int i = 0; i < maxLines && ReadLine(r, MaxLine, out _) is { } line; i++)
            {
                if (line.Contains('\0')) return false; // a binary file
                if (match(line)) return true;
            }
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Largest run log read whole (JSON, JSONL): 1 GiB (a million-step JSONL log is about 100 MB).</summary>
    public const long MaxWholeFile = 1L << 30;

    /// <summary>
    /// <see cref="File.ReadAllText(string)"/> of a file of at most <see cref="MaxWholeFile"/> bytes; a larger one is an
    /// <see cref="IOException"/> naming its size (read whole it would end in an out-of-memory error).
    /// </summary>
    public static string ReadAllText(string file)
    {
        long length = new FileInfo(file).Length;
        if (length > MaxWholeFile)
            throw new IOException($"the file is {length:N0} bytes, over the {MaxWholeFile >> 30} GiB a run log read whole may have.");
        return File.ReadAllText(file);
    }
}
