using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

// Inside the namespace so that [Theory] binds to xunit, not to the HyperLaws.Theory namespace.
using Xunit;

/// <summary>
/// <c>hyperlaws fit --bootstrap</c> and <c>hyperlaws predict</c> with intervals, end to end on the 25M
/// Multi-Power-Law training curves shipped in data/ (the tissue law, which fits in a fraction of a second).
/// </summary>
public sealed class BootstrapCommandTests(BootstrapCommandTests.BootstrappedLaw shared) : IClassFixture<BootstrapCommandTests.BootstrappedLaw>
{
    /// <summary>One bootstrapped tissue law file (20 replicates, default seed) shared by the predict tests, deleted afterwards.</summary>
    public sealed class BootstrappedLaw : IDisposable
    {
        private readonly TempDir _dir = new();

        public BootstrappedLaw()
        {
            Path = System.IO.Path.Combine(_dir.Path, "law.json");
            LawCliData.RunJson(FitArgs(Path, "--bootstrap", "20", "--json"));
        }

        public string Path { get; }

        public void Dispose() => _dir.Dispose();
    }

    private static readonly string[] Parameters = ["L0", "A", "alpha", "C"];

    private const string Wsd = "wsd(peak=3e-4,warmup=2160,steps=24000,cooldown=0.2,shape=linear,floor=3e-5)";

    private static string[] FitArgs(string output, params string[] extra) =>
        ["fit", "--law", "tissue", "--runs", .. LawCliData.Training("25"), "--out", output, .. extra];

    [Fact]
    public void Fit_with_bootstrap_reports_intervals_and_keeps_the_samples()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");
        var json = LawCliData.RunJson(FitArgs(law, "--bootstrap", "20", "--seed", "5", "--json"));

        var u = json["uncertainty"]!;
        Assert.Equal("blocks", (string?)u["scheme"]);   // three curves: the runs scheme is not the default
        Assert.Equal(20, (int)u["replicates"]!);
        Assert.Equal(5, (int)u["seed"]!);
        Assert.Equal(0.9, JsonAssert.Number(u, "level"));
        int failed = (int)u["failed"]!;
        foreach (string name in Parameters)
        {
            var p = u["parameters"]![name];
            Assert.Equal(JsonAssert.Number(json["parameters"], name), JsonAssert.Number(p, "estimate"));
            double lower = JsonAssert.Number(p, "lower"), median = JsonAssert.Number(p, "median"), upper = JsonAssert.Number(p, "upper");
            Assert.True(lower <= median && median <= upper, $"{name}: {lower} {median} {upper}");
            Assert.True(JsonAssert.Number(p, "standardError") > 0, name);
        }
        Assert.Null(json["bootstrap"]);   // stdout has the summary; the samples are in the file

        var saved = JsonNode.Parse(File.ReadAllText(law))!["bootstrap"]!;
        Assert.Equal("blocks", (string?)saved["scheme"]);
        foreach (string name in Parameters) Assert.Equal(20 - failed, saved["samples"]![name]!.AsArray().Count);
        Assert.Equal(100, saved["residualQuantiles"]!.AsArray().Count);
    }

    [Fact]
    public void The_same_seed_writes_the_same_samples_and_another_seed_others()
    {
        using var tmp = new TempDir();
        string a = Path.Combine(tmp.Path, "a.json"), b = Path.Combine(tmp.Path, "b.json"), c = Path.Combine(tmp.Path, "c.json");
        LawCliData.RunJson(FitArgs(a, "--bootstrap", "8", "--json"));
        LawCliData.RunJson(FitArgs(b, "--bootstrap", "8", "--json"));
        LawCliData.RunJson(FitArgs(c, "--bootstrap", "8", "--seed", "1", "--json"));
        static string Samples(string path) => JsonNode.Parse(File.ReadAllText(path))!["bootstrap"]!["samples"]!.ToJsonString();
        Assert.Equal(Samples(a), Samples(b));
        Assert.NotEqual(Samples(a), Samples(c));
    }

    [Fact]
    public void Table_output_has_the_interval_columns_and_progress_goes_to_stderr()
    {
        using var tmp = new TempDir();
        var r = Cli.Run(FitArgs(Path.Combine(tmp.Path, "law.json"), "--bootstrap", "10", "--level", "0.8"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("80% lower", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("80% upper", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("std. error", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("bootstrap: 10/10 replicates", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("bootstrap:", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bootstrap 0", "--bootstrap")]
    [InlineData("--bootstrap -3", "--bootstrap")]
    [InlineData("--bootstrap x", "--bootstrap")]
    [InlineData("--seed 3", "--seed")]
    [InlineData("--bootstrap-scheme blocks", "--bootstrap-scheme")]
    [InlineData("--bootstrap 5 --bootstrap-scheme jackknife", "jackknife")]
    [InlineData("--bootstrap 5 --bootstrap-scheme runs", "4 curves")]
    [InlineData("--bootstrap 5 --level 1.5", "--level")]
    [InlineData("--bootstrap 5 --level 0", "--level")]
    [InlineData("--bootstrap 5 --level abc", "--level")]
    [InlineData("--bootstrap 2.5", "--bootstrap")]
    public void Bad_bootstrap_options_are_one_line_and_leave_no_file(string options, string fragment)
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "law.json");
        string line = Cli.Run(FitArgs(law, [.. Cli.Split(options), "--quiet"])).AssertUsageError();
        Assert.Contains(fragment, line, StringComparison.Ordinal);
        Assert.False(File.Exists(law));
    }

    [Fact]
    public void Predict_gives_the_interval_per_point_and_for_the_final_loss()
    {
        var json = LawCliData.RunJson("predict", "--law", shared.Path, "--schedule", Wsd, "--steps", "every:2000", "--json");
        var loss = json["loss"]!.AsArray().Select(x => (double)x!).ToArray();
        var interval = json["interval"]!;
        Assert.Equal(0.9, JsonAssert.Number(interval, "level"));
        double[] lower = [.. interval["lower"]!.AsArray().Select(x => (double)x!)];
        double[] median = [.. interval["median"]!.AsArray().Select(x => (double)x!)];
        double[] upper = [.. interval["upper"]!.AsArray().Select(x => (double)x!)];
        Assert.Equal(loss.Length, lower.Length);
        Assert.Equal(loss.Length, upper.Length);
        for (int i = 0; i < loss.Length; i++)
        {
            Assert.True(lower[i] <= median[i] && median[i] <= upper[i], $"point {i}");
            Assert.InRange(loss[i], lower[i], upper[i]);   // a 90% interval of a well-fitted law holds its own prediction
        }
        Assert.Equal(lower[^1], JsonAssert.Number(interval["final"], "lower"));
        Assert.Equal(median[^1], JsonAssert.Number(interval["final"], "median"));
        Assert.Equal(upper[^1], JsonAssert.Number(interval["final"], "upper"));

        var narrow = LawCliData.RunJson("predict", "--law", shared.Path, "--schedule", Wsd, "--steps", "every:2000", "--level", "0.5", "--json")["interval"]!["final"]!;
        Assert.True(JsonAssert.Number(narrow, "lower") >= lower[^1] && JsonAssert.Number(narrow, "upper") <= upper[^1]);
    }

    [Fact]
    public void Fit_and_predict_end_to_end_on_a_held_out_run()
    {
        // Predict the held-out wsd_20000_24000 run at its own logged steps from the bootstrapped tissue law:
        // the table has the interval columns; the final line gives the final loss's interval.
        var r = Cli.Run("predict", "--law", shared.Path, "--schedule", "wsd(peak=3e-4,warmup=2160,steps=24000,cooldownSteps=4000,shape=linear,floor=3e-5)");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("90% lower", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("90% upper", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("(90% interval ", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_plot_draws_the_interval_as_a_band()
    {
        using var tmp = new TempDir();
        string png = Path.Combine(tmp.Path, "p.png");
        var r = Cli.Run("predict", "--law", shared.Path, "--schedule", Wsd, "--steps", "every:4000", "--plot", png, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var csv = File.ReadAllLines(Path.Combine(tmp.Path, "p.csv"));
        // The figure covers the run densely (not only the 6 steps of every:4000); the band's edges follow the curve's points.
        int points = csv.Count(l => l.StartsWith("predicted loss,", StringComparison.Ordinal));
        Assert.InRange(points, 400, 24000);
        Assert.Equal(points, csv.Count(l => l.StartsWith("90% interval [lower],", StringComparison.Ordinal)));
        Assert.Equal(points, csv.Count(l => l.StartsWith("90% interval [upper],", StringComparison.Ordinal)));
        var final = csv.Last(l => l.StartsWith("90% interval [upper],", StringComparison.Ordinal)).Split(',');
        Assert.Equal("24000", final[1]);
        var upper = (double?)r.Json()["interval"]!["final"]!["upper"];
        Assert.Equal(upper!.Value, double.Parse(final[2], System.Globalization.CultureInfo.InvariantCulture), 12);
    }

    [Fact]
    public void Level_without_a_bootstrap_is_a_usage_error_and_plain_laws_predict_as_before()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "plain.json");
        LawCliData.RunJson(["fit", "--law", "tissue", "--runs", .. LawCliData.Training("25"), "--out", law, "--json"]);
        string line = Cli.Run("predict", "--law", law, "--schedule", Wsd, "--level", "0.9").AssertUsageError();
        Assert.Contains("--level", line, StringComparison.Ordinal);
        Assert.Contains(law, line, StringComparison.Ordinal);
        var json = LawCliData.RunJson("predict", "--law", law, "--schedule", Wsd, "--json");
        Assert.Null(json["interval"]);
    }

    [Fact]
    public void A_law_file_with_a_broken_bootstrap_is_named()
    {
        using var tmp = new TempDir();
        var node = JsonNode.Parse(File.ReadAllText(shared.Path))!;
        node["bootstrap"]!["scheme"] = "jackknife";
        string law = Path.Combine(tmp.Path, "broken.json");
        File.WriteAllText(law, node.ToJsonString());
        string line = Cli.Run("predict", "--law", law, "--schedule", Wsd).AssertUsageError();
        Assert.Contains(law, line, StringComparison.Ordinal);
        Assert.Contains("bootstrap", line, StringComparison.Ordinal);
        Assert.Contains("jackknife", line, StringComparison.Ordinal);
    }
}
