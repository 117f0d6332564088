using System.Diagnostics;
using System.Reflection;

namespace HyperLaws.Cli.Tests.Packaging;

using Xunit;

/// <summary>
/// The tool as a user gets it: <c>dotnet pack</c> of src/HyperLaws.Cli (from the build the tests run on, --no-build),
/// then <c>dotnet tool install --tool-path T</c> from that package folder alone (a NuGet.Config that clears every
/// other source, so it works offline and never asks a mirror), into a temporary folder outside the repository.
/// Packed and installed once for all the tests of <see cref="InstalledToolTests"/>, which also share one run of the installed
/// <c>hyperlaws demo --quiet --laws tissue</c> (<see cref="Demo"/>: the demo's tests read what it printed and wrote).
/// </summary>
public sealed class InstalledTool : IDisposable
{
    private readonly TempDir _root = new();
    private readonly Lazy<CliResult> _demo;

    public InstalledTool()
    {
        string packages = Path.Combine(_root.Path, "nupkg");
        string configuration = typeof(InstalledTool).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string project = Path.Combine(RepositoryRoot(), "src", "HyperLaws.Cli", "HyperLaws.Cli.csproj");
        Dotnet(_root.Path, "pack", project, "-c", configuration, "--no-build", "-o", packages);
        string config = Path.Combine(_root.Path, "NuGet.Config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        ToolPath = Path.Combine(_root.Path, "tool");
        Dotnet(_root.Path, "tool", "install", "--tool-path", ToolPath, "--configfile", config, "--add-source", packages, "HyperLaws.Cli");
        Work = Path.Combine(_root.Path, "work");
        Directory.CreateDirectory(Work);
        _demo = new(() => Run(Work, "demo", "--quiet", "--laws", "tissue", "--out", DemoOutName));
    }

    /// <summary>The demo's --out, relative to <see cref="Work"/>.</summary>
    private const string DemoOutName = "demo-out";

    /// <summary>The folder the tool was installed to (<c>--tool-path</c>); the command is <c>hyperlaws</c> in it.</summary>
    public string ToolPath { get; }

    /// <summary>An empty working folder outside the repository.</summary>
    public string Work { get; }

    /// <summary>The installed tool's <c>demo --quiet --laws tissue --out demo-out</c>, run in <see cref="Work"/> by the first test that asks.</summary>
    internal CliResult Demo => _demo.Value;

    /// <summary>The demo's output folder (its --out, resolved from <see cref="Work"/>).</summary>
    public string DemoOut => Path.Combine(Work, DemoOutName);

    /// <summary>Runs the installed <c>hyperlaws</c> in <paramref name="workingFolder"/>.</summary>
    internal CliResult Run(string workingFolder, params string[] args) => Start(Path.Combine(ToolPath, "hyperlaws"), workingFolder, args);

    public void Dispose() => _root.Dispose();

    private static void Dotnet(string workingFolder, params string[] args)
    {
        var r = Start(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", workingFolder, args);
        Assert.True(r.ExitCode == 0, $"dotnet {string.Join(' ', args)} exited {r.ExitCode}:\n{r.Stdout}\n{r.Stderr}");
    }

    private static CliResult Start(string file, string workingFolder, string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingFolder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish in 5 minutes");
        }
        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HyperLaws.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"HyperLaws.slnx not found above {AppContext.BaseDirectory}.");
    }
}
