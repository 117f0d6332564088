using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

public sealed class LrAxisPriorTests
{
    private static readonly LrAxisPrior Prior = new(0.85, 0.0086, 0.05, 0.2, 0.2, 8, 17);

    /// <summary>A cell whose loss is exactly L* exp(k ln(eta/eta*)^2) at one batch (and worse at another).</summary>
    private static LrAxisCell Cell(double n, double d, double ratio, double k)
    {
        double star = ratio * LrAxisPrior.ReferenceLr(n, d);
        var points = new List<LrAxisPoint>();
        for (int i = -4; i <= 4; i++)
        {
            double eta = star * Math.Pow(1.6, i);
            points.Add(new LrAxisPoint(eta, 5e5, 2.5 * Math.Exp(k * Math.Pow(Math.Log(eta / star), 2))));
            points.Add(new LrAxisPoint(eta, 2e6, 2.6 * Math.Exp(k * Math.Pow(Math.Log(eta / star), 2))));
        }
        return new LrAxisCell(n, d, points);
    }

    [Fact]
    public void The_fitter_reads_each_cells_optimum_and_curvature_off_the_parabola_and_takes_the_medians()
    {
        var cells = new[] { Cell(2e8, 4e9, 0.8, 0.01), Cell(4e8, 2e10, 0.9, 0.008), Cell(1e9, 5e10, 1.2, 0.005) };
        var fit = LrAxisPriorFitter.Fit(cells);
        Assert.Equal(3, fit.CellFits.Count);
        Assert.Equal(0.8, fit.CellFits[0].Ratio, 9);
        Assert.Equal(0.01, fit.CellFits[0].Curvature, 9);
        Assert.Equal(5e5, fit.CellFits[0].BatchTokens);
        Assert.Equal(0.9, fit.Prior.Ratio, 9);       // median of 0.8, 0.9, 1.2
        Assert.Equal(0.008, fit.Prior.Curvature, 9);
        Assert.Equal(3, fit.Prior.Cells);
        Assert.Equal(0, fit.Prior.CurvatureExponent);
        Assert.Equal(0.008, fit.Prior.CurvatureAt(4e9), 9);   // one k for every D
        Assert.True(fit.Prior.RatioLow < fit.Prior.Ratio && fit.Prior.Ratio < fit.Prior.RatioHigh);
        fit.Prior.Validate();
    }

    [Fact]
    public void The_fitter_recovers_k_of_D_and_a_stray_cell_does_not_move_it()
    {
        // k(D) = k0 (D/1e10)^-q exactly on five cells, then a sixth far off the line: Theil-Sen keeps q and k0.
        const double k0 = 0.006, q = 0.45;
        double K(double d) => k0 * Math.Pow(d / 1e10, -q);
        var ds = new[] { 4e9, 1e10, 2e10, 5e10, 1e11 };
        var cells = ds.Select((d, i) => Cell(2e8 * (i + 1), d, 0.9, K(d))).ToList();
        Assert.Equal(0, LrAxisPriorFitter.Fit(cells).Prior.CurvatureExponent);   // the default: one k
        var fit = LrAxisPriorFitter.Fit(cells, curvatureInTokens: true);
        Assert.Equal(q, fit.Prior.CurvatureExponent, 6);
        Assert.Equal(k0, fit.Prior.Curvature, 8);
        Assert.Equal(LrAxisPrior.DefaultCurvatureTokens, fit.Prior.CurvatureTokens);
        Assert.Equal(K(3e9), fit.Prior.CurvatureAt(3e9), 8);
        Assert.Equal(0, fit.Prior.LnCurvatureSpread, 6);           // every cell on the line
        cells.Add(Cell(3e8, 2e10, 0.9, 20 * K(2e10)));
        var robust = LrAxisPriorFitter.Fit(cells, curvatureInTokens: true);
        Assert.InRange(robust.Prior.CurvatureExponent, q - 0.1, q + 0.1);
        Assert.InRange(robust.Prior.Curvature, 0.8 * k0, 1.25 * k0);
        // One D: nothing tells q.
        var same = LrAxisPriorFitter.Fit([Cell(2e8, 1e10, 0.9, 0.01), Cell(4e8, 1e10, 0.8, 0.005), Cell(8e8, 1e10, 1.1, 0.007)], curvatureInTokens: true);
        Assert.Equal(0, same.Prior.CurvatureExponent);
        Assert.Equal(0.007, same.Prior.Curvature, 9);
    }

    [Fact]
    public void The_calibration_aims_at_the_curvature_of_the_targets_tokens()
    {
        var prior = Prior with { CurvatureExponent = 0.5 };
        var p = JointLawTests.Parameters(e: 2.5, kappa: 0, c: 0);
        foreach (double d in new[] { 4e9, 1e11 })
        {
            var axis = LrAxisCalibration.Calibrate(new JointLaw(), p, prior, 4e8, d, 40000, double.NaN, double.NaN);
            Assert.Equal(prior.Curvature * Math.Pow(d / 1e10, -0.5), axis.TargetCurvature, 12);
        }
    }

    [Fact]
    public void A_version_1_document_still_reads_with_one_curvature()
    {
        var v1 = LrAxisPriorDocument.ToJson(Prior);
        v1["version"] = 1;
        var axis = (System.Text.Json.Nodes.JsonObject)v1["axis"]!;
        axis.Remove("curvatureExponent");
        axis.Remove("curvatureTokens");
        var back = LrAxisPriorDocument.Parse(v1.ToJsonString());
        Assert.Equal(Prior, back);
        Assert.Equal(Prior.Curvature, back.CurvatureAt(1e11));
    }

    [Fact]
    public void A_cell_without_a_parabola_is_left_out_and_none_is_an_error()
    {
        var flat = new LrAxisCell(2e8, 4e9, [new LrAxisPoint(1e-3, 5e5, 2.5), new LrAxisPoint(2e-3, 5e5, 2.4), new LrAxisPoint(4e-3, 5e5, 2.3)]);
        var fit = LrAxisPriorFitter.Fit([flat, Cell(4e8, 2e10, 0.9, 0.008)]);
        Assert.Single(fit.CellFits);
        Assert.Throws<ArgumentException>(() => LrAxisPriorFitter.Fit([flat]));
    }

    [Fact]
    public void The_document_round_trips()
    {
        var back = LrAxisPriorDocument.Parse(LrAxisPriorDocument.ToJson(Prior).ToJsonString());
        Assert.Equal(Prior, back);
        var withQ = Prior with { CurvatureExponent = 0.4, CurvatureTokens = 2e10 };
        Assert.Equal(withQ, LrAxisPriorDocument.Parse(LrAxisPriorDocument.ToJson(withQ).ToJsonString()));
    }

    [Fact]
    public void The_shipped_prior_reads_and_its_optimum_lies_in_its_support()
    {
        var prior = LrAxisPriorDocument.Parse(File.ReadAllText(Path.Combine(DataFolders.Repo, "priors", "lr-axis-steplaw.json")));
        Assert.InRange(prior.Ratio, prior.RatioLow, prior.RatioHigh);
        Assert.True(prior.Cells >= 10);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1]", "top level")]
    [InlineData("{\"format\":\"hyperlaws-divergence\",\"version\":1}", "\"format\"")]
    [InlineData("{{FORMAT}, \"version\": 3, \"reference\": \"steplaw\", \"axis\": {AXIS}}", "version 3")]
    [InlineData("{{FORMAT}, \"version\": 2, \"reference\": \"steplaw\", \"axis\": {\"ratio\": 0.8, \"curvature\": 0.01, \"lnRatioSpread\": 0, \"lnCurvatureSpread\": 0, \"ratioLow\": 0.2, \"ratioHigh\": 8, \"cells\": 3}}", "axis.curvatureExponent")]
    [InlineData("{{FORMAT}, \"version\": 2, \"reference\": \"steplaw\", \"axis\": {\"ratio\": 0.8, \"curvature\": 0.01, \"lnRatioSpread\": 0, \"lnCurvatureSpread\": 0, \"ratioLow\": 0.2, \"ratioHigh\": 8, \"cells\": 3, \"curvatureExponent\": 9, \"curvatureTokens\": 1e10}}", "exponent q")]
    [InlineData("{{FORMAT}, \"version\": 1, \"reference\": \"deepseek\", \"axis\": {AXIS}}", "\"reference\"")]
    [InlineData("{{FORMAT}, \"version\": 1, \"reference\": \"steplaw\"}", "\"axis\"")]
    [InlineData("{{FORMAT}, \"version\": 1, \"reference\": \"steplaw\", \"axis\": {\"ratio\": 0.8}}", "axis.curvature")]
    [InlineData("{{FORMAT}, \"version\": 1, \"reference\": \"steplaw\", \"axis\": {\"ratio\": -1, \"curvature\": 0.01, \"lnRatioSpread\": 0, \"lnCurvatureSpread\": 0, \"ratioLow\": 0.2, \"ratioHigh\": 8, \"cells\": 3}}", "ratio")]
    [InlineData("{{FORMAT}, \"version\": 1, \"reference\": \"steplaw\", \"axis\": {\"ratio\": 9, \"curvature\": 0.01, \"lnRatioSpread\": 0, \"lnCurvatureSpread\": 0, \"ratioLow\": 0.2, \"ratioHigh\": 8, \"cells\": 3}}", "outside")]
    [InlineData("{{FORMAT}, \"version\": 1, \"reference\": \"steplaw\", \"axis\": {\"ratio\": 0.8, \"curvature\": 0.01, \"lnRatioSpread\": 0, \"lnCurvatureSpread\": 0, \"ratioLow\": 0.2, \"ratioHigh\": 8, \"cells\": 2.5}}", "cells")]
    [InlineData("{{FORMAT}, \"version\": 1, \"reference\": \"steplaw\", \"axis\": {\"ratio\": 0.8, \"curvature\": \"x\", \"lnRatioSpread\": 0, \"lnCurvatureSpread\": 0, \"ratioLow\": 0.2, \"ratioHigh\": 8, \"cells\": 3}}", "axis.curvature")]
    [InlineData("{{FORMAT}, {FORMAT}, \"version\": 1}", "JSON")]
    public void A_bad_document_is_refused_saying_what_is_wrong(string text, string expected)
    {
        string axis = LrAxisPriorDocument.ToJson(Prior)["axis"]!.ToJsonString();
        text = text.Replace("{FORMAT}", "\"format\": \"hyperlaws-lr-axis-prior\"", StringComparison.Ordinal).Replace("{AXIS}", axis, StringComparison.Ordinal);
        var e = Assert.Throws<FormatException>(() => LrAxisPriorDocument.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    /// <summary>The rest of a law fitted on one peak LR: offset, progress, two noise weights (no LR mechanisms).</summary>
    private static Gen<double[]> Rest =>
        from a in Gen.Double[0.2, 2]
        from alpha in Gen.Double[0.2, 0.9]
        from sw in Property.LogUniform(1e-3, 1)
        from noise in Gen.Double[0, 40]
        from stepNoise in Gen.Double[0, 40]
        select JointLawTests.Parameters(e: 2.5, a: a, alpha: alpha, sw: sw, kappa: 0, c: 0, timeNoise: noise, stepNoise: stepNoise);

    [Fact]
    public void The_calibrated_law_has_its_optimum_for_the_reference_schedule_where_the_prior_puts_it()
    {
        // Closed-form calibration (first-order condition for C) checked against the law's numerical argmin over the peak.
        var law = new JointLaw();
        Property.ForAll(Rest, p =>
        {
            const double n = 4e8, d = 2e10;
            const int steps = 40000;
            var axis = LrAxisCalibration.Calibrate(law, p, Prior, n, d, steps, double.NaN, double.NaN);
            Assert.Equal(Prior.Ratio * LrAxisPrior.ReferenceLr(n, d), axis.OptimalLr, 12);
            var q = axis.Apply(p);
            int stride = (int)Math.Ceiling(steps / (double)LrAxisCalibration.Entries), entries = (int)Math.Ceiling(steps / (double)stride);
            int warmup = Math.Min(2000, steps / 10);
            double[] At(double peak) => [.. Enumerable.Range(0, entries).Select(j =>
            {
                long t = Math.Min(steps, (long)j * stride + (stride + 1) / 2);
                return peak * (t < warmup ? (double)t / warmup : 0.5 * (1 + Math.Cos(Math.PI * (t - warmup) / (steps - warmup))));
            })];
            double Loss(double peak)
            {
                var y = new double[1];
                law.Predict(q, new ScheduleHistory(At(peak)), double.NaN, double.NaN, [entries], y, stride);
                return y[0];
            }
            // ReferenceLoss, f(u*): the calibrated law's own final loss on the reference schedule at the prior's optimum (the planner's physical check).
            Assert.Equal(Loss(axis.OptimalLr), axis.ReferenceLoss, 1e-9 * Math.Abs(axis.ReferenceLoss));
            if (axis.CostClipped) return;
            // Golden section on ln(peak) around the prior's optimum.
            double lo = Math.Log(axis.OptimalLr / 30), hi = Math.Log(axis.OptimalLr * 30);
            var grid = Enumerable.Range(0, 61).Select(i => lo + i * (hi - lo) / 60).ToArray();
            int best = Enumerable.Range(0, grid.Length).MinBy(i => Loss(Math.Exp(grid[i])));
            Assert.InRange(best, 1, grid.Length - 2);
            double a = grid[best - 1], b = grid[best + 1], r = (Math.Sqrt(5) - 1) / 2;
            for (int i = 0; i < 60; i++)
            {
                double x1 = b - r * (b - a), x2 = a + r * (b - a);
                if (Loss(Math.Exp(x1)) <= Loss(Math.Exp(x2))) b = x2; else a = x1;
            }
            Assert.True(Math.Abs(0.5 * (a + b) - Math.Log(axis.OptimalLr)) < 0.02, $"argmin {Math.Exp(0.5 * (a + b))} against {axis.OptimalLr}");
            Assert.True(axis.Cost > 0 && axis.Kappa >= 0);
        }, iterations: 25);
    }

    [Fact]
    public void The_fitter_with_a_fixed_axis_keeps_kappa_and_ties_the_cost_to_the_progress_amplitude()
    {
        var truth = JointLawTests.Parameters(kappa: 0, c: 0);
        var curves = new List<JointCurve>();
        foreach (var (steps, cooldown) in new[] { (3000, 0.0), (3000, 0.2), (6000, 0.2), (6000, 0.5) })
        {
            var lr = JointLawTests.Wsd(steps, 100, 1e-3, cooldown);
            var at = Enumerable.Range(1, steps / 100).Select(i => i * 100).ToArray();
            var y = new double[at.Length];
            new JointLaw().Predict(truth, new ScheduleHistory(lr), at, y);
            curves.Add(new JointCurve($"wsd{steps}-{cooldown}", new ScheduleHistory(lr), at, y));
        }
        var axis = new JointLrAxis(300, 0.02, 2e-3, 2e-3 * 6000);
        var fit = JointLawFitter.Fit(curves, new JointFitOptions { LrAxis = axis });
        var p = fit.Parameters;
        Assert.Equal(300, p[JointLaw.Kappa]);
        Assert.Equal(p[JointLaw.A] * axis.CostPerAmplitude(p[JointLaw.Alpha], p[JointLaw.Sw]), p[JointLaw.C], 12);
        Assert.Equal(-p[JointLaw.ProgressExponent], p[JointLaw.CostExponent]);
        // The rest absorbs the fixed axis on one peak LR: the curves are still fitted closely.
        foreach (var c in curves)
        {
            var y = new double[c.Steps.Length];
            ((JointLaw)fit.Law).Predict(p, c.History, c.Steps, y);
            Assert.True(Math.Abs(y[^1] / c.Loss[^1] - 1) < 5e-3, $"{c.Name}: {y[^1]} against {c.Loss[^1]}");
        }
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit(curves, new JointFitOptions { LrAxis = axis with { CostHat = -1 } }));
    }

    [Fact]
    public void The_prior_fit_of_single_LR_runs_has_an_interior_optimum_near_the_prior()
    {
        var truth = JointLawTests.Parameters(kappa: 0, c: 0);
        var curves = new List<JointCurve>();
        foreach (var (steps, cooldown) in new[] { (3000, 0.0), (3000, 0.2), (6000, 0.2), (6000, 0.5) })
        {
            var lr = JointLawTests.Wsd(steps, 100, 3e-4, cooldown);
            var at = Enumerable.Range(1, steps / 100).Select(i => i * 100).ToArray();
            var y = new double[at.Length];
            new JointLaw().Predict(truth, new ScheduleHistory(lr), at, y);
            curves.Add(new JointCurve($"wsd{steps}-{cooldown}", new ScheduleHistory(lr), at, y));
        }
        const double n = 1e8, d = 6e9;
        const int steps2 = 12000;
        var made = JointPriorFit.Make(curves, Prior, n, d, steps2, double.NaN, double.NaN);
        var p = made.Fit.Parameters;
        Assert.Equal(made.Axis.Kappa, p[JointLaw.Kappa]);
        Assert.Equal(made.Axis.Cost, p[JointLaw.C]);
        var law = (JointLaw)made.Fit.Law;
        var cosine = LrAxisPriorTestsShapes.Cosine(steps2, 1200);
        var opt = law.OptimalPeak(p, peak => [.. cosine.Select(s => s * peak)], made.Axis.OptimalLr / 50, made.Axis.OptimalLr * 50);
        Assert.True(opt.Interior);
        // The full-step cosine differs from the calibration's coarse history only in resolution: the optimum agrees to a few percent.
        Assert.True(Math.Abs(Math.Log(opt.Peak / made.Axis.OptimalLr)) < 0.1, $"{opt.Peak} against {made.Axis.OptimalLr}");
    }
}

/// <summary>Schedule shapes for the prior tests.</summary>
internal static class LrAxisPriorTestsShapes
{
    /// <summary>Linear warmup to 1, then cosine to 0.</summary>
    public static double[] Cosine(int steps, int warmup) => [.. Enumerable.Range(1, steps).Select(t =>
        t < warmup ? (double)t / warmup : 0.5 * (1 + Math.Cos(Math.PI * (t - warmup) / (steps - warmup))))];
}
