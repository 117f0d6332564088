using System.Globalization;

namespace HyperLaws.Cli.Tests.Commands;

using HyperLaws.Cli.Commands.Contour;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using Xunit;

/// <summary><c>hyperlaws contour</c>: figures per budget written (PNG, SVG, CSV), the optimum in the CSV is the grid's minimum.</summary>
public sealed class ContourCommandTests
{
    private const string TissueLaw = """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0.40}}""";

    private static string WriteLaw(TempDir tmp)
    {
        string path = Path.Combine(tmp.Path, "law.json");
        File.WriteAllText(path, TissueLaw);
        return path;
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void Each_budget_gets_png_svg_csv_and_the_optimum_is_the_grid_minimum()
    {
        using var tmp = new TempDir();
        string law = WriteLaw(tmp), dir = Path.Combine(tmp.Path, "out");
        var json = LawCliData.RunJson("contour", "--law", law, "--tokens", "1B,2B", "--tokens-per-step", "500k", "--family", "wsd",
            "--peaks", "1e-4:1e-3:5", "--warmups", "0.01:0.2:4", "--out", dir, "--json");
        foreach (string label in new[] { "1B_tokens", "2B_tokens" })
            foreach (string ext in new[] { "png", "svg", "csv" })
                Assert.True(new FileInfo(Path.Combine(dir, $"contour_{label}.{ext}")).Length > 100, $"{label}.{ext} missing or empty");
        var optima = File.ReadAllLines(Path.Combine(dir, "contour_optima.csv"));
        Assert.Equal("budget,steps,family,warmup,peak,loss,perplexity", optima[0]);
        Assert.Equal(3, optima.Length);
        // 1B tokens at 500k per step = 2000 steps.
        var first = optima[1].Split(',');
        Assert.Equal("1B tokens", first[0]);
        Assert.Equal("2000", first[1]);
        // The optimum's perplexity is the smallest z in that budget's grid CSV (x = warmup, y = peak, z = perplexity).
        var grid = File.ReadAllLines(Path.Combine(dir, "contour_1B_tokens.csv")).Skip(1).Select(l => l.Split(',').Select(D).ToArray()).ToList();
        Assert.Equal(5 * 4, grid.Count);
        var min = grid.MinBy(g => g[2])!;
        Assert.Equal(D(first[3]), min[0]);
        Assert.Equal(D(first[4]), min[1], 12);
        Assert.Equal(D(first[6]), min[2], 9);
        Assert.Equal(Math.Exp(D(first[5])), D(first[6]), 9);
        Assert.Equal(2, json["optima"]!.AsArray().Count);
        // Tissue's shortest warmup wins (more LR area): each optimum is at the warmup axis' lowest, warned per budget as the peak's edge is.
        var warmupEdges = json["warnings"]!.AsArray().Where(w => (string?)w!["labels"]![0] == "warmup").ToList();
        Assert.Equal(["1B tokens", "2B tokens"], warmupEdges.Select(w => (string)w!["budget"]!));
        Assert.All(warmupEdges, w => Assert.Equal("low", (string?)w!["labels"]![1]));
        Assert.Equal(D(first[3]), JsonAssert.Number(warmupEdges[0]!["quantities"], "value"));
    }

    [Theory]
    [InlineData("cosine")]
    [InlineData("wsd")]
    public void An_OptLaw_grid_by_columns_is_each_cells_own_prediction_in_the_cells_order(string family)
    {
        // A non-square grid (3 peaks x 2 warmups): a transposed or shifted column would put another cell's loss in place.
        var law = new OptLaw();
        double[] p = new double[law.ParameterNames.Count];
        (p[OptLaw.L0], p[OptLaw.A], p[OptLaw.Alpha], p[OptLaw.Sw], p[OptLaw.Power]) = (2.5, 0.5, 0.4, 0.05, 0.8);
        p[OptLaw.FirstWeight + 3] = 50;
        p[OptLaw.FirstWeight + 6] = 200;
        double[] peaks = [3e-4, 1e-3, 3e-3];
        int[] warmups = [10, 120];
        const int steps = 600;
        LrSchedule Make(double peak, int warmup) => ContourCommand.Make(family, peak, steps, warmup, 0.2, 0.1);
        var columns = ContourHandler.ByColumns(law, p, peaks, warmups, Make).Loss;
        var cells = SchedulePreselection.Predict(law, p, [.. peaks.SelectMany(x => warmups.Select(w => Make(x, w)))], double.NaN, null).Loss;
        Assert.Equal(peaks.Length * warmups.Length, columns.Length);
        for (int i = 0; i < cells.Length; i++)
            Assert.True(Math.Abs(columns[i] - cells[i]) <= 1e-12 * Math.Abs(cells[i]), $"cell {i}: {columns[i]:R} against {cells[i]:R}");
        Assert.Equal(cells.Length, cells.Distinct().Count());   // every cell its own value: a permutation would fail above
    }

    [Theory]
    [InlineData("--tokens 1B", "--tokens-per-step")]
    [InlineData("--tokens 1B --tokens-per-step 500k --steps 100", "--tokens:")]
    [InlineData("--steps 1000 --family adam", "--family: 'adam'")]
    [InlineData("--steps 1000 --peaks 1e-3:1e-4:5", "--peaks:")]
    public void Bad_options_are_one_line_errors(string options, string expected)
    {
        using var tmp = new TempDir();
        string law = WriteLaw(tmp), dir = Path.Combine(tmp.Path, "out");
        string[] peaks = options.Contains("--peaks", StringComparison.Ordinal) ? [] : ["--peaks", "1e-4:1e-3:3"];
        var line = Cli.Run(["contour", "--law", law, "--out", dir, .. peaks, .. Cli.Split(options)]).AssertUsageError();
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir) && Directory.EnumerateFiles(dir).Any(), "an error left files behind");
    }

    /// <summary>The shared --divergence text said "ranked last", which contour does not do (it blanks those cells): each command says its own.</summary>
    [Fact]
    public void Help_says_what_each_command_does_with_a_diverging_candidate()
    {
        // Words only: the help wraps at the console's width.
        static string Help(string command) => System.Text.RegularExpressions.Regex.Replace(Cli.Run(command, "--help").Stdout, @"\s+", " ");
        string contour = Help("contour"), rank = Help("rank");
        Assert.Contains("left blank (never the optimum)", contour, StringComparison.Ordinal);
        Assert.DoesNotContain("ranked last", contour, StringComparison.Ordinal);
        Assert.Contains("marked and ranked last", rank, StringComparison.Ordinal);
        Assert.Contains("with ensemble-lr, the runs' own peak LRs", rank, StringComparison.Ordinal);
    }
}
