namespace HyperLaws.Cli.Options;

/// <summary>
/// Reads the JSON documents the commands take (LAW.json, DIV.json, RULE.json, a size law) with a bound on their size: a
/// fitted law is kilobytes (with bootstrap samples, a few megabytes), so a file over <see cref="MaxBytes"/> is refused
/// before it is read, instead of being loaded whole (past 1 GB, an out-of-memory error and exit 70).
/// </summary>
internal static class DocumentFile
{
    /// <summary>Largest document read: 64 MiB.</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>The file's text; an <see cref="IOException"/> naming the size when it is over <see cref="MaxBytes"/>.</summary>
    public static string ReadAllText(string path)
    {
        // FileInfo.Length of a folder throws "Could not find file": say what it is (e.g. rank --law DIR).
        if (Directory.Exists(path)) throw new IOException("is a folder, not a file.");
        long length = new FileInfo(path).Length;
        if (length > MaxBytes)
            throw new IOException($"the file is {length:N0} bytes, over the {MaxBytes >> 20} MiB a HyperLaws JSON document may have (is it the right file?).");
        return File.ReadAllText(path);
    }
}
