namespace HyperLaws.Cli.Options;

/// <summary>
/// Finds the data shipped in the repository (data/...) from wherever the command runs: the path as given when it exists
/// from the working folder, else the first folder above the executable that holds it, else the path as given (so that
/// the error names it).
/// </summary>
public static class ShippedData
{
    public static string Resolve(string relative)
    {
        if (File.Exists(relative) || Directory.Exists(relative)) return relative;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        }
        return relative;
    }
}
