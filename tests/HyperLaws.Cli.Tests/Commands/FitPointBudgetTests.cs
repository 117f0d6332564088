using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>hyperlaws fit --max-points</c> (issue 12; docs/VALIDATION.md, "OptLaw on 143k-point curves"): by default, and for runs within the
/// budget, every point exactly as before; a longer run is fitted on the budget's bin means, and its per-run errors are still on every point.
/// </summary>
public sealed class FitPointBudgetTests
{
    private static double[] Parameters(JsonObject json) => [.. json["parameters"]!.AsObject().Select(p => (double)p.Value!)];

    [Fact]
    public void Runs_within_the_budget_are_fitted_on_every_point_as_before()
    {
        using var tmp = new TempDir();
        var byDefault = LawCliData.RunJson(["fit", "--law", "tissue", "--runs", .. LawCliData.Training("25"), "--out", Path.Combine(tmp.Path, "a.json"), "--json"]);
        var budget = LawCliData.RunJson(["fit", "--law", "tissue", "--runs", .. LawCliData.Training("25"), "--out", Path.Combine(tmp.Path, "b.json"), "--json", "--max-points", "2000"]);
        Assert.Equal(Parameters(budget), Parameters(byDefault));
    }

    [Fact]
    public void A_longer_run_is_fitted_on_bin_means_and_reported_on_every_point()
    {
        using var tmp = new TempDir();
        // 3,000 logged steps of a cosine with warmup; the loss a power law in intrinsic time plus a deterministic wiggle.
        const int steps = 3000;
        var csv = new StringBuilder("step,lr,loss\n");
        double s1 = 0;
        for (int t = 1; t <= steps; t++)
        {
            double lr = t <= 30 ? 1e-3 * t / 30 : 1e-4 + 9e-4 * 0.5 * (1 + Math.Cos(Math.PI * (t - 30) / (steps - 30)));
            s1 += lr;
            double loss = 3 + 0.8 * Math.Pow(s1 + 0.01, -0.4) + 0.01 * Math.Sin(0.37 * t);
            csv.Append(CultureInfo.InvariantCulture, $"{t},{lr:R},{loss:R}\n");
        }
        string run = tmp.File("long.csv", csv.ToString());
        JsonObject Fit(string name, params string[] extra) =>
            LawCliData.RunJson(["fit", "--law", "optlaw", "--runs", run, "--out", Path.Combine(tmp.Path, name), "--json", .. extra]);

        var byDefault = Fit("a.json");
        var budget = Fit("b.json", "--max-points", "2000");
        var everyPoint = Fit("c.json", "--max-points", "3000");
        // By default every point (the budget failed its declared rule as the default); a budget below the run's points changes the fit.
        Assert.Equal(Parameters(everyPoint), Parameters(byDefault));
        Assert.NotEqual(Parameters(budget), Parameters(byDefault));
        // The per-run errors are on the run's 3,000 points either way: both fits describe the same curve closely.
        foreach (var json in new[] { budget, everyPoint })
            Assert.InRange(JsonAssert.Number(json["training"]![0], "predE"), 0, 0.01);

        var text = Cli.Run(["fit", "--law", "optlaw", "--runs", run, "--out", Path.Combine(tmp.Path, "d.json"), "--max-points", "2000"]);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("runs of more than 2000 points are fitted on 2000 bin means each (--max-points)", text.Stderr, StringComparison.Ordinal);

        // LAW.json records the budget it was fitted on (and reads it back); a fit on every point writes none.
        Assert.Equal(2000, (int)JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.Path, "b.json")))!["maxPointsPerCurve"]!);
        Assert.Equal(2000, HyperLaws.Fitting.FittedLawDocument.Parse(File.ReadAllText(Path.Combine(tmp.Path, "d.json"))).MaxPointsPerCurve);
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.Path, "a.json")))!["maxPointsPerCurve"]);
    }

    [Fact]
    public void A_budget_below_two_is_a_usage_error()
    {
        using var tmp = new TempDir();
        string error = Cli.Run(["fit", "--law", "tissue", "--runs", .. LawCliData.Training("25"), "--out", Path.Combine(tmp.Path, "a.json"), "--max-points", "1"]).AssertUsageError();
        Assert.Contains("--max-points", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(tmp.Path, "a.json")));
    }
}
