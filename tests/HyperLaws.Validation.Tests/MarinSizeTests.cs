using HyperLaws.Divergence;
using HyperLaws.Readers;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 22's splits on a subset of Marin's AdamW tables (the baseline and LR rows of 130m, 300m and 520m at 1x, 2x and 8x
/// Chinchilla, values copied from the tables at commit 122c501, as <see cref="MarinSweepReader"/> reads them): nothing of a split's
/// targets enters its fit, and the baseline is the declared extrapolation.
/// </summary>
public sealed class MarinSizeTests
{
    /// <summary>One row as the reader makes it: N from the size tag, D = K x 20 x N, steps = D // (4096 x batch).</summary>
    private static SweepPoint Row(string size, int k, int batch, int warmup, double lr, double loss)
    {
        double n = MarinSweepReader.Parameters[size], d = k * 20.0 * n, tokens = batch * 4096.0;
        return new SweepPoint(n, d, lr, batch, tokens, (int)Math.Floor(d / tokens), loss, double.NaN, FormattableString.Invariant($"{size}-{k}x-lr{lr}"))
        { Configuration = "adamw", WarmupSteps = warmup, MinLrRatio = 0 };
    }

    private static List<SweepPoint> Subset() =>
    [
        Row("130m", 1, 128, 2000, 0.004, 3.550), Row("130m", 1, 128, 2000, 0.008, 3.529), Row("130m", 1, 128, 2000, 0.016, 3.538), Row("130m", 1, 128, 2000, 0.032, 7.781),
        Row("130m", 2, 128, 2000, 0.004, 3.420), Row("130m", 2, 128, 2000, 0.008, 3.409), Row("130m", 2, 128, 2000, 0.016, 3.419), Row("130m", 2, 128, 2000, 0.032, 7.840),
        Row("130m", 8, 256, 1000, 0.004, 3.270), Row("130m", 8, 256, 1000, 0.008, 3.262), Row("130m", 8, 256, 1000, 0.016, 7.435),
        Row("300m", 1, 128, 2000, 0.004, 3.272), Row("300m", 1, 128, 2000, 0.008, 3.264), Row("300m", 1, 128, 2000, 0.016, 7.760),
        Row("300m", 2, 128, 2000, 0.004, 3.167), Row("300m", 2, 128, 2000, 0.008, 3.166),
        Row("300m", 8, 256, 2000, 0.004, 3.042), Row("300m", 8, 256, 2000, 0.008, 3.043),
        Row("520m", 1, 256, 1000, 0.004, 3.110), Row("520m", 1, 256, 1000, 0.008, 7.837),
        Row("520m", 2, 256, 1000, 0.004, 3.023),
        Row("520m", 8, 256, 1000, 0.004, 2.913), Row("520m", 8, 256, 1000, 0.008, 7.183),
    ];

    [Fact]
    public void The_size_split_never_fits_a_520m_run_and_its_predictions_ignore_their_losses()
    {
        var result = MarinSize.Run(new SweepTable(Subset()), profileBeta: false);
        var size = result.Size;
        Assert.Equal(17, result.Runs);
        Assert.Equal(14, size.TrainRuns.Count);
        Assert.DoesNotContain(size.TrainRuns, n => n.StartsWith("520m", StringComparison.Ordinal));
        Assert.DoesNotContain(size.TrainCells, c => c.Contains("520m", StringComparison.Ordinal));
        Assert.Equal(["520m-1x-lr0.004", "520m-2x-lr0.004", "520m-8x-lr0.004"], size.Runs.Select(r => r.Name));
        Assert.Equal(0.34, size.JointBeta, 12); // two training sizes: the prior
        // The 520m losses changed (by up to 3%, finite): the size split's fit and predictions are the same bit for bit.
        var moved = Subset().Select(p => p.N == MarinSweepReader.Parameters["520m"] && double.IsFinite(p.Loss) && p.Loss < 4 ? p with { Loss = p.Loss * 1.03 } : p).ToList();
        var again = MarinSize.Run(new SweepTable(moved), profileBeta: false).Size;
        Assert.Equal(size.Runs.Select(r => r.Joint), again.Runs.Select(r => r.Joint));
        Assert.Equal(size.Runs.Select(r => r.Baseline), again.Runs.Select(r => r.Baseline));
        Assert.Equal(size.Cells.Select(c => (c.Chinchilla, c.ChinchillaFixedAlpha, c.LawLr)), again.Cells.Select(c => (c.Chinchilla, c.ChinchillaFixedAlpha, c.LawLr)));
        Assert.Equal(size.Runs.Select(r => r.Actual * 1.03), again.Runs.Select(r => r.Actual), (a, b) => Math.Abs(a - b) < 1e-12);

        // The baseline: ln L linear in ln N through 130m and 300m at the same horizon and LR.
        double n1 = MarinSweepReader.Parameters["130m"], n2 = MarinSweepReader.Parameters["300m"], n3 = MarinSweepReader.Parameters["520m"];
        double expected = Math.Exp(Math.Log(3.272) + (Math.Log(3.550) - Math.Log(3.272)) / (Math.Log(n1) - Math.Log(n2)) * (Math.Log(n3) - Math.Log(n2)));
        Assert.Equal(expected, size.Runs[0].Baseline, 12);
        // 520m: the diverged 0.008 is never fitted nor a target; the lowest diverged LR is reported (none run at 2x).
        Assert.Equal([0.008, double.NaN, 0.008], size.Cells.Select(c => c.LowestDivergedLr));
        Assert.All(size.Cells, c => Assert.InRange(c.LawLr, MarinSize.OptimumLow * (1 - 1e-12), MarinSize.OptimumHigh * (1 + 1e-12)));
        Assert.All(size.Runs, r => Assert.True(r.CellBest));
        Assert.All(size.Runs, r => Assert.InRange(r.Joint, 2, 4));
    }

    [Fact]
    public void The_horizon_split_fits_only_1x_to_4x_and_predicts_every_longer_run()
    {
        var result = MarinSize.Run(new SweepTable(Subset()), profileBeta: false);
        var horizon = result.Horizon;
        Assert.Equal(12, horizon.TrainRuns.Count);
        Assert.DoesNotContain(horizon.TrainRuns, n => n.Contains("-8x-", StringComparison.Ordinal));
        Assert.Equal(["130m-8x-lr0.004", "130m-8x-lr0.008", "300m-8x-lr0.004", "300m-8x-lr0.008", "520m-8x-lr0.004"], horizon.Runs.Select(r => r.Name));
        Assert.Equal([false, true, true, false, true], horizon.Runs.Select(r => r.CellBest));
        // The 8x losses changed: the horizon split's predictions are the same bit for bit.
        var moved = Subset().Select(p => p.D == 8 * 20 * p.N && double.IsFinite(p.Loss) && p.Loss < 4 ? p with { Loss = p.Loss * 0.98 } : p).ToList();
        var again = MarinSize.Run(new SweepTable(moved), profileBeta: false).Horizon;
        Assert.Equal(horizon.Runs.Select(r => (r.Joint, r.Baseline)), again.Runs.Select(r => (r.Joint, r.Baseline)));
        Assert.Equal(horizon.Cells.Select(c => (c.Chinchilla, c.LawLr)), again.Cells.Select(c => (c.Chinchilla, c.LawLr)));
        Assert.Equal(horizon.Runs.Select(r => r.Actual * 0.98), again.Runs.Select(r => r.Actual), (a, b) => Math.Abs(a - b) < 1e-12);
        // The baseline: ln L linear in ln D through the same size's 1x and 2x (the two nearest horizons here) at the same LR.
        double expected = Math.Exp(Math.Log(3.420) + (Math.Log(3.420) - Math.Log(3.550)) * (Math.Log(8) - Math.Log(2)) / Math.Log(2));
        Assert.Equal(expected, horizon.Runs[0].Baseline, 12);
        Assert.All(horizon.Cells, c => Assert.True(double.IsNaN(c.ChinchillaFixedAlpha))); // the alpha-0.34 variant is 22a-size's only
        Assert.True(double.IsFinite(horizon.JointBeta)); // three training sizes: beta fitted
        Assert.Equal(horizon.Runs.Average(r => r.JointError), horizon.JointMean, 15);
        Assert.Equal(horizon.JointMean <= horizon.BaselineMean && horizon.JointMax <= 0.01, horizon.RuleMet);
    }

    [Theory]
    [InlineData(new[] { 1.5, 1.2, 1.05, 1.0, 1.005, 1.3, 1.6, 1.8, 2.0, 2.1, 2.2, 2.3 }, true)]   // band 0.16-0.20: identified
    [InlineData(new[] { 1.0, 1.005, 1.3, 1.6, 1.7, 1.8, 1.9, 2.0, 2.1, 2.2, 2.3, 2.4 }, false)]  // the grid's lowest end in the band
    [InlineData(new[] { 1.5, 1.009, 1.0, 1.005, 1.008, 1.009, 1.7, 1.8, 1.9, 2.0, 2.1, 2.2 }, false)] // band 0.08-0.24 spans 0.16 > 0.12
    [InlineData(new[] { 1.5, 1.005, 1.3, 1.0, 1.6, 1.7, 1.8, 1.9, 2.0, 2.1, 2.2, 2.3 }, false)]   // not contiguous (0.08 and 0.16)
    public void Rule_22b_needs_a_narrow_contiguous_interior_band(double[] objectives, bool identified)
    {
        var grid = HyperLaws.Laws.Joint.OffsetExponentProfile.Grid;
        var points = grid.Select((b, i) => new HyperLaws.Laws.Joint.OffsetExponentPoint(b, objectives[i], 1, true)).ToList();
        var beta = new MarinSizeBeta(points, grid[Array.IndexOf(objectives, 1.0)], 1.0, null);
        Assert.Equal(identified, beta.Identified);
    }

    [Fact]
    public void Two_sizes_are_refused()
    {
        var two = Subset().Where(p => p.N != MarinSweepReader.Parameters["520m"]).ToList();
        var e = Assert.Throws<ValidationDataException>(() => MarinSize.Run(new SweepTable(two), profileBeta: false));
        Assert.Contains("three model sizes", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A split of two target runs (actual loss 3) with hand-set relative errors of the joint law and the baseline.</summary>
    private static MarinSizeSplit Split((double Joint, double Baseline) a, (double Joint, double Baseline) b) => new("size", [], [], [
        new MarinSizeRun("adamw 520m 1x", "a", 0.004, 3.0, 3.0 * (1 + a.Joint), 3.0 * (1 + a.Baseline), true),
        new MarinSizeRun("adamw 520m 1x", "b", 0.008, 3.0, 3.0 * (1 + b.Joint), 3.0 * (1 + b.Baseline), false)], [], 0.34);

    [Fact]
    public void A_split_with_one_run_off_by_1_2_percent_fails_rule_22a_however_good_its_mean()
    {
        var split = Split((0.002, 0.03), (0.012, 0.03));
        Assert.True(split.JointMean < split.BaselineMean);
        Assert.False(split.RuleMet);
        Assert.True(Split((0.002, 0.03), (0.009, 0.03)).RuleMet);
    }

    [Fact]
    public void A_mean_error_equal_to_the_baselines_meets_rule_22a()
    {
        // The same two errors, swapped between the law and the baseline: equal means.
        var split = Split((0.004, 0.006), (0.006, 0.004));
        Assert.Equal(split.BaselineMean, split.JointMean);
        Assert.True(split.RuleMet);
        Assert.False(Split((0.0041, 0.006), (0.006, 0.004)).RuleMet);
    }

    [Fact]
    public void A_cell_where_every_run_diverged_is_named_as_skipped_and_changes_no_prediction()
    {
        var skipped = MarinSize.Run(new SweepTable([.. Subset(), Row("300m", 4, 128, 2000, 0.004, double.PositiveInfinity), Row("300m", 4, 128, 2000, 0.008, double.PositiveInfinity)]), profileBeta: false);
        Assert.Equal(["adamw 300m 4x"], skipped.AllDiverged);
        var plain = MarinSize.Run(new SweepTable(Subset()), profileBeta: false);
        Assert.Empty(plain.AllDiverged!);
        Assert.Equal(plain.Horizon.Runs.Select(r => r.Joint), skipped.Horizon.Runs.Select(r => r.Joint));
    }
}
