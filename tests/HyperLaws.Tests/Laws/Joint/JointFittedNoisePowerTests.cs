using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>The noise power p fitted as a continuous parameter (<see cref="JointFitOptions.FitNoisePower"/>) and dL/dp (<see cref="JointLaw.NoisePowerSlope"/>).</summary>
public sealed class JointFittedNoisePowerTests
{
    /// <summary>The law's curves at noise power <paramref name="power"/> (<see cref="JointLawTests.Synthetic"/>; kappa 400, no cost term).</summary>
    private static List<JointCurve> Train(double power)
    {
        var truth = JointLawTests.Parameters(kappa: 400, c: 0);
        truth[JointLaw.NoisePowerLog] = power == 1 ? 0 : Math.Log(power);
        return JointLawTests.Synthetic(truth);
    }

    /// <summary>
    /// The fit with p free on the curves at p = 0.6: the same fit (same curves, same options) in the recovery test at 0.6 and the
    /// identified-power test, so it is made once for the class.
    /// </summary>
    private static readonly Lazy<LawFit> FittedAt06 = new(() => JointLawFitter.Fit(Train(0.6), new JointFitOptions { FitNoisePower = true }));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.6)]   // the tangent form (JointLaw.NoiseTangentExponent), r = 0.4: the free lags' slopes scaled by r
    public void Slope_in_p_matches_central_finite_differences(double tangent)
    {
        // Sizes, batch, the LR's size scale and the memory's size exponent all on, so every factor of dL/dp is exercised.
        var random = new Random(11);
        var history = new ScheduleHistory(JointLawTests.Wsd(3000, 100, 2e-3, 0.3));
        var law = new JointLaw();
        foreach (double power in new[] { 0.3, 0.7, 1.0, 1.4 })
            foreach (int step in new[] { 500, 2500, 2800, 3000 })
            {
                var p = JointLawTests.Parameters(timeNoise: 5 + 30 * random.NextDouble(), stepNoise: 5 + 30 * random.NextDouble());
                p[JointLaw.FirstNoise + 4] = 10 * random.NextDouble();   // tau = 1: a slow intrinsic-time lag
                p[JointLaw.LrSizeExponent] = 0.3;
                p[JointLaw.NoiseSizeExponent] = 0.1;
                p[JointLaw.NoiseMemorySizeExponent] = -0.2;
                p[JointLaw.NoisePowerLog] = Math.Log(power);
                p[JointLaw.NoiseTangentExponent] = tangent;
                const double n = 3e8, b = 5e5, h = 1e-5;
                double slope = JointLaw.NoisePowerSlope(p, history, step, n, b);
                double At(double q)
                {
                    var x = (double[])p.Clone();
                    x[JointLaw.NoisePowerLog] = Math.Log(q);
                    return law.PredictFinalAt(x, history, step, n, b);
                }
                double fd = (At(power + h) - At(power - h)) / (2 * h);
                Assert.True(slope != 0, "the slope is not trivially 0");
                Property.Near(fd, slope, 1e-5 * Math.Abs(fd) + 1e-9, $"p {power}, step {step}");
            }
    }

    [Fact]
    public void Slope_is_zero_without_free_noise_weights()
    {
        var p = JointLawTests.Parameters(timeNoise: 0, stepNoise: 0);
        p[JointLaw.NoisePowerLog] = Math.Log(0.5);
        Assert.Equal(0, JointLaw.NoisePowerSlope(p, new ScheduleHistory(JointLawTests.Wsd(500, 20, 1e-3, 0.2)), 500));
    }

    [Fact]
    public void Off_by_default_and_off_is_the_law_as_before_bit_for_bit()
    {
        // FitNoisePower (p fitted whatever the runs) and IdentifiedNoisePower (p fitted only where the runs identify it) are off by
        // default. With both off the law is p = 1, as before, bit for bit.
        Assert.False(new JointFitOptions().FitNoisePower);
        var truth = JointLawTests.Parameters(kappa: 400, c: 0);
        var train = JointLawTests.Synthetic(truth);
        var before = JointLawFitter.Fit(train, new JointFitOptions { IdentifiedNoisePower = false, NoisePowers = [1.0], NoisePowersWhereIdentified = false });
        var off = JointLawFitter.Fit(train, new JointFitOptions { FitNoisePower = false, IdentifiedNoisePower = false, NoisePowersWhereIdentified = false });
        Assert.Equal(before.Parameters, off.Parameters);
        Assert.Equal(before.Objective, off.Objective);
        Assert.Equal(0, off.Parameters[JointLaw.NoisePowerLog]);
    }

    [Theory]
    [InlineData(0.6)]
    [InlineData(1.0)]
    [InlineData(1.25)]
    public void The_fit_recovers_the_power_of_synthetic_data(double power)
    {
        // Truth at a p that is neither a node of the fitter's interpolation nor (but for 1) a value of the old grid.
        var train = Train(power);
        var fit = power == 0.6 ? FittedAt06.Value : JointLawFitter.Fit(train, new JointFitOptions { FitNoisePower = true });
        double fitted = JointLaw.NoisePower(fit.Parameters);
        Assert.True(Math.Abs(fitted - power) < 0.02, $"fitted p {fitted}, truth {power}");
        Assert.True(fit.Objective < 1e-9, $"objective {fit.Objective}");
        Assert.Contains("noise power fitted", fit.StopReason, StringComparison.Ordinal);
        if (power != 1)
        {
            var one = JointLawFitter.Fit(train, new JointFitOptions { IdentifiedNoisePower = false, NoisePowersWhereIdentified = false });
            Assert.True(fit.Objective < one.Objective, $"fitted {fit.Objective}, p = 1 {one.Objective}");
        }
    }

    [Fact]
    public void Interpolated_columns_are_the_exact_features_at_p()
    {
        // The fitter's columns at p (barycentric interpolation over 16 Chebyshev nodes of [0.2, 1.5]) against the features computed at p:
        // a run with warmup from a tiny LR, LRs over three decades and a cooldown to 0, the batch known (u != 1), at powers between the nodes.
        var lrs = new double[6000];
        for (int t = 0; t < lrs.Length; t++)
            lrs[t] = t < 200 ? 3e-3 * (t + 1) / 200 : t < 2000 ? 3e-3 : t < 4000 ? 3e-5 + 1e-3 * Math.Abs(Math.Sin(t / 300.0)) : 3e-3 * (6000 - t - 1) / 2000.0;
        var history = new ScheduleHistory(lrs);
        int[] steps = [1, 50, 199, 1000, 2500, 3999, 4500, 5900, 5999, 6000];
        var curve = new JointCurve("c", history, steps, [.. steps.Select(_ => 3.0)]) { BatchTokens = 5e5 };
        double top = lrs.Max(), u = JointLaw.BatchFactor(5e5);
        foreach (double power in new[] { 0.2, 0.333, 0.47, 1.0, 1.21, 1.5 })
        {
            var at = JointLawFitter.InterpolatedNoise(curve, power);
            var exact = JointFeatures.Exact(history, steps, 0, noisePower: power);
            for (int i = 0; i < steps.Length; i++)
                for (int m = 0; m < JointLaw.NoiseCount; m++)
                {
                    // Absolute, in units of the run's floor scale u top^p (the interpolation's error bound; a feature near 0 has no relative accuracy to keep).
                    double error = Math.Abs(at[i, m] - u * exact.Noise[i, m]) / (u * Math.Pow(top, power));
                    Assert.True(error <= 1e-9, $"p {power}, step {steps[i]}, lag {m}: error {error:E2} of u top^p");
                }
        }
    }

    [Fact]
    public void Fitting_the_power_needs_the_free_noise()
    {
        var curve = new JointCurve("c", new ScheduleHistory([.. Enumerable.Repeat(1e-3, 100)]), [50, 100], [3.5, 3.4]);
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit([curve], new JointFitOptions { FitNoisePower = true, Noise = JointNoise.Spectrum }));
        Assert.NotEqual(HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions()), HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions { FitNoisePower = true }));
    }

    /// <summary>A curve of one WSD run observed every 100 steps from step 100 (the losses are placeholders: identification reads the LRs and steps only).</summary>
    private static JointCurve Run(double peak, double cooldown, int steps = 4000, int warmup = 100, int every = 100) =>
        new($"lr={peak} cd={cooldown}", new ScheduleHistory(JointLawTests.Wsd(steps, warmup, peak, cooldown)),
            [.. Enumerable.Range(1, steps / every).Select(i => i * every)], [.. Enumerable.Repeat(3.0, steps / every)]);

    [Fact]
    public void Identified_by_decays_seen_at_two_or_more_peaks()
    {
        Assert.True(JointLawFitter.NoisePowerIdentified([Run(1e-3, 0.2), Run(2e-3, 0.2)]));
        Assert.True(JointLawFitter.NoisePowerIdentified([Run(1e-3, 0), Run(1e-3, 0.2), Run(2e-3, 0), Run(2e-3, 0.5), Run(5e-4, 0)]));
        // One peak LR (protocols 2 and 10, the one-LR plans), however many cooldowns.
        Assert.False(JointLawFitter.NoisePowerIdentified([Run(1e-3, 0), Run(1e-3, 0.1), Run(1e-3, 0.5), Run(1e-3, 0.9)]));
        // Two peaks, a decay at one only.
        Assert.False(JointLawFitter.NoisePowerIdentified([Run(1e-3, 0.2), Run(2e-3, 0), Run(4e-3, 0)]));
        // Decays observed only above half the peak: a cooldown of 20% of 4,000 steps cut at step 3,500 ends at 0.625 of the peak.
        var cut = new[] { Run(1e-3, 0.2), Run(2e-3, 0.2) }.Select(c => c with { Steps = [.. c.Steps.Where(s => s <= 3500)], Loss = [.. c.Loss.Take(35)] }).ToList();
        Assert.False(JointLawFitter.NoisePowerIdentified(cut));
        // A warmup from 0 below half the peak is not a decay (observed before the peak).
        var warm = new[] { Run(1e-3, 0, warmup: 1000), Run(2e-3, 0, warmup: 1000) };
        Assert.False(JointLawFitter.NoisePowerIdentified(warm));
        // One final loss per run after a decay to the floor (a sweep's table, as the Step Law cells): identified across peaks.
        var finals = new[] { 5e-4, 1e-3, 2e-3 }.Select(peak => Run(peak, 0.9) with { Steps = [4000], Loss = [3.0] }).ToList();
        Assert.True(JointLawFitter.NoisePowerIdentified(finals));
    }

    [Fact]
    public void Identified_power_is_the_fitted_power_where_identified_and_p_1_bit_for_bit_where_not()
    {
        Assert.False(new JointFitOptions().IdentifiedNoisePower);
        var train = Train(0.6);
        Assert.True(JointLawFitter.NoisePowerIdentified(train));
        // One p fitted where identified, the lag weights free (the lag prior, on by default since helper lagdefault, off here as for FitNoisePower).
        var identified = JointLawFitter.Fit(train, new JointFitOptions { IdentifiedNoisePower = true, NoisePowersWhereIdentified = false, NoiseLagPrior = false });
        var fitted = FittedAt06.Value;
        Assert.Equal(fitted.Parameters, identified.Parameters);
        Assert.True(Math.Abs(JointLaw.NoisePower(identified.Parameters) - 0.6) < 0.02, $"fitted p {JointLaw.NoisePower(identified.Parameters)}");
        // The curves of one peak LR: p stays 1, the fit is the default's bit for bit.
        var one = train.Where(c => Math.Abs(JointLawSelection.Peak(c) / 1e-3 - 1) < 1e-9).ToList();
        Assert.Equal(2, one.Count);
        Assert.False(JointLawFitter.NoisePowerIdentified(one));
        var held = JointLawFitter.Fit(one, new JointFitOptions { IdentifiedNoisePower = true });
        var plain = JointLawFitter.Fit(one, new JointFitOptions { IdentifiedNoisePower = false });
        Assert.Equal(plain.Parameters, held.Parameters);
        Assert.Equal(0, held.Parameters[JointLaw.NoisePowerLog]);
        // Another noise term: p stays 1 (no throw), as the default law.
        var curve = Run(1e-3, 0.2);
        Assert.Equal(0, JointLawFitter.Fit([curve, Run(2e-3, 0.2)], new JointFitOptions { IdentifiedNoisePower = true, Noise = JointNoise.Spectrum }).Parameters[JointLaw.NoisePowerLog]);
        Assert.NotEqual(HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions { IdentifiedNoisePower = false }), HyperLaws.Fitting.FitCacheKey.Of([curve], new JointFitOptions { IdentifiedNoisePower = true }));
    }
}
