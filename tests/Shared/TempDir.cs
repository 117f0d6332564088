namespace HyperLaws.Tests;

/// <summary>
/// A unique folder under the system temp folder, removed with everything in it at dispose. It is created at once,
/// unless <c>create: false</c> asks for a fresh path that does not exist yet (for tests of what a command creates,
/// or must not create, there).
/// </summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(bool create = true)
    {
        if (create) System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hyperlaws-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>A path inside the folder; nothing is created.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> in the folder and returns its path.</summary>
    public string File(string name, string content)
    {
        string p = Combine(name);
        System.IO.File.WriteAllText(p, content);
        return p;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> in the folder and returns its path.</summary>
    public string File(string name, byte[] content)
    {
        string p = Combine(name);
        System.IO.File.WriteAllBytes(p, content);
        return p;
    }

    public void Dispose()
    {
        try
        {
            if (System.IO.Directory.Exists(Path)) System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open (or removed meanwhile) must not fail the test that made it; the system cleans its temp folder.
        }
    }
}
