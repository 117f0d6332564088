namespace HyperLaws.Readers.Tests;

/// <summary>Paths in the shared data folder (see <see cref="HyperLaws.Tests.DataFolders"/>).</summary>
internal static class DataFolder
{
    public static string Path => HyperLaws.Tests.DataFolders.Shared;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}

/// <summary>A temporary directory removed at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => System.IO.Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hyperlaws-readers-" + Guid.NewGuid().ToString("N"));

    public string File(string name, string content)
    {
        string p = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(p, content);
        return p;
    }

    public string File(string name, byte[] content)
    {
        string p = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllBytes(p, content);
        return p;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
