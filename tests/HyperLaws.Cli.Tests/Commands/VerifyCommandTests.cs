using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>
/// <c>hyperlaws verify</c> end to end: the sweep's fitted exponents against the theory (checked here
/// from the numbers, not from the "passed" flags), verify.json, the figures, and failures.
/// </summary>
public sealed class VerifyCommandTests
{
    [Fact]
    public void Sweep_without_figures_passes_and_every_exponent_is_within_0_01_of_theory()
    {
        using var dir = new TempDir(create: false);
        var r = Cli.Run("verify", "--out", dir.Path, "--json", "--no-figures", "--budgets", "30");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var json = r.Json();
        Assert.True(json["allPassed"]!.GetValue<bool>());
        Assert.Equal(0, JsonAssert.Number(json, "failed"));
        Assert.Equal(30, JsonAssert.Number(json, "budgets"));
        Assert.Equal(0.01, JsonAssert.Number(json, "tolerance"));

        var exponents = json["exponents"]!.AsArray();
        Assert.Equal(JsonAssert.Number(json, "checks"), exponents.Count);
        Assert.True(exponents.Count >= 20, $"only {exponents.Count} exponent checks");
        foreach (var e in exponents)
        {
            string name = $"{e!["curve"]} {e["quantity"]}";
            double theory = JsonAssert.Number(e, "theory");
            double closedForm = JsonAssert.Number(e, "closedForm");
            double numerical = JsonAssert.Number(e, "numerical");
            Assert.True(Math.Abs(closedForm - theory) <= 0.01, $"{name}: closed-form exponent {closedForm} vs theory {theory}");
            Assert.True(Math.Abs(numerical - theory) <= 0.01, $"{name}: numerical exponent {numerical} vs theory {theory}");
            Assert.True(JsonAssert.Number(e, "points") >= 3, $"{name}: fitted on too few points");
            Assert.True(e["passed"]!.GetValue<bool>(), name);
        }

        // The headline exponents of the paper are among the checks.
        Assert.Contains(exponents, e => e!["curve"]!.GetValue<string>() == "joint" && e["quantity"]!.GetValue<string>() == "proxy"
                                        && JsonAssert.Number(e, "theory") == -0.25);
        Assert.Contains(exponents, e => e!["curve"]!.GetValue<string>().StartsWith("fixed-momentum", StringComparison.Ordinal)
                                        && e["quantity"]!.GetValue<string>() == "batch" && JsonAssert.Number(e, "theory") == 0.5);

        double gap = JsonAssert.Number(json, "largestProxyGap");
        Assert.InRange(gap, 0, 0.02);
        Assert.InRange(JsonAssert.Number(json, "largestExactArgumentGap"), 0, 1e-4);
        Assert.Empty(json["files"]!.AsArray());
        Assert.NotEmpty(json["ridge"]!.AsArray());
    }

    [Fact]
    public void Writes_verify_json_with_the_printed_report_minus_its_path()
    {
        using var dir = new TempDir(create: false);
        var r = Cli.Run("verify", "--out", dir.Path, "--json", "--no-figures", "--budgets", "12");
        var printed = r.Json();

        string reportPath = printed["report"]!.GetValue<string>();
        Assert.Equal(Path.Combine(dir.Path, "verify.json"), reportPath);
        Assert.True(File.Exists(reportPath));
        var written = Assert.IsType<JsonObject>(JsonNode.Parse(File.ReadAllText(reportPath)));

        Assert.Null(written["report"]);
        printed.Remove("report");
        Assert.True(JsonNode.DeepEquals(printed, written), "verify.json differs from the printed report");
        // No temporary file is left beside it.
        Assert.Equal(["verify.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Figures_are_written_and_listed()
    {
        using var dir = new TempDir(create: false);
        var r = Cli.Run("verify", "--out", dir.Path, "--json", "--budgets", "40");

        Assert.Equal(0, r.ExitCode);
        var json = r.Json();
        var files = json["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        var names = files.Select(Path.GetFileName).ToHashSet();

        foreach (var stem in new[] { "figure1-best-proxy", "figure3-contour" })
            foreach (var ext in new[] { ".png", ".svg", ".csv" })
                Assert.Contains(stem + ext, names);
        foreach (var f in files)
        {
            Assert.Equal(Path.GetFullPath(dir.Path), Path.GetDirectoryName(Path.GetFullPath(f)));
            Assert.True(File.Exists(f), $"listed file {f} is missing");
            Assert.True(new FileInfo(f).Length > 0, $"listed file {f} is empty");
        }

        string png = files.Single(f => f.EndsWith("figure1-best-proxy.png", StringComparison.Ordinal));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
        string svg = File.ReadAllText(files.Single(f => f.EndsWith("figure1-best-proxy.svg", StringComparison.Ordinal)));
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("token budget", svg, StringComparison.Ordinal);
        string csv = File.ReadAllText(files.Single(f => f.EndsWith("figure1-best-proxy.csv", StringComparison.Ordinal)));
        Assert.True(csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 40, "the CSV should hold a row per budget");
    }

    [Fact]
    public void Human_readable_output_goes_to_stdout_and_progress_to_stderr()
    {
        using var dir = new TempDir(create: false);
        var r = Cli.Run("verify", "--out", dir.Path, "--no-figures", "--budgets", "10");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Fitted scaling exponents vs theory", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("exponent checks within 0.01 of theory", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("verify: solving", r.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.Path, "verify.json")));
    }

    [Fact]
    public void Quiet_prints_no_progress()
    {
        using var dir = new TempDir(create: false);
        var r = Cli.Run("verify", "--out", dir.Path, "--no-figures", "--budgets", "10", "--quiet");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.NotEqual("", r.Stdout);
    }

    [Fact]
    public void A_failed_check_exits_1_and_still_reports()
    {
        // Budgets 1e3..1e5 lie in burn-in for most regimes: the asymptotic exponents cannot be fitted there.
        using var dir = new TempDir(create: false);
        var r = Cli.Run("verify", "--out", dir.Path, "--json", "--no-figures", "--budgets", "10", "--min-tokens", "1e3", "--max-tokens", "1e5");

        Assert.Equal(1, r.ExitCode);
        var json = r.Json();
        Assert.False(json["allPassed"]!.GetValue<bool>());
        var exponents = json["exponents"]!.AsArray();
        int failed = exponents.Count(e => !e!["passed"]!.GetValue<bool>());
        Assert.True(failed > 0);
        Assert.Equal(failed, JsonAssert.Number(json, "failed"));
        // "passed" means both fits are within the tolerance of the theory.
        foreach (var e in exponents)
        {
            double theory = JsonAssert.Number(e, "theory");
            bool within = Math.Abs(JsonAssert.Number(e, "closedForm") - theory) <= 0.01 && Math.Abs(JsonAssert.Number(e, "numerical") - theory) <= 0.01;
            Assert.Equal(within, e!["passed"]!.GetValue<bool>());
        }
        Assert.True(File.Exists(Path.Combine(dir.Path, "verify.json")));
    }

    [Theory]
    [InlineData("--budgets 2", "--budgets")]
    [InlineData("--budgets 10.5", "--budgets")]
    [InlineData("--budgets 1e6", "--budgets")]
    [InlineData("--budgets many", "--budgets")]
    [InlineData("--min-tokens 1e10 --max-tokens 1e5 --quiet", "--min-tokens: ")]
    [InlineData("--C2 -1", "C2")]
    public void Bad_input_is_one_line_naming_the_problem(string arguments, string mentioned)
    {
        using var dir = new TempDir(create: false);
        string line = Cli.Run(["verify", "--out", dir.Path, "--no-figures", .. Cli.Split(arguments)]).AssertUsageError();
        Assert.Contains(mentioned, line, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(dir.Path), "nothing is written on bad input");
    }

    [Fact]
    public void Unwritable_output_folder_is_a_one_line_error()
    {
        string line = Cli.Run("verify", "--out", "/dev/null/sub", "--no-figures", "--budgets", "5", "--quiet").AssertUsageError();
        Assert.Contains("cannot write", line, StringComparison.Ordinal);
        Assert.Contains("/dev/null/sub", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_sweep_range_without_quiet_is_still_one_line()
    {
        using var dir = new TempDir(create: false);
        string line = Cli.Run("verify", "--out", dir.Path, "--no-figures", "--min-tokens", "1e10", "--max-tokens", "1e5").AssertUsageError();
        Assert.Contains("--min-tokens: ", line, StringComparison.Ordinal);
    }
}
