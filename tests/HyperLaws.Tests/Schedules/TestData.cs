using Xunit.Sdk;

namespace HyperLaws.Tests.Schedules;

/// <summary>Files of the shared data folder (see <see cref="DataFolders"/>); a missing file fails the test.</summary>
internal static class TestData
{
    public static string Folder => DataFolders.Shared;

    public static string File(params string[] parts)
    {
        string path = Path.Combine([Folder, .. parts]);
        if (!System.IO.File.Exists(path)) throw new XunitException($"shared data file missing: {path}");
        return path;
    }
}
