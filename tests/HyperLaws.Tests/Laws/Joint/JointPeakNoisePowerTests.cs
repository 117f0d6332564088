using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>
/// The noise's power across peak LRs apart from its power inside a run (<see cref="JointFitOptions.PeakNoisePower"/>,
/// <see cref="JointLaw.NoisePeakExponent"/>: the free-lag noise times x_hat^q, x_hat the highest LR so far).
/// </summary>
public sealed class JointPeakNoisePowerTests
{
    /// <summary>The noise term of <see cref="JointLaw.Explain(ReadOnlySpan{double}, ScheduleHistory, int)"/> at the last step.</summary>
    private static double Noise(double[] p, double[] lrs) =>
        new JointLaw().Explain(p, new ScheduleHistory(lrs), lrs.Length).Single(t => t.Name == "noise").Contribution;

    [Fact]
    public void The_floor_scales_as_eta_to_p_plus_q_across_peaks_and_as_eta_to_p_inside_a_run()
    {
        // p = 1, q = -0.6: one fast intrinsic-time lag (1e-3), relaxed after 20,000 steps at these LRs.
        var p = JointLawTests.Parameters(c: 0, timeNoise: 0, stepNoise: 0);
        p[JointLaw.FirstNoise + 1] = 10;
        p[JointLaw.NoisePeakExponent] = -0.6;
        double[] Constant(double eta) => [.. Enumerable.Repeat(eta, 20000)];
        double low = Noise(p, Constant(5e-4)), high = Noise(p, Constant(2e-3));
        Property.Near(Math.Pow(4, 0.4), high / low, 1e-9, "across peaks: (2e-3 / 5e-4)^(p + q)");
        // Inside a run the peak is fixed: a step down to half the peak, held until relaxed, halves the noise (p = 1).
        double[] stepDown = [.. Enumerable.Range(0, 40000).Select(t => t < 20000 ? 2e-3 : 1e-3)];
        Property.Near(0.5, Noise(p, stepDown) / high, 1e-9, "inside a run: (eta_t / eta_peak)^p");
        // q = 0: the factor is exactly 1 (the law before, bit for bit).
        p[JointLaw.NoisePeakExponent] = 0;
        Assert.Equal(1.0, JointLaw.PeakNoiseFactor(p, 2e-3));
        Property.Near(4, Noise(p, Constant(2e-3)) / Noise(p, Constant(5e-4)), 1e-9, "q = 0: linear across peaks");
    }

    [Fact]
    public void Off_by_default_and_not_identified_is_the_plain_fit_bit_for_bit()
    {
        Assert.False(new JointFitOptions().PeakNoisePower);
        var truth = JointLawTests.Parameters(kappa: 400, c: 0);
        truth[JointLaw.NoisePeakExponent] = -0.5;
        // Curves of one peak LR (as protocols 2 and 10 fit): not identified, so q stays 0 and the fit is the plain one.
        var onePeak = JointLawTests.Synthetic(truth).Where(c => c.Name.StartsWith("lr=0.001 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, onePeak.Count);
        Assert.False(JointLawFitter.NoisePowerIdentified(onePeak));
        var plain = JointLawFitter.Fit(onePeak, new JointFitOptions());
        var peak = JointLawFitter.Fit(onePeak, new JointFitOptions { PeakNoisePower = true });
        Assert.Equal(plain.Parameters, peak.Parameters);
        Assert.Equal(plain.Objective, peak.Objective);
        Assert.Equal(0, peak.Parameters[JointLaw.NoisePeakExponent]);
    }

    [Theory]
    [InlineData(-0.6)]
    [InlineData(0.3)]
    public void The_fit_recovers_the_power_across_peaks_of_synthetic_data(double q)
    {
        var truth = JointLawTests.Parameters(kappa: 400, c: 0);
        truth[JointLaw.NoisePeakExponent] = q;
        var train = JointLawTests.Synthetic(truth);
        Assert.True(JointLawFitter.NoisePowerIdentified(train));
        var fit = JointLawFitter.Fit(train, new JointFitOptions { PeakNoisePower = true, Mechanism = new JointMechanism(true, false) });
        double fitted = fit.Parameters[JointLaw.NoisePeakExponent];
        Assert.True(Math.Abs(fitted - q) < 0.02, $"fitted q {fitted}, truth {q}");
        Assert.Equal(1.0, JointLaw.NoisePower(fit.Parameters));
        Assert.True(fit.Objective < 1e-9, $"objective {fit.Objective}");
        Assert.Contains("noise power across peaks fitted", fit.StopReason, StringComparison.Ordinal);
        // The fit's objective is the law's own: its predictions reproduce the curves.
        foreach (var c in train)
        {
            var y = new double[c.Steps.Length];
            fit.Law.Predict(fit.Parameters, c.History, c.Steps, y);
            for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] / c.Loss[i] - 1) < 1e-4, $"{c.Name} step {c.Steps[i]}");
        }
        var plain = JointLawFitter.Fit(train, new JointFitOptions { Mechanism = new JointMechanism(true, false) });
        Assert.True(fit.Objective < plain.Objective, $"q fitted {fit.Objective}, q = 0 {plain.Objective}");
    }

    [Fact]
    public void Needs_the_free_noise_and_does_not_combine_with_a_fitted_p()
    {
        var train = JointLawTests.Synthetic(JointLawTests.Parameters(kappa: 400, c: 0));
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit(train, new JointFitOptions { PeakNoisePower = true, Noise = JointNoise.Spectrum }));
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit(train, new JointFitOptions { PeakNoisePower = true, FitNoisePower = true }));
        Assert.Throws<ArgumentException>(() => JointLawFitter.Fit(train, new JointFitOptions { PeakNoisePower = true, IdentifiedNoisePower = true }));
    }

    [Fact]
    public void An_older_fit_without_q_reads_as_q_0()
    {
        Assert.Contains("q_peak", JointLaw.ZeroWhenAbsent);
        Assert.Equal("q_peak", new JointLaw().ParameterNames[JointLaw.NoisePeakExponent]);
        Assert.False(new JointLaw().Positive[JointLaw.NoisePeakExponent]);
        Assert.Equal(new JointLaw().ParameterNames.Count - 1, JointLaw.NoisePeakExponent);
        Assert.Equal(1.0, JointLaw.PeakNoiseFactor(new double[JointLaw.NoisePeakExponent], 1e-3));
    }
}
