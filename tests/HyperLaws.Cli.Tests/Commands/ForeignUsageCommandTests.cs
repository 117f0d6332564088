using System.Text.Json.Nodes;
using HyperLaws.Planning;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// What a new user meets running the commands on public runs outside shared/data (benchmarks/foreign-usage/run.sh): here the real
/// fairseq 13B FSDP log (tests/HyperLaws.Readers.Tests/TestData/fairseq_log, MIT, its README), ten updates logged. A law fitted on
/// ten steps and asked for a hundred extrapolates tenfold: fit's JSON carries its poor-fit note (a fitted L0 &lt; 0), and predict,
/// rank and contour say the extrapolation and withhold every loss the runs do not support (<see cref="PredictionSupport"/>: not
/// physical, or past the runs from a law without a physical floor): null, with a structured LossNotPhysical warning. Before, fit
/// --json said nothing, predict printed 124.9 nats (the runs logged 11.5-17.5), later with a warning string beside the number.
/// </summary>
public sealed class ForeignUsageCommandTests
{
    private static string Real(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "fairseq_log", name);

    [Fact]
    public void Predict_and_rank_beyond_a_ten_step_fairseq_log_say_it_and_withhold_unsupported_losses()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "LAW.json");
        var fit = Cli.Run("fit", "--law", "optlaw", "--runs", Real("fsdp_13b_8gpu.log"), "--out", law, "--json").Json();
        double l0 = fit["parameters"]!["L0"]!.GetValue<double>();
        var fitWarnings = fit["warnings"]!.AsArray().Select(w => (string)w!).ToList();
        Assert.Equal(l0 < 0, fitWarnings.Any(w => w.Contains("L0 = ", StringComparison.Ordinal) && w.Contains("< 0", StringComparison.Ordinal)));
        Assert.True(l0 < 0, $"L0 = {l0}: ten updates do not identify the floor (-72 at this commit)");

        var p = Cli.Run("predict", "--law", law, "--schedule", "linear(peak=0.0001,warmup=5,steps=100)", "--steps", "50,100", "--json").Json();
        var warnings = p["warnings"]!.AsArray().Select(w => (string)w!).ToList();
        Assert.Contains("step 100 is 10x the longest training run (10 steps): extrapolated", warnings);
        // Both asked steps are past the runs' 10 steps, from a law without a physical floor: neither loss is given.
        Assert.All(p["loss"]!.AsArray(), x => Assert.Null(x));
        Assert.Null(p["finalLoss"]);
        ForeignPlausibilityCommandTests.AssertWithheld(p, 2);

        var r = Cli.Run("rank", "--law", law, "--steps", "100", "--top", "3", "--json").Json();
        var rankWarnings = r["warnings"]!.AsArray().Select(w => (string)w!).ToList();
        Assert.Contains(rankWarnings, w => w.StartsWith("100 steps is 10x the longest training run", StringComparison.Ordinal));
        Assert.All(r["candidates"]!.AsArray(), c => Assert.Null(c!["predictedLoss"]));
        ForeignPlausibilityCommandTests.AssertWithheld(r, r["evaluated"]!.GetValue<int>());
    }

    /// <summary>
    /// contour on the same law: at 100 steps some cells' losses overflow exp(L) (blank, said in a note) and the optimum's loss is
    /// withheld (past the runs from a law without a physical floor); at 5,000 steps every cell's loss is thousands of nats and every
    /// perplexity is infinite: the figure's colour range stopped the command with exit 70 ("internal error (ArgumentException): min
    /// must be a real number", ScottPlot, at an earlier commit); now a one-line exit 2.
    /// </summary>
    [Theory]
    [InlineData(100)]
    [InlineData(5000)]
    public void Contour_far_beyond_a_ten_step_fairseq_log_blanks_overflowing_cells_instead_of_crashing(int steps)
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "LAW.json");
        Assert.Equal(0, Cli.Run("fit", "--law", "optlaw", "--runs", Real("fsdp_13b_8gpu.log"), "--out", law, "--quiet").ExitCode);
        var r = Cli.Run("contour", "--law", law, "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", Path.Combine(tmp.Path, "c"), "--json");
        Assert.True(r.ExitCode is 0 or 2, $"exit {r.ExitCode}: {r.Stderr}");
        if (r.ExitCode == 2)
        {
            Assert.Contains("no finite loss (with a finite perplexity)", r.AssertUsageError(), StringComparison.Ordinal);
            return;
        }
        var j = r.Json();
        Assert.Null(j["optima"]!.AsArray()[0]!["loss"]);
        Assert.Null(j["optima"]!.AsArray()[0]!["perplexity"]);
        ForeignPlausibilityCommandTests.AssertWithheld(j, 1);
        Assert.Contains(j["notes"]!.AsArray(), n => ((string)n!).StartsWith("NO LOSS GIVEN for 1 budget optima", StringComparison.Ordinal));
    }

    [Fact]
    public void Predict_inside_the_fitted_steps_adds_no_range_warning()
    {
        using var tmp = new TempDir();
        string law = Path.Combine(tmp.Path, "LAW.json");
        Assert.Equal(0, Cli.Run("fit", "--law", "tissue", "--runs", Real("fsdp_13b_8gpu.log"), "--out", law, "--quiet").ExitCode);
        var p = Cli.Run("predict", "--law", law, "--schedule", "linear(peak=0.0001,warmup=5,steps=10)", "--json").Json();
        Assert.DoesNotContain(p["warnings"]!.AsArray(), w => ((string)w!).Contains("longest training run", StringComparison.Ordinal));
    }
}
