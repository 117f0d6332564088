using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;
using static HyperLaws.Tests.Laws.Joint.JointLawTests;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>n_N, the joint law's noise size exponent (<see cref="JointLaw.NoiseSizeExponent"/>): the noise term times z^n_N.</summary>
public sealed class JointNoiseSizeTests
{
    private static double[] SizedParameters(double nN)
    {
        var p = Parameters(kappa: 0, c: 0);
        p[JointLaw.OffsetReducible] = 0.3;
        p[JointLaw.ProgressExponent] = -0.05;
        p[JointLaw.NoiseSizeExponent] = nN;
        return p;
    }

    [Fact]
    public void The_parameter_is_appended_after_the_noise_power_free_in_sign_and_zero_means_the_previous_law()
    {
        var law = new JointLaw();
        Assert.Equal("n_N", law.ParameterNames[JointLaw.NoiseSizeExponent]);
        Assert.Equal(JointLaw.NoisePowerLog + 1, JointLaw.NoiseSizeExponent);
        Assert.False(law.Positive[JointLaw.NoiseSizeExponent]);
        Assert.Contains("n_N", JointLaw.ZeroWhenAbsent);
        Assert.Equal(1, JointLaw.NoiseSizeFactor(SizedParameters(0.7), 1));     // z = 1
        Assert.Equal(1, JointLaw.NoiseSizeFactor(SizedParameters(0), 4));       // n_N = 0
        Assert.Equal(1, JointLaw.NoiseSizeFactor(SizedParameters(0.7).AsSpan(0, JointLaw.NoiseSizeExponent), 4));   // a vector from before n_N
        Assert.Equal(Math.Pow(4, 0.7), JointLaw.NoiseSizeFactor(SizedParameters(0.7), 4), 12);
    }

    [Fact]
    public void Only_the_noise_term_scales_and_by_z_to_the_n_N()
    {
        // L_n(t) = L_0(t) + (z^n_N - 1) noise_0(t), noise_0 = L_0 - (L_0 with every noise weight at 0), at every step, size and batch.
        var gen = Gen.Select(Gen.Double[-1, 1], Property.LogUniform(0.1, 10), Property.LogUniform(1e-4, 3e-3), Gen.Double[0.1, 0.8], Property.LogUniform(1e5, 4e6));
        var law = new JointLaw();
        Property.ForAll(gen, x =>
        {
            var (nN, z, peak, cooldown, batch) = x;
            var p = SizedParameters(nN);
            var p0 = SizedParameters(0);
            var quiet = SizedParameters(0);
            for (int m = 0; m < JointLaw.NoiseCount; m++) quiet[JointLaw.FirstNoise + m] = 0;
            double n = z * JointLaw.ReferenceSize;
            var h = new ScheduleHistory(Wsd(600, 30, peak, cooldown));
            int[] steps = [10, 300, 600];
            var (y, y0, yq) = (new double[3], new double[3], new double[3]);
            law.Predict(p, h, n, batch, steps, y);
            law.Predict(p0, h, n, batch, steps, y0);
            law.Predict(quiet, h, n, batch, steps, yq);
            for (int i = 0; i < 3; i++)
            {
                Assert.True(y0[i] - yq[i] > 0, "the noise term is positive");
                Property.Near(yq[i] + Math.Pow(z, nN) * (y0[i] - yq[i]), y[i], 1e-11, $"step {steps[i]}");
            }
            // The terms still sum to the prediction.
            double sum = law.Explain(p, h, 600, n, batch).Sum(t => t.Contribution);
            Property.Near(y[2], sum, 1e-11, "Explain sums to Predict");
        }, iterations: 60);
    }

    [Fact]
    public void The_fit_recovers_n_N_from_two_sizes_and_leaves_it_at_zero_without_the_option_or_with_one_size()
    {
        // One peak LR (no LR mechanism), several schedule shapes at two sizes: the cooldown gain differs by 4^n_N between them.
        var truth = SizedParameters(0.15);
        var law = new JointLaw();
        var curves = new List<JointCurve>();
        foreach (double n in new[] { 2.5e7, 1e8 })
            foreach (double cooldown in new[] { 0.0, 0.2, 0.5, 0.9 })
            {
                var h = new ScheduleHistory(Wsd(3000, 100, 1e-3, cooldown));
                int[] at = [.. Enumerable.Range(1, 15).Select(i => i * 200)];
                var y = new double[at.Length];
                law.Predict(truth, h, n, at, y);
                curves.Add(new JointCurve($"N={n} cooldown={cooldown}", h, at, y, n));
            }
        var fit = JointLawFitter.Fit(curves, new JointFitOptions { OffsetExponent = 0.34, NoiseSizeScale = true });
        Assert.Contains("n_N fitted", fit.StopReason, StringComparison.Ordinal);
        Assert.True(fit.Objective < 1e-8, $"objective {fit.Objective}");
        Property.Near(0.15, fit.Parameters[JointLaw.NoiseSizeExponent], 0.03, "n_N");
        var plain = JointLawFitter.Fit(curves, new JointFitOptions { OffsetExponent = 0.34 });
        Assert.Equal(0, plain.Parameters[JointLaw.NoiseSizeExponent]);
        Assert.DoesNotContain("n_N", plain.StopReason, StringComparison.Ordinal);
        Assert.True(plain.Objective > fit.Objective, "without n_N the two sizes' cooldown gains cannot both fit");
        var one = JointLawFitter.Fit([.. curves.Where(c => c.ModelSize == 1e8)], new JointFitOptions { NoiseSizeScale = true });
        Assert.Equal(0, one.Parameters[JointLaw.NoiseSizeExponent]);
    }

    [Fact]
    public void A_saved_joint_fit_from_before_n_N_reads_it_as_zero()
    {
        var law = new JointLaw();
        var p = SizedParameters(0);
        var old = law.ParameterNames.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => p[x.i]);
        old.Remove("n_N");
        var (back, q) = new HyperLaws.Fitting.FittedLawDocument("joint", old, 0, true, "", []).Instantiate();
        Assert.IsType<JointLaw>(back);
        Assert.Equal(p, q);
    }
}
