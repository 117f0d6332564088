using CsCheck;
using HyperLaws.Divergence;
using HyperLaws.Numerics;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Tests.Divergence;

/// <summary>
/// The sweep calibration of the critical-LR boundary (protocols 4-D2, 4-D3): the MAP offsets against a numerical minimiser of the
/// same objective, recovery of a shifted edge, shrinkage toward the prior, P(diverge) in [0, 1] and monotone in the peak, and
/// the within-sweep cross-validation's prior equal to leave-one-cell-out.
/// </summary>
public sealed class SweepCalibrationTests
{
    private static readonly CriticalLrRule Prior = new(Math.Log(6e-3), -0.4, -0.15, 0.1, 0, 8);

    private static DivergenceExample Run(string group, double n, double batch, int steps, double peak, bool diverged, int warmup = 100)
    {
        var lr = Enumerable.Range(1, steps).Select(t => t <= warmup ? peak * t / warmup : peak * 0.5 * (1 + Math.Cos(Math.PI * (t - warmup) / (steps - warmup)))).ToArray();
        return DivergenceExample.FromSchedule(FormattableString.Invariant($"{group}-b{batch}-p{peak:G4}"), group, n, batch, lr, diverged);
    }

    // One cell (N = 2e8, 2,000 steps) with three batch rows and peaks x sqrt 2 apart; a run diverges when its peak is above the
    // prior's eta_crit times exp(shift + rowShift[row]).
    private static List<DivergenceExample> Cell(string group, double shift, double[]? rowShift = null, double n = 2e8)
    {
        double[] batches = [2.5e5, 1e6, 4e6];
        var list = new List<DivergenceExample>();
        for (int r = 0; r < batches.Length; r++)
        {
            double b = batches[r];
            double eta = Prior.CriticalPeakLr(n, b, 2000 * b, 100) * Math.Exp(shift + (rowShift?[r] ?? 0));
            for (int i = -5; i <= 5; i++)
            {
                double peak = eta * Math.Pow(Math.Sqrt(2), i + 0.5);
                list.Add(Run(group, n, b, 2000, peak, peak > eta));
            }
        }
        return list;
    }

    // The calibration's objective, written out again: sum_i [log(1 + e^m_i) - y_i m_i] + penalties.
    private static double Objective(IReadOnlyList<DivergenceExample> runs, double[] batches, double cell, double[] rows, double tauC, double tauR)
    {
        double f = cell * cell / (2 * tauC * tauC) + rows.Sum(d => d * d / (2 * tauR * tauR));
        foreach (var x in runs)
        {
            double lnEta = Math.Log(Prior.CriticalPeakLr(x.N, x.BatchTokens, x.Profile.Steps * x.BatchTokens, x.WarmupSteps)) + cell + rows[Array.IndexOf(batches, x.BatchTokens)];
            double m = Prior.Slope * (Math.Log(x.PeakLr) - lnEta);
            f += Math.Log(1 + Math.Exp(m)) - (x.Diverged ? m : 0);
        }
        return f;
    }

    [Fact]
    public void The_offsets_are_the_minimum_of_the_declared_objective()
    {
        var runs = Cell("g", 0.6, [0.3, -0.2, 0]);
        double[] batches = [2.5e5, 1e6, 4e6];
        var fit = SweepCalibration.Fit(Prior, runs);
        double[] rows = [.. batches.Select(b => fit.RowOffsets[b])];
        double at = Objective(runs, batches, fit.CellOffset, rows, SweepCalibration.CellScale, SweepCalibration.RowScale);
        var nm = NelderMead.Minimize(p => Objective(runs, batches, p[0], p[1..], SweepCalibration.CellScale, SweepCalibration.RowScale), [0, 0, 0, 0], [0.3, 0.3, 0.3, 0.3], 1e-14, 20000);
        Assert.True(at <= nm.Value + 1e-9, $"Newton {at}, Nelder-Mead {nm.Value}");
        Assert.InRange(fit.CellOffset - nm.X[0], -1e-3, 1e-3);
        for (int j = 0; j < 3; j++) Assert.InRange(rows[j] - nm.X[j + 1], -1e-3, 1e-3);
    }

    [Fact]
    public void A_sweep_whose_edge_is_above_the_prior_moves_the_boundary_up_but_less_than_all_the_way()
    {
        var runs = Cell("g", 0.6);
        var fit = SweepCalibration.Fit(Prior, runs, rowScale: 0);
        Assert.Empty(fit.RowOffsets);
        // The edge is known to within the grid's step (ln sqrt 2 = 0.35) around 0.6; the shrinkage pulls it toward 0.
        Assert.InRange(fit.CellOffset, 0.25, 0.6 + 0.18);
        // A wide prior shrinks less.
        Assert.True(SweepCalibration.Fit(Prior, runs, cellScale: 10, rowScale: 0).CellOffset > fit.CellOffset);
        // The calibrated model predicts the sweep's own runs better than the prior.
        var model = fit.AtBatch(1e6);
        int Errors(DivergenceModel m) => runs.Where(x => x.BatchTokens == 1e6).Count(x => m.Predict(x).Diverges != x.Diverged);
        Assert.True(Errors(model) < Errors(new DivergenceModel(Prior)), $"calibrated {Errors(model)} errors, prior {Errors(new DivergenceModel(Prior))}");
    }

    [Fact]
    public void No_seen_runs_leave_the_prior_and_bad_scales_are_refused()
    {
        var fit = SweepCalibration.Fit(Prior, []);
        Assert.Equal(0, fit.CellOffset);
        Assert.Equal(Prior, fit.AtBatch(1e6).Rule);
        Assert.Throws<ArgumentOutOfRangeException>(() => SweepCalibration.Fit(Prior, [], cellScale: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SweepCalibration.Fit(Prior, [], rowScale: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SweepCalibration.Fit(Prior, [], cellScale: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => fit.AtBatch(0));
    }

    [Fact]
    public void Calibrated_probabilities_lie_in_0_1_and_rise_with_the_peak()
    {
        Property.ForAll(Gen.Select(Gen.Double[-1, 1], Gen.Double[-0.5, 0.5], Property.LogUniform(1e-4, 1e-1), Gen.Double[1.01, 3]), c =>
        {
            var runs = Cell("g", c.Item1, [c.Item2, 0, -c.Item2]);
            var fit = SweepCalibration.Fit(Prior, runs);
            foreach (double b in new[] { 2.5e5, 1e6, 3e6 })
            {
                var low = fit.Predict(Run("g", 2e8, b, 2000, c.Item3, false));
                var high = fit.Predict(Run("g", 2e8, b, 2000, c.Item3 * c.Item4, false));
                Assert.InRange(low.Probability, 0, 1);
                Assert.InRange(high.Probability, 0, 1);
                Assert.True(high.Probability >= low.Probability, $"P({c.Item3 * c.Item4}) = {high.Probability} < P({c.Item3}) = {low.Probability}");
                Assert.True(!low.Diverges || high.Diverges);
                Property.Near(fit.CriticalPeakLr(Run("g", 2e8, b, 2000, c.Item3, false)), low.EtaL, 1e-12, "eta_crit");
            }
        }, iterations: 60);
    }

    [Fact]
    public void Within_sweep_cross_validation_scores_the_prior_as_leave_one_cell_out_and_calibration_recovers_shifted_cells()
    {
        // Four cells of different sizes; each cell's edge is shifted from the smooth rule by its own amount.
        var examples = new List<DivergenceExample>();
        double[] shifts = [0.5, -0.5, 0.4, -0.4];
        for (int c = 0; c < shifts.Length; c++) examples.AddRange(Cell($"c{c}", shifts[c], n: 1e8 * Math.Pow(2, c)));
        var cv = DivergenceFitting.CrossValidate(examples);
        Assert.Equal(4, cv.Models.Count);
        var within = DivergenceFitting.CrossValidateWithinSweep(examples, cv.Models);
        Assert.Equal(cv.Pooled.Boundary, within.Scores[SweepVariant.Prior]);
        Assert.Equal(examples.Count, within.Predictions.Count);
        Assert.All(Enum.GetValues<SweepVariant>(), v => Assert.Equal(examples.Count, within.Scores[v].Count));
        // Seeing the rest of the cell beats the smooth rule when cells are shifted.
        Assert.True(within.Scores[SweepVariant.RunOutCell].F1 > within.Scores[SweepVariant.Prior].F1,
            $"run-out cell F1 {within.Scores[SweepVariant.RunOutCell].F1}, prior {within.Scores[SweepVariant.Prior].F1}");
        Assert.True(within.Scores[SweepVariant.RowOutCell].F1 > within.Scores[SweepVariant.Prior].F1);
        // A group without a prior is skipped.
        var none = DivergenceFitting.CrossValidateWithinSweep(examples, new Dictionary<string, DivergenceModel>());
        Assert.Empty(none.Predictions);
        Assert.Equal(0, none.Scores[SweepVariant.Prior].Count);
    }
}
