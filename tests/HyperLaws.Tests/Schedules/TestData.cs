using Xunit.Sdk;

namespace HyperLaws.Tests.Schedules;

/// <summary>
/// Locates the shared data folder (the repo is /work/main, the data /work/shared/data): walks up from the
/// test binaries and, at each ancestor, tries <c>dir/shared/data</c> and <c>dir/../shared/data</c>.
/// A missing folder fails the test with a clear message; it never skips silently.
/// </summary>
internal static class TestData
{
    private static readonly Lazy<string?> Root = new(Find);

    public static string Folder => Root.Value ?? throw new XunitException(
        $"shared data folder not found: looked for <ancestor>/shared/data and <ancestor>/../shared/data above {AppContext.BaseDirectory}. " +
        "These tests reproduce real logged learning rates and need /work/shared/data (MultiPowerLaw, lr-scheduling).");

    public static string File(params string[] parts)
    {
        string path = Path.Combine([Folder, .. parts]);
        if (!System.IO.File.Exists(path)) throw new XunitException($"shared data file missing: {path}");
        return path;
    }

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in new[] { Path.Combine(dir.FullName, "shared", "data"), Path.Combine(dir.FullName, "..", "shared", "data") })
                if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }
}
