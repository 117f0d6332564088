using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

public sealed class JointLawTests
{
    /// <summary>Linear warmup, constant, linear cooldown to 0 over the last <paramref name="cooldown"/> of the steps.</summary>
    /// <summary>
    /// Curves of <paramref name="truth"/> at three horizons (1,000, 2,000, 4,000 steps) x three peak LRs (3e-4, 1e-3, 3e-3), WSD with a 30%
    /// cooldown, 8 observations each, at <paramref name="batch"/>: what a fit needs to identify a term that varies with the horizon.
    /// </summary>
    internal static List<JointCurve> ThreeHorizonsThreeLrs(double[] truth, double batch)
    {
        var law = new JointLaw();
        var curves = new List<JointCurve>();
        foreach (int steps in new[] { 1000, 2000, 4000 })
            foreach (double peak in new[] { 3e-4, 1e-3, 3e-3 })
            {
                var h = new ScheduleHistory(Wsd(steps, 100, peak, 0.3));
                int[] at = [.. Enumerable.Range(1, 8).Select(i => i * steps / 8)];
                var y = new double[at.Length];
                law.Predict(truth, h, double.NaN, batch, at, y);
                curves.Add(new JointCurve($"S={steps} lr={peak}", h, at, y, double.NaN, batch));
            }
        return curves;
    }

    internal static double[] Wsd(int steps, int warmup, double peak, double cooldown) =>
        Enumerable.Range(1, steps).Select(t =>
        {
            int from = (int)Math.Round(steps * (1 - cooldown));
            return t <= warmup ? peak * t / warmup : t <= from ? peak : peak * (steps - t) / (double)(steps - from);
        }).ToArray();

    /// <summary>Curves of the law at <paramref name="truth"/>: three peaks, two cooldowns, 4,000 steps.</summary>
    internal static List<JointCurve> Synthetic(double[] truth)
    {
        var law = new JointLaw();
        var train = new List<JointCurve>();
        foreach (double peak in new[] { 3e-4, 1e-3, 3e-3 })
            foreach (double cd in new[] { 0.1, 0.5 })
            {
                var h = new ScheduleHistory(Wsd(4000, 100, peak, cd));
                int[] at = [.. Enumerable.Range(1, 40).Select(i => i * 100)];
                var y = new double[at.Length];
                law.Predict(truth, h, at, y);
                train.Add(new JointCurve($"lr={peak} cd={cd}", h, at, y));
            }
        return train;
    }

    /// <summary>A parameter vector of the law: offset E, progress A (tau + s_w)^-alpha, saturation kappa, cost C, and two noise weights.</summary>
    internal static double[] Parameters(double e = 3, double a = 0.5, double alpha = 0.5, double sw = 0.05, double kappa = 500, double c = 2, double timeNoise = 20, double stepNoise = 30)
    {
        var p = new double[new JointLaw().ParameterNames.Count];
        p[JointLaw.E] = e;
        p[JointLaw.Beta] = 0.34;
        p[JointLaw.A] = a;
        p[JointLaw.Alpha] = alpha;
        p[JointLaw.Sw] = sw;
        p[JointLaw.Kappa] = kappa;
        p[JointLaw.C] = c;
        p[JointLaw.FirstNoise + 2] = timeNoise;                               // tau = 1e-2
        p[JointLaw.FirstNoise + JointLaw.TimeLags.Count + 2] = stepNoise;    // 1000 steps
        return p;
    }

    [Fact]
    public void Catalogue_knows_the_law_and_its_parameters()
    {
        var law = LawCatalog.Create("joint");
        Assert.IsType<JointLaw>(law);
        Assert.Equal(10 + JointLaw.NoiseCount + 28, law.ParameterNames.Count);
        Assert.Equal("b_eta", law.ParameterNames[JointLaw.LrBatchExponent]);
        Assert.Equal("n_N", law.ParameterNames[JointLaw.NoiseSizeExponent]);
        Assert.Equal("G_lasting", law.ParameterNames[JointLaw.LastingWeight]);
        Assert.Equal("kappa_lasting", law.ParameterNames[JointLaw.LastingScale]);
        Assert.Equal("ln_p_noise", law.ParameterNames[JointLaw.NoisePowerLog]);
        Assert.False(law.Positive[JointLaw.NoiseLevel]);
        Assert.Equal("W_time", law.ParameterNames[JointLaw.NoiseTimeWeight]);
        Assert.Equal("b_noise", law.ParameterNames[JointLaw.NoiseShape]);
        Assert.Equal(law.ParameterNames.Count, law.Positive.Count);
        Assert.Equal("noise[steps=100]", law.ParameterNames[JointLaw.FirstNoise + JointLaw.TimeLags.Count]);
    }

    [Fact]
    public void Prediction_matches_the_formula_step_by_step()
    {
        var lr = Wsd(400, 20, 2e-3, 0.3);
        var h = new ScheduleHistory(lr);
        var p = Parameters();
        p[JointLaw.OffsetReducible] = 0.2;
        p[JointLaw.ProgressExponent] = 0.1;
        p[JointLaw.CostExponent] = -0.2;
        double n = 4e8, b = 2e5;
        var law = new JointLaw();
        var y = new double[3];
        int[] steps = [1, 250, 400];
        law.Predict(p, h, n, b, steps, y);
        // Direct evaluation of the definitions.
        double z = n / JointLaw.ReferenceSize, u = JointLaw.ReferenceBatch / b;
        for (int s = 0; s < steps.Length; s++)
        {
            double tau = 0, s1 = 0, q = 0, nt = 0, ns = 0;
            double lagT = JointLaw.TimeLags[2], lagS = JointLaw.StepLags[2];
            for (int t = 1; t <= steps[s]; t++)
            {
                double eta = lr[t - 1];
                tau += eta / (1 + p[JointLaw.Kappa] * eta);
                s1 += eta;
                q += eta * eta;
                double dt = Math.Exp(-eta / lagT), ds = Math.Exp(-1 / lagS);
                nt = dt * nt + (1 - dt) * eta;
                ns = ds * ns + (1 - ds) * eta;
            }
            double expected = p[JointLaw.E] + 0.2 * (Math.Pow(z, -0.34) - 1) + p[JointLaw.A] * Math.Pow(z, -0.1) * Math.Pow(tau + p[JointLaw.Sw], -p[JointLaw.Alpha])
                + p[JointLaw.C] * Math.Pow(z, -0.2) * q / s1 + u * (20 * nt + 30 * ns);
            Property.Near(expected, y[s], 1e-12, $"step {steps[s]}");
        }
        // The terms of Explain sum to the prediction.
        var terms = law.Explain(p, h, 400, n, b);
        Property.Near(y[2], terms.Sum(t => t.Contribution), 1e-12, "sum of terms");
    }

    [Fact]
    public void Coarse_history_with_a_stride_equals_the_full_history_on_a_piecewise_constant_schedule()
    {
        // Each entry of the coarse history is 10 steps at its LR: exact when the LR is constant within entries.
        double[] coarse = [.. Enumerable.Range(0, 60).Select(j => j < 5 ? 1e-3 * (j + 1) / 5 : j < 40 ? 1e-3 : 1e-3 * (60 - j) / 20.0)];
        double[] full = [.. coarse.SelectMany(x => Enumerable.Repeat(x, 10))];
        var p = Parameters();
        var law = new JointLaw();
        var a = new double[1];
        var b = new double[1];
        law.Predict(p, new ScheduleHistory(coarse), double.NaN, double.NaN, [60], a, 10);
        law.Predict(p, new ScheduleHistory(full), double.NaN, double.NaN, [600], b);
        Property.Near(b[0], a[0], 1e-12, "stride 10");
    }

    [Fact]
    public void Compressed_intrinsic_time_is_within_1e5_of_the_exact_sum_below_strong_saturation()
    {
        var lr = Wsd(30000, 300, 2e-3, 0.6);
        var h = new ScheduleHistory(lr);
        int[] steps = [.. Enumerable.Range(1, 150).Select(i => i * 200)];
        foreach (double kappa in new[] { 0.0, 300, 3000 })
        {
            var exact = JointFeatures.Exact(h, steps, kappa).Tau;
            var tau = new double[steps.Length];
            new CompressedHistory(h, steps).Tau(kappa, tau);
            // Blocks of 64 steps in a 300-step warmup: the two-node rule is within 1e-5 while kappa eta <= 0.6 and
            // within 2e-3 at kappa eta = 6 (strong saturation, g far from quadratic over a block).
            double tolerance = kappa * 2e-3 <= 0.6 ? 1e-5 : 2e-3;
            for (int i = 0; i < steps.Length; i++) Property.Near(exact[i], tau[i], tolerance, $"kappa {kappa}, step {steps[i]}");
        }
    }

    [Fact]
    public void Predicted_final_loss_has_an_interior_optimum_in_the_peak_LR()
    {
        // Property: whenever progress saturates (kappa > 0) or a cost or noise is left at the end, scaling a
        // WSD shape's peak from 1e-5 to 1e-1 gives a minimum strictly inside, lower than both ends.
        var gen = Gen.Select(Property.LogUniform(0.1, 2), Property.LogUniform(0.2, 0.9), Property.LogUniform(1e-3, 0.1), Property.LogUniform(10, 3000),
            Property.LogUniform(0.01, 10), Property.LogUniform(1, 100), Gen.Double[0.1, 0.8]);
        var law = new JointLaw();
        Property.ForAll(gen, x =>
        {
            var (a, alpha, sw, kappa, c, noise, cooldown) = x;
            var p = Parameters(a: a, alpha: alpha, sw: sw, kappa: kappa, c: c, stepNoise: noise);
            var shape = Wsd(2000, 50, 1, cooldown);
            var opt = law.OptimalPeak(p, peak => [.. shape.Select(s => s * peak)], 1e-5, 1e-1);
            Assert.True(opt.Interior, $"optimum at {opt.Peak}");
            double Final(double peak) => law.PredictFinal(p, new ScheduleHistory([.. shape.Select(s => s * peak)]));
            Assert.True(opt.Loss < Final(1e-5) && opt.Loss < Final(1e-1));
            Assert.True(opt.Loss <= Final(opt.Peak * 1.05) + 1e-12 && opt.Loss <= Final(opt.Peak / 1.05) + 1e-12, "not a local minimum");
        }, iterations: 40);
    }

    [Fact]
    public void Without_saturation_cost_or_noise_the_loss_falls_with_the_peak()
    {
        // The structure of the existing laws (progress in intrinsic time alone): no interior optimum.
        var p = Parameters(kappa: 0, c: 0, timeNoise: 0, stepNoise: 0);
        var shape = Wsd(1000, 50, 1, 0.2);
        var opt = new JointLaw().OptimalPeak(p, peak => [.. shape.Select(s => s * peak)], 1e-5, 1e-1);
        Assert.False(opt.Interior);
        Assert.Equal(1e-1, opt.Peak, 1e-9);
    }

    [Fact]
    public void Fit_recovers_synthetic_parameters_and_predicts_an_unseen_LR()
    {
        var truth = Parameters(kappa: 400, c: 1.5);
        var law = new JointLaw();
        JointCurve Curve(double peak, double cooldown, int steps)
        {
            var h = new ScheduleHistory(Wsd(steps, 100, peak, cooldown));
            int[] at = [.. Enumerable.Range(1, steps / 100).Select(i => i * 100)];
            var y = new double[at.Length];
            law.Predict(truth, h, at, y);
            return new JointCurve($"lr={peak} cd={cooldown} S={steps}", h, at, y);
        }
        var train = new List<JointCurve>();
        foreach (double peak in new[] { 3e-4, 1e-3, 3e-3 })
            foreach (double cd in new[] { 0.1, 0.5 })
                train.Add(Curve(peak, cd, 4000));
        // The truth has two single lags, which the free weights represent exactly (the spectrum does not).
        // A p = 1 truth: the fit as the law before (both powers where identified, the default since helper lagdefault, off).
        var fit = JointLawFitter.Fit(train, new JointFitOptions { NoisePowersWhereIdentified = false, Noise = JointNoise.Free });
        Assert.True(fit.Objective < 1e-9, $"objective {fit.Objective}");
        Property.Near(truth[JointLaw.Alpha], fit.Parameters[JointLaw.Alpha], 0.05, "alpha");
        Property.Near(truth[JointLaw.Kappa], fit.Parameters[JointLaw.Kappa], 0.1, "kappa");
        // An LR between the trained ones and a longer horizon, never seen.
        var test = Curve(6e-4, 0.3, 6000);
        double predicted = fit.Predict(test.History, [test.Steps[^1]])[0];
        Property.Near(test.Loss[^1], predicted, 2e-4, "held-out final loss");
        // Both optima agree.
        var shape = Wsd(4000, 100, 1, 0.2);
        var a = law.OptimalPeak(truth, pk => [.. shape.Select(s => s * pk)], 1e-5, 1e-1);
        var b = law.OptimalPeak(fit.Parameters, pk => [.. shape.Select(s => s * pk)], 1e-5, 1e-1);
        Assert.True(a.Interior && b.Interior);
        Property.Near(a.Peak, b.Peak, 0.1, "optimal peak");
    }

    [Fact]
    public void Fit_across_three_sizes_recovers_the_size_exponents()
    {
        var truth = Parameters();
        truth[JointLaw.OffsetReducible] = 0.3;
        truth[JointLaw.Beta] = 0.3;
        truth[JointLaw.ProgressExponent] = 0.2;
        var law = new JointLaw();
        var train = new List<JointCurve>();
        foreach (double n in new[] { 2.5e7, 1e8, 4e8 })
            foreach (double peak in new[] { 5e-4, 2e-3 })
            {
                var h = new ScheduleHistory(Wsd(3000, 100, peak, 0.3));
                int[] at = [.. Enumerable.Range(1, 30).Select(i => i * 100)];
                var y = new double[at.Length];
                law.Predict(truth, h, n, at, y);
                train.Add(new JointCurve($"N={n} lr={peak}", h, at, y, n));
            }
        // A p = 1 truth: the fit as the law before (both powers where identified, the default since helper lagdefault, off).
        var fit = JointLawFitter.Fit(train, new JointFitOptions { NoisePowersWhereIdentified = false, Noise = JointNoise.Free });
        Assert.True(fit.Objective < 1e-9, $"objective {fit.Objective}");
        Property.Near(0.3, fit.Parameters[JointLaw.Beta], 0.1, "beta");
        Property.Near(0.2, fit.Parameters[JointLaw.ProgressExponent], 0.1, "a_N");
    }

    [Fact]
    public void Group_offsets_absorb_each_groups_level_and_keep_the_shape()
    {
        // Two groups whose losses differ by a constant: with one offset per group the fit is exact; with one
        // offset for all it cannot be.
        var truth = Parameters(kappa: 400, c: 1.5);
        var law = new JointLaw();
        var curves = new List<JointCurve>();
        foreach (var (group, shift) in new[] { ("a", 0.0), ("b", 0.4) })
            foreach (double peak in new[] { 3e-4, 1e-3, 3e-3 })
            {
                var h = new ScheduleHistory(Wsd(3000, 100, peak, 0.3));
                var y = new double[1];
                law.Predict(truth, h, [3000], y);
                curves.Add(new JointCurve($"{group} {peak}", h, [3000], [y[0] + shift]) { Group = group });
            }
        var fit = JointLawFitter.Fit(curves, new JointFitOptions { GroupOffsets = true, Mechanism = JointMechanism.Full });
        Assert.True(fit.Objective < 1e-8, $"objective {fit.Objective}");
        var single = JointLawFitter.Fit([.. curves.Select(c => c with { Group = null })], new JointFitOptions { Mechanism = JointMechanism.Full });
        Assert.True(single.Objective > 1e3 * Math.Max(fit.Objective, 1e-12), $"one offset {single.Objective} vs per group {fit.Objective}");
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit([curves[0] with { Group = null }], new JointFitOptions { GroupOffsets = true }));
    }

    [Fact]
    public void Selection_scores_every_mechanism_leaving_one_LR_out_and_refits_the_best()
    {
        var truth = Parameters(kappa: 400, c: 0);
        var law = new JointLaw();
        var curves = new List<JointCurve>();
        foreach (double peak in new[] { 3e-4, 1e-3, 3e-3 })
            foreach (double cd in new[] { 0.2, 0.6 })
            {
                var h = new ScheduleHistory(Wsd(2000, 100, peak, cd));
                int[] at = [.. Enumerable.Range(1, 10).Select(i => i * 200)];
                var y = new double[at.Length];
                law.Predict(truth, h, at, y);
                curves.Add(new JointCurve($"{peak} {cd}", h, at, y));
            }
        var selection = JointLawSelection.Select(curves, new JointFitOptions { MaxEvaluations = 300 });
        Assert.Equal(JointMechanism.Candidates.Count, selection.Scores.Count);
        Assert.StartsWith("leave one peak LR out, 3 folds", selection.Folds, StringComparison.Ordinal);
        Assert.Equal(selection.Scores.MinBy(s => s.Error)!.Mechanism, selection.Chosen);
        // The data were made with saturation: a mechanism with it predicts a held-out LR better than one without.
        double with = selection.Scores.Where(s => s.Mechanism.Saturation).Min(s => s.Error);
        double without = selection.Scores.Where(s => !s.Mechanism.Saturation).Min(s => s.Error);
        Assert.True(with < without, $"with saturation {with}, without {without}");
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_a_message()
    {
        var law = new JointLaw();
        var p = Parameters();
        Assert.Throws<ArgumentException>(() => law.OptimalPeak(p, _ => [1e-3], 1e-3, 1e-4));
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit([]));
        var h = new ScheduleHistory([1e-3, 1e-3]);
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit([new JointCurve("bad", h, [1, 2], [3.0, 3.0], -5)]));
    }
}
