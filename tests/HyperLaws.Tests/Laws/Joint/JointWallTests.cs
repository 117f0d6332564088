using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;
using static HyperLaws.Tests.Laws.Joint.JointLawTests;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>The loss-placed wall W x_hat^q_w of the joint law (<see cref="JointLaw.WallWeight"/>, <see cref="JointFitOptions.LossWall"/>).</summary>
public sealed class JointWallTests
{
    private static readonly JointFitOptions Options = new() { NoisePowersWhereIdentified = false, Noise = JointNoise.Free };

    /// <summary>Curves of the law at <paramref name="truth"/> (one N, unknown batch): the given peaks, two cooldowns, 2,000 steps, 8 points each.</summary>
    private static List<JointCurve> Sweep(double[] truth, IEnumerable<double> peaks)
    {
        var law = new JointLaw();
        var curves = new List<JointCurve>();
        foreach (double peak in peaks)
            foreach (double cd in new[] { 0.2, 0.6 })
            {
                var h = new ScheduleHistory(Wsd(2000, 50, peak, cd));
                int[] at = [.. Enumerable.Range(1, 8).Select(i => i * 250)];
                var y = new double[at.Length];
                law.Predict(truth, h, 2e8, double.NaN, at, y);
                curves.Add(new JointCurve($"lr={peak} cd={cd}", h, at, y, 2e8));
            }
        return curves;
    }

    [Fact]
    public void The_parameters_are_appended_named_and_zero_when_absent()
    {
        var law = new JointLaw();
        Assert.Equal("W_wall", law.ParameterNames[JointLaw.WallWeight]);
        Assert.Equal("q_wall", law.ParameterNames[JointLaw.WallExponent]);
        Assert.Equal(law.ParameterNames.Count - 1, JointLaw.WallExponent);
        Assert.Contains("W_wall", JointLaw.ZeroWhenAbsent);
        var p = Parameters();
        Assert.Equal(0, JointLaw.Wall(p, 1e-2));                                   // W = 0: exactly 0
        Assert.Equal(0, JointLaw.Wall(p.AsSpan(0, JointLaw.WallWeight), 1e-2));     // an older vector
        p[JointLaw.WallWeight] = 3;
        p[JointLaw.WallExponent] = 2;
        Assert.Equal(3 * 1e-4, JointLaw.Wall(p, 1e-2), 15);
    }

    [Fact]
    public void Identified_only_where_a_run_reaches_past_five_times_its_sets_best_LR()
    {
        var truth = Parameters();
        var near = Sweep(truth, [7e-4, 1e-3, 1.4e-3]);
        Assert.False(JointLawFitter.WallIdentified(near));
        // A run 6x above the set's best: identified; at 4x not; the same run at another batch (another set): not.
        var best = near.Where(c => c.Name.EndsWith("cd=0.2", StringComparison.Ordinal)).MinBy(c => c.Loss[^1])!;
        double bestPeak = JointLawSelection.Peak(best);
        var far = new JointCurve("far", new ScheduleHistory(Wsd(2000, 50, 6 * bestPeak, 0.2)), best.Steps, [.. best.Loss.Select(y => y + 0.1)], best.ModelSize);
        Assert.True(JointLawFitter.WallIdentified([.. near, far]));
        Assert.False(JointLawFitter.WallIdentified([.. near, far with { History = new ScheduleHistory(Wsd(2000, 50, 4 * bestPeak, 0.2)) }]));
        Assert.False(JointLawFitter.WallIdentified([.. near, far with { BatchTokens = 5e5 }]));
        // Another schedule shape (a longer cooldown than the best run's and its set's) is another set.
        var otherShape = new JointCurve("far", new ScheduleHistory(Wsd(2000, 50, 6 * bestPeak, 0.9)), best.Steps, [.. best.Loss.Select(y => y + 0.1)], best.ModelSize);
        Assert.False(JointLawFitter.WallIdentified([.. near.Where(c => c.Name.EndsWith("cd=0.2", StringComparison.Ordinal)), otherShape]));
    }

    [Fact]
    public void The_option_is_off_by_default() => Assert.False(new JointFitOptions().LossWall);

    [Fact]
    public void Where_no_run_is_far_above_its_best_the_fit_is_todays_bit_for_bit()
    {
        var curves = Sweep(Parameters(), [7e-4, 1e-3, 1.4e-3]);
        var on = JointLawFitter.Fit(curves, Options with { LossWall = true });
        var off = JointLawFitter.Fit(curves, Options with { LossWall = false });
        Assert.Equal(off.Parameters, on.Parameters);
        Assert.Equal(off.Objective, on.Objective);
        Assert.Equal(0, on.Parameters[JointLaw.WallWeight]);
        Assert.DoesNotContain("wall", on.StopReason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_terms_slope_in_the_peak_LR_matches_finite_differences_in_the_laws_LR_units()
    {
        // The wall is W (s eta_peak)^q_w with s = z^gamma_eta: d/d eta_peak = q_w W s^q_w eta_peak^(q_w - 1), measured on the law's predictions.
        var law = new JointLaw();
        var p = Parameters();
        p[JointLaw.LrSizeExponent] = 0.3;
        var w = (double[])p.Clone();
        (w[JointLaw.WallWeight], w[JointLaw.WallExponent]) = (5e3, JointFitOptions.WallPower);
        double s = Math.Pow(4e8 / JointLaw.ReferenceSize, 0.3);
        double WallPart(double peak)
        {
            var h = new ScheduleHistory(Wsd(1000, 50, peak, 0.3));
            return law.PredictFinal(w, h, 4e8) - law.PredictFinal(p, h, 4e8);
        }
        foreach (double peak in new[] { 3e-4, 1e-3, 4e-3 })
        {
            double d = 1e-4 * peak, numeric = (WallPart(peak + d) - WallPart(peak - d)) / (2 * d);
            double analytic = JointFitOptions.WallPower * 5e3 * Math.Pow(s, JointFitOptions.WallPower) * Math.Pow(peak, JointFitOptions.WallPower - 1);
            Assert.True(Math.Abs(numeric - analytic) <= 1e-5 * Math.Abs(analytic), $"peak {peak}: numeric {numeric}, analytic {analytic}");
            Assert.Equal(5e3 * Math.Pow(s * peak, 2), WallPart(peak), 1e-9);
        }
        // The explanation lists the wall and its terms still sum to the prediction.
        var hx = new ScheduleHistory(Wsd(1000, 50, 2e-3, 0.3));
        var terms = law.Explain(w, hx, 1000, 4e8, double.NaN);
        Assert.Contains(terms, t => t.Name == "wall");
        Assert.Equal(law.PredictFinal(w, hx, 4e8), terms.Sum(t => t.Contribution), 10);
    }

    [Fact]
    public void A_generated_bowl_with_a_steep_wall_is_recovered()
    {
        // Peaks on a sqrt 2 grid over a factor 256: the truth's optimum inside, a wall worth 0.2 nats at the highest peak.
        double[] peaks = [.. Enumerable.Range(0, 17).Select(k => 1e-4 * Math.Pow(2, k / 2.0))];
        var law = new JointLaw();
        var truth = Parameters();
        (truth[JointLaw.WallWeight], truth[JointLaw.WallExponent]) = (0.2 / Math.Pow(peaks[^1], 2), JointFitOptions.WallPower);
        var curves = Sweep(truth, peaks);
        Assert.True(JointLawFitter.WallIdentified(curves));
        var fit = JointLawFitter.Fit(curves, Options with { LossWall = true });
        Assert.Contains("wall", fit.StopReason, StringComparison.Ordinal);
        Assert.True(fit.Objective < 1e-8, $"objective {fit.Objective}");
        Assert.True(Math.Abs(fit.Parameters[JointLaw.WallWeight] / truth[JointLaw.WallWeight] - 1) < 0.05, $"W {fit.Parameters[JointLaw.WallWeight]} vs {truth[JointLaw.WallWeight]}");
        Assert.Equal(JointFitOptions.WallPower, fit.Parameters[JointLaw.WallExponent]);
        var shape = Wsd(2000, 50, 1, 0.6);
        double Optimum(double[] q) => law.OptimalPeak(q, pk => [.. shape.Select(x => x * pk)], 1e-5, 1, 2e8).Peak;
        Assert.True(Math.Abs(Math.Log(Optimum(fit.Parameters) / Optimum(truth))) < 0.02, $"optimum {Optimum(fit.Parameters)} vs {Optimum(truth)}");
        // Without the wall the same data are fitted clearly worse.
        var plain = JointLawFitter.Fit(curves, Options with { LossWall = false });
        Assert.True(plain.Objective > 100 * Math.Max(fit.Objective, 1e-12), $"without the wall {plain.Objective} vs {fit.Objective}");
    }
}
