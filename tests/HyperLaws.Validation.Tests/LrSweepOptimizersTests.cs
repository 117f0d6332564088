using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>Protocol 23's bookkeeping on a small hand-made sweep of two optimizers: each fitted alone, AdamW a reference, the rule's count.</summary>
public sealed class LrSweepOptimizersTests
{
    private static SweepPoint Point(string opt, double d, double lr, double loss) =>
        new(1e8, d, lr, 64, 64 * 4096, (int)(d / (64 * 4096)), loss, double.NaN, FormattableString.Invariant($"{opt}-d{d:G3}-lr{lr:G3}")) { Configuration = opt, WarmupSteps = 200, MinLrRatio = 0 };

    private static SweepTable Table() => new(
    [
        Point("adamw", 2e9, 0.002, 3.71), Point("adamw", 2e9, 0.004, 3.64), Point("adamw", 2e9, 0.008, 3.66),
        Point("muon", 2e9, 0.008, 3.70), Point("muon", 2e9, 0.016, 3.62), Point("muon", 2e9, 0.032, 3.65), Point("muon", 2e9, 0.064, 3.75),
        Point("muon", 4e9, 0.008, 3.55), Point("muon", 4e9, 0.016, 3.56),
    ]);

    [Fact]
    public void Each_optimizer_is_protocol_20_on_its_own_runs_and_adamw_is_not_counted()
    {
        var result = LrSweepOptimizers.Run(Table());
        Assert.Equal(["adamw", "muon"], result.Optimizers.Select(o => o.Optimizer).ToList());
        var adamw = result.Optimizers[0];
        var muon = result.Optimizers[1];
        // Each fit sees its optimizer's finite runs only: 3 and 6, never the 9 together.
        Assert.Equal((3, 6), (adamw.Result.Runs, muon.Result.Runs));
        Assert.Equal(LrSweepHoldOut.Run(new SweepTable([.. Table().Points.Where(p => p.Configuration == "muon")])).Folds.Select(f => f.Predicted), muon.Result.Folds.Select(f => f.Predicted));
        Assert.Equal(["muon 1E+08 1x", "muon 1E+08 2x"], muon.Result.Cells.Select(c => c.Cell).ToList());
        Assert.Single(muon.HeadlineCells); // 4 finite LRs at 1x; 2 at 2x
        Assert.NotNull(muon.RuleMet);
        Assert.Equal([muon], result.Counted); // AdamW is protocol 20's, reported and not counted
        Assert.Equal(muon.RuleMet == true ? 1 : 0, result.RuleMetCount);
    }

    [Fact]
    public void The_rule_is_protocol_20s_on_the_headline_cells()
    {
        var muon = LrSweepOptimizers.Run(Table(), "MUON").Optimizers.Single();
        var folds = muon.Result.FoldsOf(3);
        bool expected = folds.Average(f => f.Error) <= folds.Average(f => f.BaselineError) && folds.Single(f => f.HeldBest).IsNearest;
        Assert.Equal(expected, muon.RuleMet);
        // An optimizer with no cell of three finite LRs has no verdict.
        var two = LrSweepOptimizers.Run(new SweepTable([Point("lion", 2e9, 0.001, 3.6), Point("lion", 2e9, 0.002, 3.61)])).Optimizers.Single();
        Assert.Null(two.RuleMet);
    }

    [Fact]
    public void An_optimizer_not_in_the_tables_is_named_with_the_ones_there()
    {
        var e = Assert.Throws<ValidationDataException>(() => LrSweepOptimizers.Run(Table(), "sophia"));
        Assert.Equal("the optimizer 'sophia' has no table here (the tables' optimizers: adamw, muon).", e.Message);
    }

    /// <summary>A headline cell's three folds, hand-made: the best run's fold nearest the best LR (optimum 0.004) or a full step off (0.008); errors as given.</summary>
    private static IEnumerable<LrSweepFold> Folds(string cell, bool nearest, double error, double baselineError) =>
    [
        new(cell, 3, 0.004, 3.0, 3.0 * (1 + error), 3.0 * (1 + baselineError), HeldBest: true, nearest ? 0.004 : 0.008, 0.004),
        new(cell, 3, 0.002, 3.1, 3.1 * (1 + error), 3.1 * (1 + baselineError), HeldBest: false, 0.004, 0.004),
        new(cell, 3, 0.008, 3.2, 3.2 * (1 + error), 3.2 * (1 + baselineError), HeldBest: false, 0.004, 0.004),
    ];

    private static LrSweepOptimizerResult Result(params (bool Nearest, double Error, double BaselineError)[] cells)
    {
        var labels = cells.Select((_, i) => $"muon cell{i}").ToList();
        var folds = cells.SelectMany((c, i) => Folds(labels[i], c.Nearest, c.Error, c.BaselineError)).ToList();
        var table = labels.Select(l => new LrSweepCell(l, 1e8, 2e9, 3, 0, 0.004, true, 0.004)).ToList();
        return new LrSweepOptimizerResult("muon", new LrSweepHoldOutResult(folds, table, folds.Count, 0));
    }

    [Fact]
    public void Two_of_three_nearest_meets_the_rule_three_of_five_does_not()
    {
        Assert.True(Result((true, 0.002, 0.01), (true, 0.002, 0.01), (false, 0.002, 0.01)).RuleMet);
        Assert.False(Result((true, 0.002, 0.01), (true, 0.002, 0.01), (true, 0.002, 0.01), (false, 0.002, 0.01), (false, 0.002, 0.01)).RuleMet);
        // Four of five is at least two thirds again.
        Assert.True(Result((true, 0.002, 0.01), (true, 0.002, 0.01), (true, 0.002, 0.01), (true, 0.002, 0.01), (false, 0.002, 0.01)).RuleMet);
    }

    [Fact]
    public void A_mean_error_above_the_baseline_fails_the_rule_even_with_every_optimum_nearest()
    {
        Assert.False(Result((true, 0.012, 0.01), (true, 0.012, 0.01), (true, 0.012, 0.01)).RuleMet);
        Assert.True(Result((true, 0.008, 0.01), (true, 0.008, 0.01), (true, 0.008, 0.01)).RuleMet);
    }

    [Fact]
    public void An_optimizer_whose_every_run_diverged_has_no_verdict_and_the_others_still_run()
    {
        var table = new SweepTable([.. Table().Points, Point("lion", 2e9, 0.001, double.PositiveInfinity), Point("lion", 2e9, 0.002, double.PositiveInfinity)]);
        var result = LrSweepOptimizers.Run(table);
        Assert.Equal(["adamw", "muon", "lion"], result.Optimizers.Select(o => o.Optimizer).ToList());
        var lion = result.Optimizers[2];
        Assert.Contains("every run of every cell diverged", lion.NoVerdict, StringComparison.Ordinal);
        Assert.Null(lion.RuleMet);
        Assert.Empty(lion.Result.Folds);
        Assert.Null(result.Optimizers[1].NoVerdict);
        Assert.Equal(LrSweepOptimizers.Run(Table(), "muon").Optimizers.Single().Result.Folds.Select(f => f.Predicted), result.Optimizers[1].Result.Folds.Select(f => f.Predicted));
        Assert.DoesNotContain(lion, result.Counted);
    }
}
