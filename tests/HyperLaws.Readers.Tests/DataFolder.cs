namespace HyperLaws.Readers.Tests;

/// <summary>
/// Finds the shared data folder: walks up from the test binary and, at each ancestor, looks at
/// <c>&lt;dir&gt;/shared/data</c> and <c>&lt;dir&gt;/../shared/data</c>. Missing data fails the test with a
/// clear message (these tests validate against real runs and must not be skipped silently).
/// </summary>
internal static class DataFolder
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        var tried = new List<string>();
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { System.IO.Path.Combine(dir.FullName, "shared", "data"), System.IO.Path.Combine(dir.FullName, "..", "shared", "data") })
            {
                string full = System.IO.Path.GetFullPath(candidate);
                tried.Add(full);
                if (Directory.Exists(System.IO.Path.Combine(full, "MultiPowerLaw"))) return full;
            }
        }
        throw new InvalidOperationException(
            "The shared data folder (shared/data with MultiPowerLaw/, lr-scheduling/, steplaw/) was not found. Looked in: " +
            string.Join(", ", tried.Distinct()) + ". Put the data next to the repository (../shared/data) to run these tests.");
    }
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
