using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>One run of <c>hyperlaws demo --quiet</c> into a temporary folder, shared by the demo tests (it takes about a second).</summary>
public sealed class DemoRun : IDisposable
{
    private readonly TempDir _dir = new();

    public DemoRun() => Result = Cli.Run("demo", "--out", _dir.Path, "--quiet");

    public string OutDir => _dir.Path;

    internal CliResult Result { get; }

    public void Dispose() => _dir.Dispose();
}

/// <summary><c>hyperlaws demo</c>: runs with no input and leaves the report and the figures in --out.</summary>
public sealed class DemoCommandTests(DemoRun demo) : IClassFixture<DemoRun>
{
    [Fact]
    public void Quiet_demo_succeeds_with_nothing_on_stderr()
    {
        Assert.Equal(0, demo.Result.ExitCode);
        Assert.Equal("", demo.Result.Stderr);
    }

    [Fact]
    public void Writes_a_passing_verify_json_and_the_figures_it_lists()
    {
        string report = Path.Combine(demo.OutDir, "verify.json");
        Assert.True(File.Exists(report));
        var json = Assert.IsType<JsonObject>(JsonNode.Parse(File.ReadAllText(report)));
        Assert.True(json["allPassed"]!.GetValue<bool>());

        var files = json["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        foreach (var name in new[] { "figure1-best-proxy.png", "figure1-best-proxy.svg", "figure1-best-proxy.csv", "figure3-contour.png", "figure3-contour.svg", "figure3-contour.csv" })
        {
            string path = Path.Combine(demo.OutDir, name);
            Assert.True(File.Exists(path), $"{name} missing");
            Assert.True(new FileInfo(path).Length > 0, $"{name} is empty");
            Assert.Contains(files, f => Path.GetFileName(f) == name);
        }
        Assert.All(files, f => Assert.True(File.Exists(f), $"listed file {f} is missing"));
    }

    [Fact]
    public void Shows_the_joint_optimum_and_the_transfers()
    {
        string stdout = demo.Result.Stdout;
        // Theorem 3 at T = 1e10 (the test vector) and the transfer of (3e-3, 0.9, 256) from 1B to 100B tokens.
        Assert.Contains("eta* = 6.537E-07", stdout, StringComparison.Ordinal);
        Assert.Contains("b* = 14.6", stdout, StringComparison.Ordinal);
        Assert.Contains("fixed-momentum", stdout, StringComparison.Ordinal);
        Assert.Contains("b 2560", stdout, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(demo.OutDir), stdout, StringComparison.Ordinal);
    }
}
