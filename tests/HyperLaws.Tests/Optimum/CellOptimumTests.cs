using CsCheck;
using HyperLaws.Optimum;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Tests.Optimum;

public sealed class CellOptimumTests
{
    [Fact]
    public void The_quadratic_recovers_the_minimiser_of_a_quadratic_in_logs_loss_surface() =>
        Property.ForAll(Gen.Select(Gen.Double[-1.5, 1.5], Gen.Double[-1.5, 1.5]), t =>
        {
            // The true optimum lies off the grid points, inside the sampled range.
            double lnLr = Math.Log(2e-3) + t.Item1, lnB = Math.Log(256 * 2048.0) + t.Item2;
            var cell = SyntheticSweep.Cell(1e8, 1e10, 2e-3, 256, 8, 6, SyntheticSweep.Bowl(lnLr, lnB));
            var o = CellOptimumEstimator.Estimate(cell);
            Assert.Equal("quadratic", o.Method);
            Assert.True(Math.Abs(o.LnLearningRate - lnLr) < 1e-8, $"ln lr {o.LnLearningRate} vs {lnLr}");
            Assert.True(Math.Abs(o.LnBatchTokens - lnB) < 1e-8, $"ln B {o.LnBatchTokens} vs {lnB}");
            Assert.Equal(cell.Points.Min(p => p.SmoothLoss), o.BestLoss);
        }, iterations: 40);

    [Fact]
    public void Diverged_runs_outside_the_window_do_not_move_the_optimum()
    {
        double lnLr = Math.Log(3e-3), lnB = Math.Log(300 * 2048.0);
        var clean = SyntheticSweep.Cell(1e8, 1e10, 2e-3, 256, 8, 6, SyntheticSweep.Bowl(lnLr, lnB));
        // Runs at the highest LRs diverge: loss 7 instead of the bowl's value.
        double maxLr = clean.Points.Max(p => p.LearningRate);
        var diverged = new SweepCell(clean.N, clean.D, [.. clean.Points.Select(p => p.LearningRate >= maxLr / 1.5 ? p with { Loss = 7, SmoothLoss = 7 } : p)]);
        var a = CellOptimumEstimator.Estimate(clean);
        var b = CellOptimumEstimator.Estimate(diverged);
        Assert.Equal(a.LnLearningRate, b.LnLearningRate, 10);
        Assert.Equal(a.LnBatchTokens, b.LnBatchTokens, 10);
        Assert.True(Math.Abs(b.LnLearningRate - lnLr) < 1e-8);
    }

    [Fact]
    public void An_optimum_beyond_the_sampled_range_is_held_at_its_edge()
    {
        // The bowl's centre lies far above the highest LR sampled (2e-3 * 2^4 = 3.2e-2): the minimiser of the
        // fitted quadratic is constrained to the window's range, so it lands on the highest LR of the window.
        double lnLr = Math.Log(0.5), lnB = Math.Log(256 * 2048.0);
        var cell = SyntheticSweep.Cell(1e8, 1e10, 2e-3, 256, 8, 6, SyntheticSweep.Bowl(lnLr, lnB, a: 0.002, b: 0));
        var o = CellOptimumEstimator.Estimate(cell);
        Assert.Equal("quadratic", o.Method);
        Assert.Equal(Math.Log(cell.Points.Max(p => p.LearningRate)), o.LnLearningRate, 10);
        Assert.True(Math.Abs(o.LnBatchTokens - lnB) < 1e-8);
    }

    [Fact]
    public void Best_run_picks_the_lowest_loss_of_the_chosen_column()
    {
        var cell = new SweepCell(1e8, 1e10,
        [
            new SweepPoint(1e8, 1e10, 1e-3, 128, 128 * 2048, 100, Loss: 2.50, SmoothLoss: 2.40, "a"),
            new SweepPoint(1e8, 1e10, 2e-3, 256, 256 * 2048, 100, Loss: 2.45, SmoothLoss: 2.42, "b"),
        ]);
        var smooth = CellOptimumEstimator.Estimate(cell, new OptimumOptions(SweepLoss.Smooth, OptimumEstimator.BestRun));
        var raw = CellOptimumEstimator.Estimate(cell, new OptimumOptions(SweepLoss.Final, OptimumEstimator.BestRun));
        Assert.Equal("a", smooth.Best.Name);
        Assert.Equal(Math.Log(1e-3), smooth.LnLearningRate, 12);
        Assert.Equal(2.40, smooth.BestLoss);
        Assert.Equal("b", raw.Best.Name);
        Assert.Equal(256 * 2048.0, raw.BatchTokens, 6);
        // Two runs are too few for the quadratic: it falls back to the best run and says why.
        var q = CellOptimumEstimator.Estimate(cell);
        Assert.StartsWith("best run (", q.Method, StringComparison.Ordinal);
        Assert.Equal("a", q.Best.Name);
    }

    [Fact]
    public void A_concave_surface_falls_back_to_the_best_run()
    {
        var cell = SyntheticSweep.Cell(1e8, 1e10, 2e-3, 256, 3, 3, (x, y) => 3 - 0.001 * (x + 6) * (x + 6) - 0.001 * (y - 13) * (y - 13));
        var o = CellOptimumEstimator.Estimate(cell);
        Assert.Equal("best run (fitted quadratic not convex)", o.Method);
        Assert.Equal(Math.Log(o.Best.LearningRate), o.LnLearningRate);
    }

    [Fact]
    public void Bad_options_and_unusable_losses_are_rejected()
    {
        var cell = SyntheticSweep.Cell(1e8, 1e10, 2e-3, 256, 3, 3, SyntheticSweep.Bowl(-6, 13));
        Assert.Throws<ArgumentException>(() => CellOptimumEstimator.Estimate(cell, new OptimumOptions(Window: 0)));
        var nan = new SweepCell(1e8, 1e10, [cell.Points[0] with { SmoothLoss = double.NaN }]);
        var e = Assert.Throws<ArgumentException>(() => CellOptimumEstimator.Estimate(nan));
        Assert.Contains("smooth loss", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CellOptimumEstimator.Estimate(new SweepCell(1, 1, [])));
    }
}
