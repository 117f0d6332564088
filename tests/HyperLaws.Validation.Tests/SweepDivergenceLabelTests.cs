using System.Globalization;
using HyperLaws.Runs;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// The gap label (docs/VALIDATION.md "Protocol 23b"): a run that blew up and partly recovered, and every larger LR of its cell, is
/// diverged; a noisy bowl keeps every run; the ratio c is recomputed from the Step Law grid it was declared from.
/// </summary>
public sealed class SweepDivergenceLabelTests
{
    private static (double Lr, double Loss)[] Usable((double Lr, double Loss)[] cell, SweepDivergenceLabel label) =>
        [.. SweepFinite.Of(cell, r => r.Loss, r => r.Lr, label)];

    [Fact]
    public void A_blown_up_then_recovered_run_and_every_larger_lr_are_diverged()
    {
        // Muon-like: best at 0.008, 0.064 ended at 1.6x the best (blew up, partly recovered: the 2x label keeps it), 0.128 at 1.3x.
        (double, double)[] cell = [(0.008, 3.30), (0.016, 3.32), (0.032, 3.41), (0.064, 5.28), (0.128, 4.29)];
        Assert.Equal(cell, Usable(cell, SweepDivergenceLabel.TwiceBest));
        Assert.Equal(cell[..3], Usable(cell, SweepDivergenceLabel.Gap));
        // A run printed as NaN or >10 (+infinity) is a cliff too: the finite run above it goes with it.
        (double, double)[] nan = [(0.0005, 3.58), (0.001, 3.55), (0.002, 3.55), (0.004, double.NaN), (0.008, 3.60)];
        Assert.Equal(nan[..3], Usable(nan, SweepDivergenceLabel.Gap));
        Assert.Equal([.. nan[..3], nan[4]], Usable(nan, SweepDivergenceLabel.TwiceBest));
    }

    [Fact]
    public void A_noisy_bowl_keeps_every_run_and_the_low_lr_side_is_judged_by_the_twice_best_rule_alone()
    {
        // Steep on both sides (up to 1.4x the best), not monotone above the best: no run passes 1.44x, so none is dropped.
        (double, double)[] bowl = [(0.001, 4.60), (0.002, 3.62), (0.004, 3.35), (0.008, 3.36), (0.016, 3.352), (0.032, 3.80), (0.064, 4.69)];
        Assert.Equal(bowl, Usable(bowl, SweepDivergenceLabel.Gap));
        // 1.7x the best below the best LR is under-training, not a blow-up: kept; 2.1x is diverged by either label.
        (double, double)[] low = [(0.0005, 7.1), (0.001, 5.7), (0.002, 3.4), (0.004, 3.35), (0.008, 3.5)];
        Assert.Equal(low[1..], Usable(low, SweepDivergenceLabel.Gap));
        Assert.Equal(low[1..], Usable(low, SweepDivergenceLabel.TwiceBest));
    }

    [Fact]
    public void The_cliff_starts_above_the_lowest_of_tied_best_lrs_and_at_the_ratio_itself_a_run_is_kept()
    {
        // 0.001 and 0.002 tie: eta_b = 0.001, so 0.002 is above it, and 1.44x exactly is kept (the label is "exceeds c x best").
        (double, double)[] cell = [(0.001, 3.00), (0.002, 3.00), (0.004, 3.00 * SweepFinite.GapRatio), (0.008, 3.00 * SweepFinite.GapRatio + 0.01)];
        Assert.Equal(cell[..3], Usable(cell, SweepDivergenceLabel.Gap));
        // A tie with a best above the cliff: eta_b is the lower, 0.001; 0.002 at 1.5x is the cliff, so the tied best at 0.004 is
        // dropped with it (eta_b = the higher tied LR would keep all three).
        (double, double)[] tie = [(0.001, 3.00), (0.002, 4.5), (0.004, 3.00)];
        Assert.Equal(tie[..1], Usable(tie, SweepDivergenceLabel.Gap));
        Assert.Equal(tie, Usable(tie, SweepDivergenceLabel.TwiceBest));
        // Every run diverged: nothing usable, as with the twice-best label.
        Assert.Empty(Usable([(0.001, double.PositiveInfinity), (0.002, double.NaN)], SweepDivergenceLabel.Gap));
    }

    [Fact]
    public void An_undefined_label_is_refused_not_read_as_a_defined_one()
    {
        var undefined = (SweepDivergenceLabel)5;
        Assert.Throws<ArgumentOutOfRangeException>(() => Usable([(0.001, 3.0), (0.002, 3.1)], undefined));
        Assert.Throws<ArgumentOutOfRangeException>(() => Usable([(0.001, double.NaN)], undefined));
        var table = new SweepTable([new SweepPoint(1e8, 2e9, 0.008, 64, 64 * 4096, 119, 3.70, double.NaN, "muon-lr0.008") { Configuration = "muon" }]);
        Assert.Throws<ArgumentOutOfRangeException>(() => LrSweepOptimizers.Run(table, label: undefined));
        Assert.Throws<ArgumentOutOfRangeException>(() => LrSweepHoldOut.Run(table, label: undefined));
    }

    [Fact]
    public void Protocol_23_reads_the_label_and_twice_best_is_the_default()
    {
        static SweepPoint P(double lr, double loss) =>
            new(1e8, 2e9, lr, 64, 64 * 4096, (int)(2e9 / (64 * 4096)), loss, double.NaN, FormattableString.Invariant($"muon-lr{lr:G3}")) { Configuration = "muon", WarmupSteps = 200, MinLrRatio = 0 };
        var table = new SweepTable([P(0.008, 3.70), P(0.016, 3.62), P(0.032, 3.65), P(0.064, 5.60)]);
        var twice = LrSweepOptimizers.Run(table);
        var gap = LrSweepOptimizers.Run(table, label: SweepDivergenceLabel.Gap);
        Assert.Equal((SweepDivergenceLabel.TwiceBest, 4), (twice.Label, twice.Optimizers.Single().Result.Runs));
        Assert.Equal((SweepDivergenceLabel.Gap, 3), (gap.Label, gap.Optimizers.Single().Result.Runs));
        Assert.Equal(SweepDivergenceLabel.TwiceBest, LrSweepOptimizers.DefaultLabel);
    }

    [Fact]
    public void The_ratio_is_the_midpoint_of_the_step_law_grids_empty_interval()
    {
        // As declared: raw `loss` over the (N, D) cell's best, ratios at most 2; the widest gap between neighbours; its geometric midpoint.
        var lines = File.ReadAllLines(Path.Combine(DataFolders.Shared, "steplaw", "data", "dense_lr_bs_loss.csv"));
        var header = lines[0].Split(',');
        int cN = Array.IndexOf(header, "N"), cD = Array.IndexOf(header, "D"), cLoss = Array.IndexOf(header, "loss");
        var rows = lines.Skip(1).Select(l => l.Split(',')).Select(f => (Cell: (f[cN], f[cD]), Loss: double.Parse(f[cLoss], CultureInfo.InvariantCulture))).ToList();
        var ratios = rows.GroupBy(r => r.Cell).SelectMany(g => g.Select(r => r.Loss / g.Min(x => x.Loss))).Where(x => x <= 2).Order().ToList();
        int widest = Enumerable.Range(0, ratios.Count - 1).MaxBy(i => ratios[i + 1] - ratios[i]);
        Assert.Equal((1911, 1733), (rows.Count, ratios.Count));
        Assert.Equal(1.2166, ratios[widest], 4);
        Assert.Equal(1.7150, ratios[widest + 1], 4);
        Assert.Equal(SweepFinite.GapRatio, Math.Round(Math.Sqrt(ratios[widest] * ratios[widest + 1]), 2));
    }
}
