using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>
/// The noise floor across peak LRs with its tangent inside a run (<see cref="JointFitOptions.PeakNoiseTangent"/>,
/// <see cref="JointLaw.NoiseTangentExponent"/>): F eta^r at a constant LR, and a cooldown's gain the floor's slope at the peak times the drop.
/// </summary>
public sealed class JointPeakNoiseTangentTests
{
    /// <summary>The noise term of <see cref="JointLaw.Explain(ReadOnlySpan{double}, ScheduleHistory, int)"/> at the last step.</summary>
    private static double Noise(double[] p, double[] lrs) =>
        new JointLaw().Explain(p, new ScheduleHistory(lrs), lrs.Length).Single(t => t.Name == "noise").Contribution;

    private static double[] Constant(double eta) => [.. Enumerable.Repeat(eta, 20000)];

    /// <summary>The peak held for 20,000 steps, then a step down to <paramref name="end"/> held 20,000 more (the fast lag relaxed).</summary>
    private static double[] StepDown(double peak, double end) => [.. Enumerable.Range(0, 40000).Select(t => t < 20000 ? peak : end)];

    /// <summary>One fast step lag (100 steps), relaxed within 20,000 steps whatever the LR, and r = 1 + q_t.</summary>
    private static double[] Tangent(double r)
    {
        var p = JointLawTests.Parameters(c: 0, timeNoise: 0, stepNoise: 0);
        p[JointLaw.FirstNoise + JointLaw.TimeLags.Count] = 10;
        p[JointLaw.NoiseTangentExponent] = r - 1;
        return p;
    }

    [Fact]
    public void A_short_cooldowns_gain_at_two_peaks_is_the_constant_floors_slope_at_the_peak_times_the_drop()
    {
        const double r = 0.4, F = 10;
        var p = Tangent(r);
        // Across peaks: the floor at a constant LR is F eta^r.
        Property.Near(Math.Pow(4, r), Noise(p, Constant(2e-3)) / Noise(p, Constant(5e-4)), 1e-9, "across peaks: (2e-3 / 5e-4)^r");
        Property.Near(F * Math.Pow(1e-3, r), Noise(p, Constant(1e-3)), 1e-9, "floor F eta^r");
        foreach (double peak in new[] { 5e-4, 2e-3 })
        {
            // The slope of the constant runs' floor at the peak, read off two constant runs around it (central difference).
            double h = 1e-4, slope = (Noise(p, Constant(peak * (1 + h))) - Noise(p, Constant(peak * (1 - h)))) / (2 * h * peak);
            Property.Near(r * F * Math.Pow(peak, r - 1), slope, 1e-6, $"floor's slope at {peak}");
            // A small drop (10%) and a large one (to a fifth): the gain is the slope times the drop, linear in the LR at the end.
            foreach (double end in new[] { 0.9 * peak, 0.2 * peak })
            {
                double gain = Noise(p, Constant(peak)) - Noise(p, StepDown(peak, end));
                Property.Near(slope * (peak - end), gain, 1e-6, $"gain of a drop {peak} -> {end}");
            }
            // A complete cooldown leaves the tangent's intercept, (1 - r) of the floor: the part no cooldown removes.
            Property.Near(1 - r, Noise(p, StepDown(peak, 1e-12)) / Noise(p, Constant(peak)), 1e-6, $"intercept at {peak}");
        }
        // Against the power across peaks of PeakNoisePower (p = 1, the same floor F eta^r), whose drop removes F x^(r - 1) (x - eta_end):
        // 1/r times more than the floor's slope says.
        var power = JointLawTests.Parameters(c: 0, timeNoise: 0, stepNoise: 0);
        power[JointLaw.FirstNoise + JointLaw.TimeLags.Count] = F;
        power[JointLaw.NoisePeakExponent] = r - 1;
        Property.Near(Noise(p, Constant(2e-3)), Noise(power, Constant(2e-3)), 1e-12, "the same floor");
        double gainPower = Noise(power, Constant(2e-3)) - Noise(power, StepDown(2e-3, 1.8e-3)), gainTangent = Noise(p, Constant(2e-3)) - Noise(p, StepDown(2e-3, 1.8e-3));
        Property.Near(r, gainTangent / gainPower, 1e-6, "tangent gain / PeakNoisePower gain");
    }

    [Fact]
    public void The_noise_terms_formula_names_the_tangent_form_only_when_it_is_on()
    {
        string Formula(double[] p) => new JointLaw().Explain(p, new ScheduleHistory(StepDown(1e-3, 5e-4)), 40000).Single(t => t.Name == "noise").Formula;
        Assert.Equal("u z^n_N x_hat^q_t (Floor + z^n_M Memory) of (r sum_m w_m N_m + (1 - r)(sum_m w_m) x_hat + W_time M_time + W_steps M_steps + W_clock M_clock + V eta) "
            + "(LR relaxed over lags; tangent form across peaks, x_hat the peak so far, r = 1 + q_t = 0.4), u = 1", Formula(Tangent(0.4)));
        Assert.Equal("u z^n_N (Floor + z^n_M Memory) of (sum_m w_m N_m + W_time M_time + W_steps M_steps + W_clock M_clock + V eta) (LR relaxed over lags), u = 1",
            Formula(Tangent(1)));
    }

    [Fact]
    public void Off_by_default_as_its_declared_rule_chose()
    {
        // docs/VALIDATION.md, "Protocols 7 and 8: the noise floor across peaks with its tangent inside a run": protocol 8 at 1.175% (limit 0.473%).
        Assert.False(new JointFitOptions().PeakNoiseTangent);
    }

    /// <summary>
    /// Predictions of the law at commit 850e8d0 (before q_tangent; its vector one shorter), computed there by a small program calling
    /// <see cref="JointLaw.Predict(ReadOnlySpan{double}, ScheduleHistory, ReadOnlySpan{int}, Span{double})"/> and
    /// <see cref="JointLaw.PredictFinalAt"/> with the vectors of <see cref="Before"/> on <c>JointLawTests.Wsd(3000, 100, 1e-3, 0.3)</c>,
    /// printed with "R": at steps 50, 1500, 2800, 3000, then with sizes and batch (N = 3e8, B = 5e5) at 500, 2800, 3000.
    /// </summary>
    private static readonly double[] Golden850e8d0 = [5.032970159786459, 3.549655446637229, 3.4109715593275585, 3.4005470436744956];

    private static readonly double[] GoldenSized850e8d0 = [30.536932453284827, 22.842462974452232, 16.09520324545864];

    /// <summary>The vectors of the golden values: plain, and with the LR's size scale, n_N, n_M, the noise power 0.7 and q_peak -0.5 on.</summary>
    private static (double[] Plain, double[] Sized) Before()
    {
        var p = JointLawTests.Parameters(e: 3, a: 0.5, alpha: 0.5, sw: 0.05, kappa: 500, c: 2, timeNoise: 20, stepNoise: 30);
        p[JointLaw.FirstNoise + JointLaw.TimeLags.Count] = 10;
        var x = (double[])p.Clone();
        x[JointLaw.LrSizeExponent] = 0.3;
        x[JointLaw.NoiseSizeExponent] = 0.1;
        x[JointLaw.NoiseMemorySizeExponent] = -0.2;
        x[JointLaw.NoisePowerLog] = Math.Log(0.7);
        x[JointLaw.NoisePeakExponent] = -0.5;
        return (p, x);
    }

    [Fact]
    public void At_r_1_the_law_is_the_law_before_bit_for_bit()
    {
        var (p, x) = Before();
        Assert.Equal(0, p[JointLaw.NoiseTangentExponent]);
        var h = new ScheduleHistory(JointLawTests.Wsd(3000, 100, 1e-3, 0.3));
        var law = new JointLaw();
        var y = new double[4];
        law.Predict(p, h, [50, 1500, 2800, 3000], y);
        Assert.Equal(Golden850e8d0, y);
        Assert.Equal(GoldenSized850e8d0, new[] { 500, 2800, 3000 }.Select(t => law.PredictFinalAt(x, h, t, 3e8, 5e5)));
        // A LAW.json written before q_tangent (no such parameter) reads as q_t = 0 and predicts the same.
        foreach (var (vector, n, b, golden) in new[] { (p, double.NaN, double.NaN, Golden850e8d0[3]), (x, 3e8, 5e5, GoldenSized850e8d0[2]) })
        {
            var parameters = law.ParameterNames.Select((name, i) => (name, i)).Where(v => v.name != "q_tangent").ToDictionary(v => v.name, v => vector[v.i]);
            string json = new FittedLawDocument("joint", parameters, 0.1, true, "converged", ["a"]).ToJson();
            Assert.DoesNotContain("q_tangent", json, StringComparison.Ordinal);
            var (read, q) = FittedLawDocument.Parse(json).Instantiate();
            Assert.Equal(vector, q);
            Assert.Equal(golden, Assert.IsType<JointLaw>(read).PredictFinalAt(q, h, 3000, n, b));
        }
        Assert.Contains("q_tangent", JointLaw.ZeroWhenAbsent);
        Assert.Equal("q_tangent", law.ParameterNames[JointLaw.NoiseTangentExponent]);
        Assert.False(law.Positive[JointLaw.NoiseTangentExponent]);
        Assert.Equal(0, JointLaw.TangentExponent(new double[JointLaw.NoiseTangentExponent]));
    }

    [Fact]
    public void Not_identified_or_under_another_noise_power_option_is_that_fit_bit_for_bit()
    {
        var truth = JointLawTests.Parameters(kappa: 400, c: 0);
        truth[JointLaw.NoiseTangentExponent] = -0.5;
        // Curves of one peak LR (protocols 2 and 10, one-LR plans): not identified, r stays 1 and the fit is the plain one.
        var onePeak = JointLawTests.Synthetic(truth).Where(c => c.Name.StartsWith("lr=0.001 ", StringComparison.Ordinal)).ToList();
        Assert.False(JointLawFitter.NoisePowerIdentified(onePeak));
        var plain = JointLawFitter.Fit(onePeak, new JointFitOptions { PeakNoiseTangent = false });
        var tangent = JointLawFitter.Fit(onePeak, new JointFitOptions { PeakNoiseTangent = true });
        Assert.Equal(plain.Parameters, tangent.Parameters);
        Assert.Equal(plain.Objective, tangent.Objective);
        Assert.Equal(0, tangent.Parameters[JointLaw.NoiseTangentExponent]);
        // With another noise term the tangent is off: the spectrum's own fit, bit for bit.
        var train = JointLawTests.Synthetic(truth);
        var mechanism = new JointMechanism(true, false);
        var spectrum = JointLawFitter.Fit(train, new JointFitOptions { Mechanism = mechanism, Noise = JointNoise.Spectrum, PeakNoiseTangent = false });
        var spectrumTangent = JointLawFitter.Fit(train, new JointFitOptions { Mechanism = mechanism, Noise = JointNoise.Spectrum, PeakNoiseTangent = true });
        Assert.Equal(spectrum.Parameters, spectrumTangent.Parameters);
    }

    [Fact]
    public void The_fit_recovers_the_power_across_peaks_in_the_tangent_form()
    {
        var truth = JointLawTests.Parameters(kappa: 400, c: 0);
        truth[JointLaw.NoiseTangentExponent] = -0.6;   // r = 0.4
        var train = JointLawTests.Synthetic(truth);
        Assert.True(JointLawFitter.NoisePowerIdentified(train));
        var mechanism = new JointMechanism(true, false);
        // The tangent form is an option of the p = 1 law (off under the default's both powers where identified, since helper lagdefault).
        var fit = JointLawFitter.Fit(train, new JointFitOptions { PeakNoiseTangent = true, NoisePowersWhereIdentified = false, Mechanism = mechanism });
        double r = 1 + fit.Parameters[JointLaw.NoiseTangentExponent];
        Assert.True(Math.Abs(r - 0.4) < 0.03, $"fitted r {r}, truth 0.4");
        Assert.Equal(0, fit.Parameters[JointLaw.NoisePeakExponent]);
        Assert.Contains("tangent inside a run", fit.StopReason, StringComparison.Ordinal);
        // The fit's objective is the law's own: its predictions reproduce the curves.
        foreach (var c in train)
        {
            var y = new double[c.Steps.Length];
            fit.Law.Predict(fit.Parameters, c.History, c.Steps, y);
            for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] / c.Loss[i] - 1) < 1e-3, $"{c.Name} step {c.Steps[i]}");
        }
        var plain = JointLawFitter.Fit(train, new JointFitOptions { PeakNoiseTangent = false, NoisePowersWhereIdentified = false, Mechanism = mechanism });
        Assert.True(fit.Objective < plain.Objective, $"tangent {fit.Objective}, r = 1 {plain.Objective}");
    }
}
