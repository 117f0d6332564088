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
}
