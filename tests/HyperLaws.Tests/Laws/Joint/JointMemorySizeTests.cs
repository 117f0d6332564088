using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;
using static HyperLaws.Tests.Laws.Joint.JointLawTests;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>
/// n_M, the joint law's noise-memory size exponent (<see cref="JointLaw.NoiseMemorySizeExponent"/>: the noise minus its floor at the
/// current LR times z^n_M), and the tie of the offset's size exponent to the progress exponent (<see cref="JointFitOptions.TieOffsetExponent"/>).
/// </summary>
public sealed class JointMemorySizeTests
{
    /// <summary>Two sizes' terms, one peak LR's mechanisms off; free noise weights at tau = 1e-2 and 1,000 steps, plus the spectrum's W_time and V.</summary>
    private static double[] SizedParameters(double nM, double alpha = 0.5, double beta = 0.34)
    {
        var p = Parameters(kappa: 0, c: 0, alpha: alpha);
        p[JointLaw.Beta] = beta;
        p[JointLaw.OffsetReducible] = 0.3;
        p[JointLaw.ProgressExponent] = -0.05;
        p[JointLaw.NoiseMemorySizeExponent] = nM;
        return p;
    }

    private static double[] WithSpectrum(double[] p)
    {
        var q = (double[])p.Clone();
        q[JointLaw.NoiseTimeWeight] = 8;
        q[JointLaw.NoiseTimeScale] = 3e-2;
        q[JointLaw.NoiseStepScale] = 1e3;
        q[JointLaw.NoiseShape] = 1.2;
        q[JointLaw.NoiseLevel] = 4;
        return q;
    }

    [Fact]
    public void The_parameter_is_appended_last_free_in_sign_and_zero_means_the_previous_law()
    {
        var law = new JointLaw();
        Assert.Equal("n_M", law.ParameterNames[JointLaw.NoiseMemorySizeExponent]);
        Assert.Equal(JointLaw.NoisePeakExponent - 1, JointLaw.NoiseMemorySizeExponent);
        Assert.False(law.Positive[JointLaw.NoiseMemorySizeExponent]);
        Assert.Contains("n_M", JointLaw.ZeroWhenAbsent);
        Assert.Equal(1, JointLaw.MemorySizeFactor(SizedParameters(0.7), 1));     // z = 1
        Assert.Equal(1, JointLaw.MemorySizeFactor(SizedParameters(0), 4));       // n_M = 0
        Assert.Equal(1, JointLaw.MemorySizeFactor(SizedParameters(0.7).AsSpan(0, JointLaw.NoiseMemorySizeExponent), 4));   // a vector from before n_M
        Assert.Equal(Math.Pow(4, 0.7), JointLaw.MemorySizeFactor(SizedParameters(0.7), 4), 12);
        // n_M = 0 predicts exactly what the vector without it predicts.
        var h = new ScheduleHistory(Wsd(800, 40, 1e-3, 0.3));
        int[] steps = [20, 400, 800];
        var (a, b) = (new double[3], new double[3]);
        law.Predict(SizedParameters(0), h, 4e8, 5e5, steps, a);
        var cut = SizedParameters(0);
        Array.Resize(ref cut, JointLaw.NoiseMemorySizeExponent);
        law.Predict([.. cut, 0, 0, 0, 0, 0, 0], h, 4e8, 5e5, steps, b);   // n_M = 0, then q_peak, q_tangent, clock_p, omega_cost and b_eta = 0 (appended after n_M)
        Assert.Equal(a, b);
    }

    [Fact]
    public void At_a_constant_LR_after_the_noise_has_relaxed_n_M_changes_nothing()
    {
        // Only fast lags (tau = 1e-2 in LR x steps: relaxed to e^-150 of the start after 1,500 steps at 1e-3): no memory is left.
        var law = new JointLaw();
        var h = new ScheduleHistory([.. Enumerable.Repeat(1e-3, 2000)]);
        int[] steps = [1500, 2000];
        foreach (double z in new[] { 0.25, 4.0 })
        {
            var p0 = SizedParameters(0);
            p0[JointLaw.FirstNoise + JointLaw.TimeLags.Count + 2] = 0;   // no step lag
            var p = (double[])p0.Clone();
            p[JointLaw.NoiseMemorySizeExponent] = 0.6;
            var (y0, y) = (new double[2], new double[2]);
            law.Predict(p0, h, z * JointLaw.ReferenceSize, steps, y0);
            law.Predict(p, h, z * JointLaw.ReferenceSize, steps, y);
            for (int i = 0; i < 2; i++) Property.Near(y0[i], y[i], 1e-13, $"z {z}, step {steps[i]}");
        }
    }

    [Fact]
    public void Only_the_memory_scales_by_z_to_the_n_M_and_its_derivative_matches_finite_differences()
    {
        // L_n(t) = L_0(t) + (z^n_M - 1) (noise_0(t) - floor(t)), noise_0 = L_0 - (L_0 with no noise), floor(t) = u (sum of the floor's
        // weights) eta_t computed here from the weights; dL/dn_M = ln z z^n_M (noise_0 - floor), against a central difference.
        var gen = Gen.Select(Gen.Double[-1, 1], Property.LogUniform(0.1, 10), Property.LogUniform(1e-4, 3e-3), Gen.Double[0.1, 0.8], Property.LogUniform(1e5, 4e6));
        var law = new JointLaw();
        Property.ForAll(gen, x =>
        {
            var (nM, z, peak, cooldown, batch) = x;
            foreach (bool spectrum in new[] { false, true })
            {
                double[] Vector(double m) { var v = SizedParameters(m); return spectrum ? WithSpectrum(v) : v; }
                var p = Vector(nM);
                var p0 = Vector(0);
                var quiet = Vector(0);
                for (int m = 0; m < JointLaw.NoiseCount; m++) quiet[JointLaw.FirstNoise + m] = 0;
                quiet[JointLaw.NoiseTimeWeight] = quiet[JointLaw.NoiseLevel] = 0;
                double floorWeight = 0;
                for (int m = 0; m < JointLaw.NoiseCount; m++) floorWeight += p0[JointLaw.FirstNoise + m];
                floorWeight += p0[JointLaw.NoiseTimeWeight] + p0[JointLaw.NoiseLevel];
                double n = z * JointLaw.ReferenceSize, u = JointLaw.ReferenceBatch / batch;
                var lrs = Wsd(600, 30, peak, cooldown);
                var h = new ScheduleHistory(lrs);
                int[] steps = [10, 300, 600];
                var (y, y0, yq) = (new double[3], new double[3], new double[3]);
                law.Predict(p, h, n, batch, steps, y);
                law.Predict(p0, h, n, batch, steps, y0);
                law.Predict(quiet, h, n, batch, steps, yq);
                double hStep = 1e-5;
                var (up, down) = (new double[3], new double[3]);
                law.Predict(Vector(nM + hStep), h, n, batch, steps, up);
                law.Predict(Vector(nM - hStep), h, n, batch, steps, down);
                for (int i = 0; i < 3; i++)
                {
                    double memory = y0[i] - yq[i] - u * floorWeight * lrs[steps[i] - 1];
                    Property.Near(y0[i] + (Math.Pow(z, nM) - 1) * memory, y[i], 1e-11, $"step {steps[i]}, spectrum {spectrum}");
                    double derivative = Math.Log(z) * Math.Pow(z, nM) * memory, numeric = (up[i] - down[i]) / (2 * hStep);
                    Assert.True(Math.Abs(derivative - numeric) <= 1e-6 * Math.Abs(derivative) + 1e-9, $"dL/dn_M {derivative} against {numeric} (step {steps[i]}, spectrum {spectrum})");
                }
                // The terms still sum to the prediction.
                Property.Near(y[2], law.Explain(p, h, 600, n, batch).Sum(t => t.Contribution), 1e-11, "Explain sums to Predict");
            }
        }, iterations: 40);
    }

    /// <summary>The law at <paramref name="truth"/> on four schedule shapes (cooldown 0, 0.2, 0.5, 0.9) at each size, one peak LR.</summary>
    private static List<JointCurve> Curves(double[] truth, IEnumerable<double> sizes)
    {
        var law = new JointLaw();
        var curves = new List<JointCurve>();
        foreach (double n in sizes)
            foreach (double cooldown in new[] { 0.0, 0.2, 0.5, 0.9 })
            {
                var h = new ScheduleHistory(Wsd(3000, 100, 1e-3, cooldown));
                int[] at = [.. Enumerable.Range(1, 15).Select(i => i * 200)];
                var y = new double[at.Length];
                law.Predict(truth, h, n, at, y);
                curves.Add(new JointCurve($"N={n} cooldown={cooldown}", h, at, y, n));
            }
        return curves;
    }

    [Fact]
    public void The_fit_recovers_n_M_from_two_sizes_and_leaves_it_at_zero_without_the_option_or_with_one_size()
    {
        var truth = SizedParameters(0.2);
        var curves = Curves(truth, [2.5e7, 1e8]);
        var fit = JointLawFitter.Fit(curves, new JointFitOptions { OffsetExponent = 0.34, NoiseMemorySizeScale = true });
        Assert.Contains("n_M fitted", fit.StopReason, StringComparison.Ordinal);
        Assert.True(fit.Objective < 1e-8, $"objective {fit.Objective}");
        Property.Near(0.2, fit.Parameters[JointLaw.NoiseMemorySizeExponent], 0.03, "n_M");
        Assert.Equal(0, fit.Parameters[JointLaw.NoiseSizeExponent]);
        var plain = JointLawFitter.Fit(curves, new JointFitOptions { OffsetExponent = 0.34 });
        Assert.Equal(0, plain.Parameters[JointLaw.NoiseMemorySizeExponent]);
        Assert.DoesNotContain("n_M", plain.StopReason, StringComparison.Ordinal);
        Assert.True(plain.Objective > fit.Objective, "without n_M the two sizes' cooldown gains cannot both fit");
        var one = JointLawFitter.Fit([.. curves.Where(c => c.ModelSize == 1e8)], new JointFitOptions { NoiseMemorySizeScale = true });
        Assert.Equal(0, one.Parameters[JointLaw.NoiseMemorySizeExponent]);
    }

    [Fact]
    public void With_the_tie_beta_is_the_fitted_alpha_and_a_law_whose_exponents_agree_is_recovered_and_extrapolated()
    {
        // Truth: beta = alpha = 0.45. Two sizes cannot tell beta from the offsets alone (E and B_N fit any beta), so a wrong fixed
        // beta fits the training sizes as well and misses the third size; the tie reads beta off the curves' progress exponent.
        var truth = SizedParameters(0, alpha: 0.45, beta: 0.45);
        var train = Curves(truth, [2.5e7, 1e8]);
        var test = Curves(truth, [4e8]);
        var tied = JointLawFitter.Fit(train, new JointFitOptions { TieOffsetExponent = true });
        Assert.Contains("beta tied to alpha", tied.StopReason, StringComparison.Ordinal);
        Assert.Equal(tied.Parameters[JointLaw.Alpha], tied.Parameters[JointLaw.Beta]);
        Property.Near(0.45, tied.Parameters[JointLaw.Beta], 0.02, "beta = alpha");
        var wrong = JointLawFitter.Fit(train, new JointFitOptions { OffsetExponent = 0.2 });
        Assert.DoesNotContain("tied", wrong.StopReason, StringComparison.Ordinal);
        Assert.Equal(0.2, wrong.Parameters[JointLaw.Beta]);
        static double Error(LawFit fit, List<JointCurve> curves) =>
            curves.Average(c => c.Loss.Select((y, i) => Math.Abs(fit.Predict(c.History, c.Steps, c.ModelSize)[i] / y - 1)).Average());
        double tiedError = Error(tied, test), wrongError = Error(wrong, test);
        Assert.True(tiedError < 2e-3, $"the tied fit predicts 400M within 0.2% ({tiedError})");
        Assert.True(wrongError > 3 * tiedError, $"a wrong fixed beta extrapolates worse ({wrongError} against {tiedError})");
        // One size: no size terms, so nothing to tie (beta stays the fixed value).
        var one = JointLawFitter.Fit([.. train.Where(c => c.ModelSize == 1e8)], new JointFitOptions { TieOffsetExponent = true, OffsetExponent = 0.3 });
        Assert.DoesNotContain("tied", one.StopReason, StringComparison.Ordinal);
        Assert.Equal(0.3, one.Parameters[JointLaw.Beta]);
    }
}
