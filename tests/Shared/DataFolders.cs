namespace HyperLaws.Tests;

/// <summary>
/// Where the tests find real runs: the repository's <c>data/</c> folder (the shipped MIT-licensed MPL
/// curves) and <c>../shared/data</c> beside the repository (the other public sets). Both are found by
/// walking up from the test binaries. A missing folder fails the test with a message saying where it
/// looked; these tests validate against real runs and must never be skipped silently.
/// </summary>
internal static class DataFolders
{
    private static readonly Lazy<string> RepoRoot = new(() => Find(
        dir => [Path.Combine(dir, "data")], "MultiPowerLaw", "the repository's data/ folder"));

    private static readonly Lazy<string> SharedRoot = new(() => Find(
        dir => [Path.Combine(dir, "shared", "data"), Path.Combine(dir, "..", "shared", "data")], "MultiPowerLaw", "the shared data folder (../shared/data)"));

    /// <summary>The repository's data/ folder.</summary>
    public static string Repo => RepoRoot.Value;

    /// <summary>The shared/data folder beside the repository.</summary>
    public static string Shared => SharedRoot.Value;

    private static string Find(Func<string, string[]> candidates, string mustContain, string what)
    {
        var tried = new List<string>();
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in candidates(dir.FullName))
            {
                string full = Path.GetFullPath(candidate);
                tried.Add(full);
                if (Directory.Exists(Path.Combine(full, mustContain))) return full;
            }
        }
        throw new InvalidOperationException($"{what} was not found (it must contain {mustContain}/). Looked in: {string.Join(", ", tried.Distinct())}.");
    }
}
