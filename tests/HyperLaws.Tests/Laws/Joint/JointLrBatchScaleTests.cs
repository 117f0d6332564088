using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;
using static HyperLaws.Tests.Laws.Joint.JointLawTests;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>b_eta, the joint law's LR batch scale (<see cref="JointLaw.LrBatchExponent"/>): x = eta (B/B_ref)^-b_eta in tau, K and the noise level.</summary>
public sealed class JointLrBatchScaleTests
{
    /// <summary>Parameters with the noise in steps only (the intrinsic-time clock is the one part not rescaled) and b_eta set.</summary>
    private static double[] StepNoiseParameters(double bEta, double kappa = 400, double c = 1.5)
    {
        var p = Parameters(a: 0.5, alpha: 0.5, sw: 0.05, kappa: kappa, c: c, timeNoise: 0, stepNoise: 30);
        p[JointLaw.LrBatchExponent] = bEta;
        return p;
    }

    /// <summary>One model size and one run length in tokens (1e9), three batches (so 4000, 2000, 1000 steps) at three peak LRs: b_eta identified.</summary>
    private static List<JointCurve> OneNAndDThreeBatches(double[] truth, double tokens = 1e9)
    {
        var law = new JointLaw();
        var curves = new List<JointCurve>();
        foreach (double batch in new[] { 2.5e5, 5e5, 1e6 })
            foreach (double peak in new[] { 3e-4, 1e-3, 3e-3 })
            {
                int steps = (int)Math.Round(tokens / batch);
                var h = new ScheduleHistory(Wsd(steps, steps / 20, peak, 0.3));
                int[] at = [.. Enumerable.Range(1, 8).Select(i => i * steps / 8)];
                var y = new double[at.Length];
                law.Predict(truth, h, 2e8, batch, at, y);
                curves.Add(new JointCurve($"B={batch} lr={peak}", h, at, y, 2e8, batch));
            }
        return curves;
    }

    [Fact]
    public void The_parameter_is_named_free_in_sign_absent_in_old_documents_and_its_factor_is_one_at_zero()
    {
        var law = new JointLaw();
        Assert.Equal("b_eta", law.ParameterNames[JointLaw.LrBatchExponent]);
        Assert.Equal(law.ParameterNames.Count - 1, JointLaw.LrBatchExponent);   // appended last: older vectors stay valid prefixes
        Assert.Equal(law.ParameterNames.Count, law.Positive.Count);
        Assert.False(law.Positive[JointLaw.LrBatchExponent]);
        Assert.Contains("b_eta", JointLaw.ZeroWhenAbsent);
        Assert.Equal(1, JointLaw.LrBatchScale(StepNoiseParameters(0), 4e6));             // b_eta = 0: exactly 1, so s x 1 = s bit for bit
        Assert.Equal(1, JointLaw.LrBatchScale(StepNoiseParameters(0.7), double.NaN));    // batch unknown
        Assert.Equal(1, JointLaw.LrBatchScale(StepNoiseParameters(0.7), JointLaw.ReferenceBatch));
        Assert.Equal(Math.Pow(4, -0.7), JointLaw.LrBatchScale(StepNoiseParameters(0.7), 4e6), 12);
    }

    [Fact]
    public void At_batch_B_and_peak_eta_the_law_is_the_zero_scale_law_at_peak_B_to_the_minus_b_times_eta()
    {
        // The formula's claim (JointLaw.LrBatchExponent): with the noise relaxing in steps, L_b(eta; B) = L_0((B/B_ref)^-b eta; B) at every step.
        var gen = Gen.Select(Gen.Double[-1, 1], Property.LogUniform(1e5, 4e6), Property.LogUniform(1e-4, 3e-3), Gen.Double[-0.5, 0.5]);
        var law = new JointLaw();
        Property.ForAll(gen, x =>
        {
            var (b, batch, peak, gamma) = x;
            var p = StepNoiseParameters(b);
            var p0 = StepNoiseParameters(0);
            p[JointLaw.LrSizeExponent] = p0[JointLaw.LrSizeExponent] = gamma;
            double s = Math.Pow(batch / JointLaw.ReferenceBatch, -b);
            int[] steps = [10, 300, 600];
            var y = new double[3];
            var y0 = new double[3];
            law.Predict(p, new ScheduleHistory(Wsd(600, 30, peak, 0.3)), 3e8, batch, steps, y);
            law.Predict(p0, new ScheduleHistory(Wsd(600, 30, s * peak, 0.3)), 3e8, batch, steps, y0);
            for (int i = 0; i < 3; i++) Property.Near(y0[i], y[i], 1e-11, $"step {steps[i]}");
        }, iterations: 60);
    }

    [Fact]
    public void The_optimal_peak_at_a_fixed_N_and_D_gains_b_in_its_batch_exponent()
    {
        var law = new JointLaw();
        double Optimum(double b, double batch)
        {
            int steps = (int)Math.Round(2e9 / batch);
            var shape = Wsd(steps, steps / 20, 1, 0.2);
            var opt = law.OptimalPeak(StepNoiseParameters(b), pk => [.. shape.Select(x => x * pk)], 1e-6, 1, 2e8, batch);
            Assert.True(opt.Interior, $"b {b}, batch {batch}");
            return opt.Peak;
        }
        double Exponent(double b) => Math.Log(Optimum(b, 1e6) / Optimum(b, 5e5)) / Math.Log(2);
        double plain = Exponent(0);
        foreach (double b in new[] { -0.6, 0.4 })
            Property.Near(plain + b, Exponent(b), 1e-4, $"b_eta {b}: d ln eta*/d ln B");
    }

    [Fact]
    public void Identified_only_where_runs_of_one_N_and_D_differ_in_batch()
    {
        var h1 = new ScheduleHistory(Wsd(1000, 50, 1e-3, 0.2));
        var h2 = new ScheduleHistory(Wsd(2000, 50, 1e-3, 0.2));
        JointCurve C(ScheduleHistory h, double n, double batch) => new("c", h, [h.Steps], [3.0], n, batch);
        Assert.True(JointLawFitter.LrBatchIdentified([C(h1, 2e8, 1e6), C(h2, 2e8, 5e5)]));            // D = 1e9 both
        Assert.False(JointLawFitter.LrBatchIdentified([C(h1, 2e8, 1e6), C(h1, 2e8, 5e5)]));           // the batch changes D too
        Assert.False(JointLawFitter.LrBatchIdentified([C(h1, 2e8, 1e6), C(h2, 4e8, 5e5)]));           // and N
        Assert.False(JointLawFitter.LrBatchIdentified([C(h1, 2e8, double.NaN), C(h2, 2e8, 5e5)]));    // a batch unknown
        Assert.False(JointLawFitter.LrBatchIdentified([C(h1, 2e8, 1e6), C(h1, 2e8, 1e6)]));           // one batch
        // ln D within 0.01: just inside identifies, just outside does not (the second batch off by e^+-0.009 / e^+-0.011).
        foreach (double sign in new[] { 1.0, -1.0 })
        {
            Assert.True(JointLawFitter.LrBatchIdentified([C(h1, 2e8, 1e6), C(h2, 2e8, 5e5 * Math.Exp(sign * 0.009))]));
            Assert.False(JointLawFitter.LrBatchIdentified([C(h1, 2e8, 1e6), C(h2, 2e8, 5e5 * Math.Exp(sign * 0.011))]));
        }
        // Both sizes unknown: the same size (N_ref); one unknown and one known other than N_ref: two sizes.
        Assert.True(JointLawFitter.LrBatchIdentified([C(h1, double.NaN, 1e6), C(h2, double.NaN, 5e5)]));
        Assert.False(JointLawFitter.LrBatchIdentified([C(h1, double.NaN, 1e6), C(h2, 2e8, 5e5)]));
    }

    [Fact]
    public void The_fit_recovers_a_known_batch_exponent_with_its_sign_where_identified()
    {
        foreach (double truthB in new[] { 0.4, -0.4 })
        {
            var curves = OneNAndDThreeBatches(StepNoiseParameters(truthB));
            var options = new JointFitOptions { NoisePowersWhereIdentified = false, Noise = JointNoise.Free, LrBatchScale = true };
            var fit = JointLawFitter.Fit(curves, options);
            Assert.Contains("b_eta fitted", fit.StopReason, StringComparison.Ordinal);
            Assert.True(fit.Objective < 1e-8, $"objective {fit.Objective}");
            Property.Near(truthB, fit.Parameters[JointLaw.LrBatchExponent], 0.05, $"b_eta (truth {truthB})");
            // The wrong sign held: a clearly worse fit (the sign convention x = (B/B_ref)^-b_eta eta is what the data tell).
            var wrong = JointLawFitter.Fit(curves, options with { LrBatchScale = false, LrBatchExponent = -truthB });
            Assert.Contains("b_eta held", wrong.StopReason, StringComparison.Ordinal);
            Assert.True(wrong.Objective > 100 * Math.Max(fit.Objective, 1e-12), $"wrong sign {wrong.Objective} vs {fit.Objective}");
        }
    }

    [Fact]
    public void Where_not_identified_the_fit_with_the_option_is_the_fit_without_it_bit_for_bit()
    {
        // The batch changes only with D (two horizons at one batch each): not identified, b_eta stays 0 and every parameter is the same.
        var law = new JointLaw();
        var truth = StepNoiseParameters(0);
        var curves = new List<JointCurve>();
        foreach (var (steps, batch) in new[] { (1000, 1e6), (3000, 5e5) })
            foreach (double peak in new[] { 3e-4, 1e-3, 3e-3 })
            {
                var h = new ScheduleHistory(Wsd(steps, 50, peak, 0.3));
                int[] at = [.. Enumerable.Range(1, 5).Select(i => i * steps / 5)];
                var y = new double[at.Length];
                law.Predict(truth, h, 2e8, batch, at, y);
                curves.Add(new JointCurve($"S={steps} lr={peak}", h, at, y, 2e8, batch));
            }
        var options = new JointFitOptions { NoisePowersWhereIdentified = false, Noise = JointNoise.Free };
        // LrBatchScale defaults to true: plain turns it off, or the bit-for-bit assert would compare a fit with itself.
        var plain = JointLawFitter.Fit(curves, options with { LrBatchScale = false });
        var asked = JointLawFitter.Fit(curves, options with { LrBatchScale = true });
        Assert.Equal(plain.Parameters, asked.Parameters);
        Assert.Equal(plain.Objective, asked.Objective);
        Assert.Equal(0, asked.Parameters[JointLaw.LrBatchExponent]);
        Assert.DoesNotContain("b_eta", asked.StopReason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_old_saved_joint_fit_loads_with_b_eta_zero_and_a_fixed_LR_axis_clears_it()
    {
        var law = new JointLaw();
        var p = StepNoiseParameters(0);
        var old = law.ParameterNames.Select((n, i) => (n, i)).Where(x => x.n != "b_eta").ToDictionary(x => x.n, x => p[x.i]);
        var (back, q) = new HyperLaws.Fitting.FittedLawDocument("joint", old, 0, true, "", []).Instantiate();
        Assert.IsType<JointLaw>(back);
        Assert.Equal(p, q);
        var withB = StepNoiseParameters(0.5);
        Assert.Equal(0, new JointLrAxis(300, 0.5, 1e-3, 5).Apply(withB)[JointLaw.LrBatchExponent]);
    }
}
