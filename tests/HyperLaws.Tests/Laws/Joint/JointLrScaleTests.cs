using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;
using static HyperLaws.Tests.Laws.Joint.JointLawTests;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>gamma_eta, the joint law's LR size scale (<see cref="JointLaw.LrSizeExponent"/>): x = eta z^gamma_eta in tau, K and the noise level.</summary>
public sealed class JointLrScaleTests
{
    /// <summary>Parameters with the noise in steps only (the intrinsic-time clock is the one part not rescaled), sizes and gamma_eta set.</summary>
    private static double[] StepNoiseParameters(double gamma, double a = 0.5, double alpha = 0.5, double sw = 0.05, double kappa = 500, double c = 2, double stepNoise = 30)
    {
        var p = Parameters(a: a, alpha: alpha, sw: sw, kappa: kappa, c: c, timeNoise: 0, stepNoise: stepNoise);
        p[JointLaw.OffsetReducible] = 0.2;
        p[JointLaw.ProgressExponent] = 0.15;
        p[JointLaw.CostExponent] = -0.1;
        p[JointLaw.LrSizeExponent] = gamma;
        return p;
    }

    [Fact]
    public void The_parameter_is_named_free_in_sign_and_zero_means_the_previous_law()
    {
        var law = new JointLaw();
        Assert.Equal("gamma_eta", law.ParameterNames[JointLaw.LrSizeExponent]);
        Assert.False(law.Positive[JointLaw.LrSizeExponent]);
        Assert.Equal(1, JointLaw.LrScale(StepNoiseParameters(0.7), 1));          // z = 1
        Assert.Equal(1, JointLaw.LrScale(StepNoiseParameters(0), 4));            // gamma = 0
        Assert.Equal(Math.Pow(4, 0.7), JointLaw.LrScale(StepNoiseParameters(0.7), 4), 12);
    }

    [Fact]
    public void At_size_z_and_peak_eta_the_law_is_the_gamma_zero_law_at_peak_z_to_the_gamma_times_eta()
    {
        // The formula's claim (JointLaw.LrSizeExponent): with the noise relaxing in steps, L_gamma(eta; z) = L_0(z^gamma eta; z)
        // at every step, for any schedule, size and batch.
        var gen = Gen.Select(Gen.Double[-1, 1], Property.LogUniform(0.1, 10), Property.LogUniform(1e-4, 3e-3), Gen.Double[0.1, 0.8], Property.LogUniform(1e5, 4e6));
        var law = new JointLaw();
        Property.ForAll(gen, x =>
        {
            var (gamma, z, peak, cooldown, batch) = x;
            var p = StepNoiseParameters(gamma);
            var p0 = StepNoiseParameters(0);
            double n = z * JointLaw.ReferenceSize, s = Math.Pow(z, gamma);
            var h = new ScheduleHistory(Wsd(600, 30, peak, cooldown));
            var hs = new ScheduleHistory(Wsd(600, 30, s * peak, cooldown));
            int[] steps = [10, 300, 600];
            var y = new double[3];
            var y0 = new double[3];
            law.Predict(p, h, n, batch, steps, y);
            law.Predict(p0, hs, n, batch, steps, y0);
            for (int i = 0; i < 3; i++) Property.Near(y0[i], y[i], 1e-11, $"step {steps[i]}");
        }, iterations: 60);
    }

    [Fact]
    public void The_optimal_peak_moves_as_z_to_the_minus_gamma_relative_to_the_gamma_zero_law()
    {
        var shape = Wsd(2000, 50, 1, 0.2);
        var law = new JointLaw();
        foreach (double gamma in new[] { -0.5, 0.4, 0.9 })
            foreach (double z in new[] { 0.25, 4.0 })
            {
                double n = z * JointLaw.ReferenceSize;
                var with = law.OptimalPeak(StepNoiseParameters(gamma), pk => [.. shape.Select(x => x * pk)], 1e-6, 1, n);
                var without = law.OptimalPeak(StepNoiseParameters(0), pk => [.. shape.Select(x => x * pk)], 1e-6, 1, n);
                Assert.True(with.Interior && without.Interior, $"gamma {gamma}, z {z}");
                Property.Near(Math.Pow(z, -gamma), with.Peak / without.Peak, 1e-4, $"gamma {gamma}, z {z}: optimum ratio");
                Property.Near(without.Loss, with.Loss, 1e-10, "the optimal loss is the same");
            }
    }

    [Fact]
    public void An_interior_optimum_exists_for_every_size_and_gamma()
    {
        // Property over random parameters (the existing one's, plus the size, gamma_eta and the intrinsic-time noise).
        var gen = Gen.Select(Property.LogUniform(0.1, 2), Property.LogUniform(0.2, 0.9), Property.LogUniform(10, 3000), Property.LogUniform(0.01, 10),
            Property.LogUniform(1, 100), Gen.Double[-1, 1], Property.LogUniform(0.1, 10));
        var law = new JointLaw();
        Property.ForAll(gen, x =>
        {
            var (a, alpha, kappa, c, noise, gamma, z) = x;
            var p = Parameters(a: a, alpha: alpha, kappa: kappa, c: c, timeNoise: noise, stepNoise: noise);
            p[JointLaw.ProgressExponent] = 0.2;
            p[JointLaw.LrSizeExponent] = gamma;
            var shape = Wsd(2000, 50, 1, 0.3);
            double n = z * JointLaw.ReferenceSize;
            var opt = law.OptimalPeak(p, peak => [.. shape.Select(s => s * peak)], 1e-6, 1, n);
            Assert.True(opt.Interior, $"optimum at {opt.Peak}");
            double Final(double peak) => law.PredictFinal(p, new ScheduleHistory([.. shape.Select(s => s * peak)]), n);
            Assert.True(opt.Loss < Final(1e-6) && opt.Loss < Final(1));
        }, iterations: 40);
    }

    [Fact]
    public void The_fit_recovers_gamma_from_three_sizes_and_three_LRs_and_leaves_it_at_zero_without_the_option()
    {
        var truth = StepNoiseParameters(0.6, kappa: 400, c: 1.5);
        truth[JointLaw.Beta] = 0.34;
        var law = new JointLaw();
        var curves = new List<JointCurve>();
        foreach (double n in new[] { 5e7, 2e8, 8e8 })
            foreach (double peak in new[] { 3e-4, 1e-3, 3e-3 })
            {
                var h = new ScheduleHistory(Wsd(2000, 100, peak, 0.3));
                int[] at = [.. Enumerable.Range(1, 10).Select(i => i * 200)];
                var y = new double[at.Length];
                law.Predict(truth, h, n, at, y);
                curves.Add(new JointCurve($"N={n} lr={peak}", h, at, y, n));
            }
        // A p = 1 truth: the fit as the law before (both powers where identified, the default since helper lagdefault, off).
        var fit = JointLawFitter.Fit(curves, new JointFitOptions { NoisePowersWhereIdentified = false, Noise = JointNoise.Free, LrSizeScale = true, OffsetExponent = 0.34 });
        Assert.Contains("gamma_eta fitted", fit.StopReason, StringComparison.Ordinal);
        Assert.True(fit.Objective < 1e-8, $"objective {fit.Objective}");
        Property.Near(0.6, fit.Parameters[JointLaw.LrSizeExponent], 0.05, "gamma_eta");
        var plain = JointLawFitter.Fit(curves, new JointFitOptions { NoisePowersWhereIdentified = false, Noise = JointNoise.Free, OffsetExponent = 0.34, LrSizeScale = false });
        Assert.Equal(0, plain.Parameters[JointLaw.LrSizeExponent]);
        // One size: nothing tells gamma_eta, it stays 0 even when asked for.
        var one = JointLawFitter.Fit([.. curves.Where(c => c.ModelSize == 2e8)], new JointFitOptions { NoisePowersWhereIdentified = false, Noise = JointNoise.Free, LrSizeScale = true });
        Assert.Equal(0, one.Parameters[JointLaw.LrSizeExponent]);
        Assert.DoesNotContain("gamma_eta", one.StopReason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_data_scale_each_step_is_the_gamma_zero_law_at_that_steps_LR_units()
    {
        // x = eta z^gamma (D_t/1e10)^delta, D_t = t x batch: at step t the law equals the gamma = delta = 0 law with the schedule
        // scaled by s(t) (noise in steps), so the loss at t depends on the schedule up to t only.
        var gen = Gen.Select(Gen.Double[-1, 1], Gen.Double[-1, 1], Property.LogUniform(0.1, 10), Property.LogUniform(1e-4, 3e-3), Property.LogUniform(1e5, 4e6));
        var law = new JointLaw();
        Property.ForAll(gen, x =>
        {
            var (gamma, delta, z, peak, batch) = x;
            var p = StepNoiseParameters(gamma);
            p[JointLaw.LrDataExponent] = delta;
            var p0 = StepNoiseParameters(0);
            double n = z * JointLaw.ReferenceSize;
            int[] steps = [10, 300, 600];
            var y = new double[3];
            law.Predict(p, new ScheduleHistory(Wsd(600, 30, peak, 0.3)), n, batch, steps, y);
            for (int i = 0; i < 3; i++)
            {
                double s = Math.Pow(z, gamma) * Math.Pow(steps[i] * batch / JointLaw.ReferenceTokens, delta);
                Assert.Equal(s, JointLaw.LrScale(p, z, steps[i] * batch), 12);
                var y0 = new double[1];
                law.Predict(p0, new ScheduleHistory(Wsd(600, 30, s * peak, 0.3)), n, batch, [steps[i]], y0);
                Property.Near(y0[0], y[i], 1e-11, $"step {steps[i]}");
            }
            // Unknown batch: no data factor.
            var yn = new double[1];
            var y1 = new double[1];
            law.Predict(p, new ScheduleHistory(Wsd(600, 30, peak, 0.3)), n, double.NaN, [600], yn);
            law.Predict(StepNoiseParameters(gamma), new ScheduleHistory(Wsd(600, 30, peak, 0.3)), n, double.NaN, [600], y1);
            Assert.Equal(y1[0], yn[0]);
        }, iterations: 40);
    }

    [Fact]
    public void The_fit_recovers_delta_from_three_horizons_and_three_LRs_only_when_asked()
    {
        var truth = StepNoiseParameters(0, kappa: 400, c: 1.5);
        truth[JointLaw.LrDataExponent] = 0.3;
        const double batch = 1e6;
        var curves = ThreeHorizonsThreeLrs(truth, batch);
        // A p = 1 truth: the fit as the law before (both powers where identified, the default since helper lagdefault, off).
        var fit = JointLawFitter.Fit(curves, new JointFitOptions { NoisePowersWhereIdentified = false, Noise = JointNoise.Free, LrDataScale = true });
        Assert.Contains("delta_eta fitted", fit.StopReason, StringComparison.Ordinal);
        Assert.True(fit.Objective < 1e-8, $"objective {fit.Objective}");
        Property.Near(0.3, fit.Parameters[JointLaw.LrDataExponent], 0.05, "delta_eta");
        Assert.Equal(0, JointLawFitter.Fit(curves, new JointFitOptions { NoisePowersWhereIdentified = false, Noise = JointNoise.Free }).Parameters[JointLaw.LrDataExponent]);
    }

    [Fact]
    public void A_saved_joint_fit_from_before_the_LR_scales_reads_them_as_zero_and_nothing_else_is_defaulted()
    {
        var law = new JointLaw();
        var p = StepNoiseParameters(0);
        var all = law.ParameterNames.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => p[x.i]);
        var old = new Dictionary<string, double>(all);
        old.Remove("gamma_eta");
        old.Remove("delta_eta");
        var (back, q) = new HyperLaws.Fitting.FittedLawDocument("joint", old, 0, true, "", []).Instantiate();
        Assert.IsType<JointLaw>(back);
        Assert.Equal(p, q);
        var missing = new Dictionary<string, double>(all);
        missing.Remove("alpha");
        var e = Assert.Throws<ArgumentException>(() => new HyperLaws.Fitting.FittedLawDocument("joint", missing, 0, true, "", []).Instantiate());
        Assert.Contains("'alpha'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fixed_LR_axis_sets_gamma_to_zero()
    {
        var p = StepNoiseParameters(0.8);
        p[JointLaw.LrDataExponent] = 0.3;
        var q = new JointLrAxis(300, 0.5, 1e-3, 5).Apply(p);
        Assert.Equal(0, q[JointLaw.LrSizeExponent]);
        Assert.Equal(0, q[JointLaw.LrDataExponent]);
        Assert.Equal(300, q[JointLaw.Kappa]);
    }
}
