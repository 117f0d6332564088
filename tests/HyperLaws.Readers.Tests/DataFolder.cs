namespace HyperLaws.Readers.Tests;

/// <summary>Paths in the shared data folder (see <see cref="HyperLaws.Tests.DataFolders"/>).</summary>
internal static class DataFolder
{
    public static string Path => HyperLaws.Tests.DataFolders.Shared;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
