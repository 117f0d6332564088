namespace HyperLaws.Cli.Options;

/// <summary>
/// Finds the data shipped with the tool (data/...: the MPL curves, the optimised schedules, the priors) from any
/// working folder. The build copies data/ beside the executable (HyperLaws.Cli.csproj; in the tool package it sits
/// in tools/net10.0/linux-x64/data), so the copy beside <see cref="AppContext.BaseDirectory"/> comes first, then
/// the first folder above it that holds the path (a build inside the repository), then the working folder. The
/// path returned is absolute, so files that record it (LAW.json, plan.json) still resolve from elsewhere; when the
/// data is nowhere, the path as given comes back so that the error names it.
/// </summary>
public static class ShippedData
{
    /// <summary>The name of the shipped data folder, and the default of every <c>--data</c> option that reads it.</summary>
    public const string Folder = "data";

    public static string Resolve(string relative)
    {
        if (Path.IsPathRooted(relative)) return relative;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate) || Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        if (File.Exists(relative) || Directory.Exists(relative)) return Path.GetFullPath(relative);
        return relative;
    }

    /// <summary>
    /// A <c>--data</c> option's value: the shipped data folder when the option was left at its default
    /// (<see cref="Folder"/>), the user's folder as given otherwise.
    /// </summary>
    public static string DataOption(string value) => value == Folder ? Resolve(Folder) : value;
}
