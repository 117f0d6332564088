using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using Xunit;

namespace HyperLaws.Tests.Laws.Joint;

/// <summary>
/// <see cref="JointFitOptions.NoiseLagPriorNeedsCurves"/>: the lag prior (<see cref="NoiseLagPrior"/>) only where the runs show a time course;
/// a set where every curve is one final loss keeps the twelve lag weights free (docs/VALIDATION.md, "Protocol 4: why the lag prior moved the
/// joint law's optimum, and the lag prior only where runs have curves"); any set with a curve of two or more observations is fitted bit for bit
/// as without it.
/// </summary>
public sealed class JointLagPriorNeedsCurvesTests
{
    private static readonly JointMechanism Saturation = new(true, false);

    /// <summary>Warmup 100 steps, then cosine from <paramref name="peak"/> to 1e-5 (the Step Law tables' assumed schedule, shortened).</summary>
    private static double[] Cosine(int steps, double peak) =>
        [.. Enumerable.Range(1, steps).Select(t => t <= 100 ? peak * t / 100 : 1e-5 + 0.5 * (peak - 1e-5) * (1 + Math.Cos(Math.PI * (t - 100) / (steps - 100))))];

    /// <summary>A truth whose noise is not at the prior's shares: intrinsic-time lag 1 and a 10,000-step lag, p = 0.7 (p + q = 0.7).</summary>
    private static double[] Truth()
    {
        var p = JointLawTests.Parameters(kappa: 400, c: 0, timeNoise: 0, stepNoise: 0);
        p[JointLaw.FirstNoise + 4] = 20;                                // tau = 1
        p[JointLaw.FirstNoise + JointLaw.TimeLags.Count + 4] = 5;      // 10,000 steps
        p[JointLaw.NoisePowerLog] = Math.Log(0.7);
        return p;
    }

    private static double Final(ILossLaw law, double[] parameters, double peak, int steps)
    {
        var y = new double[1];
        ((JointLaw)law).Predict(parameters, new ScheduleHistory(Cosine(steps, peak)), [steps], y);
        return y[0];
    }

    /// <summary>The peak LR of least final loss over a 49-point log grid on [1e-4, 1e-2] (protocol 4's scan).</summary>
    private static double Optimum(Func<double, double> final) =>
        Enumerable.Range(0, 49).Select(i => 1e-4 * Math.Pow(100, i / 48.0)).MinBy(final);

    [Fact]
    public void Off_by_default()
    {
        Assert.False(new JointFitOptions().NoiseLagPriorNeedsCurves);
        Assert.True(new JointFitOptions().NoiseLagPrior);
    }

    [Fact]
    public void On_final_losses_the_weights_are_free_and_the_law_finds_the_true_optimum()
    {
        // A generated grid of final losses only (nine peaks x two lengths, one observation each), as protocol 4 fits the Step Law table.
        var truth = Truth();
        var law = new JointLaw();
        var peaks = Enumerable.Range(0, 9).Select(i => 1e-4 * Math.Pow(10, i / 4.0)).ToArray();
        var runs = (from steps in new[] { 2000, 4000 } from peak in peaks
                    select new JointCurve($"lr={peak:G3} steps={steps}", new ScheduleHistory(Cosine(steps, peak)), [steps], [Final(law, truth, peak, steps)])).ToList();
        Assert.True(JointLawFitter.NoisePowerIdentified(runs));
        double best = Optimum(x => Final(law, truth, x, 3000));
        Assert.InRange(best, 1.5e-4, 7e-3);   // interior: the truth has an optimum to find

        var free = JointLawFitter.Fit(runs, new JointFitOptions { Mechanism = Saturation, NoiseLagPriorNeedsCurves = true });
        Assert.DoesNotContain("prior's shares", free.StopReason, StringComparison.Ordinal);
        Assert.Contains("noise power fitted", free.StopReason, StringComparison.Ordinal);
        Assert.InRange(JointLaw.NoisePower(free.Parameters), 0.65, 0.75);
        foreach (var r in runs) Assert.True(Math.Abs(Final(free.Law, free.Parameters, PeakOf(r), r.Steps[0]) / r.Loss[0] - 1) < 1e-4, r.Name);
        // The law's optimum at a length it was not fitted at, within two grid steps (x1.21) of the truth's.
        double found = Optimum(x => Final(free.Law, free.Parameters, x, 3000));
        Assert.InRange(Math.Abs(Math.Log(found / best)), 0, 2 * Math.Log(100) / 48 + 1e-9);

        // Without the option the prior's shares hold, and they cannot take this truth's lags.
        var prior = JointLawFitter.Fit(runs, new JointFitOptions { Mechanism = Saturation });
        Assert.Contains("noise lags at the prior's shares", prior.StopReason, StringComparison.Ordinal);
        Assert.Contains(runs, r => Math.Abs(Final(prior.Law, prior.Parameters, PeakOf(r), r.Steps[0]) / r.Loss[0] - 1) > 1e-3);
    }

    [Fact]
    public void On_curves_the_option_changes_nothing_bit_for_bit()
    {
        // Curves of 40 observations (three peaks, WSD with 50% cooldowns): the lag prior acts with or without the option.
        var train = JointLawTests.Synthetic(Truth()).Where(c => c.Name.EndsWith("cd=0.5", StringComparison.Ordinal)).ToList();
        Assert.True(JointLawFitter.NoisePowerIdentified(train));
        var plain = JointLawFitter.Fit(train, new JointFitOptions { Mechanism = Saturation });
        var gated = JointLawFitter.Fit(train, new JointFitOptions { Mechanism = Saturation, NoiseLagPriorNeedsCurves = true });
        Assert.Contains("noise lags at the prior's shares", gated.StopReason, StringComparison.Ordinal);
        Assert.Equal(plain.Parameters, gated.Parameters);
        Assert.Equal(plain.Objective, gated.Objective);
    }

    [Fact]
    public void A_single_final_loss_among_curves_keeps_the_prior()
    {
        // The prior is dropped only where every curve is one observation (JointLawFitter: All, not Any): a mixed set with one
        // 1-point run among curves of 40 is fitted bit for bit as without the option.
        var truth = Truth();
        var curves = JointLawTests.Synthetic(truth).Where(c => c.Name.EndsWith("cd=0.5", StringComparison.Ordinal)).ToList();
        var law = new JointLaw();
        List<JointCurve> mixed = [.. curves, new JointCurve("final only", new ScheduleHistory(Cosine(3000, 1e-3)), [3000], [Final(law, truth, 1e-3, 3000)])];
        var plain = JointLawFitter.Fit(mixed, new JointFitOptions { Mechanism = Saturation });
        var gated = JointLawFitter.Fit(mixed, new JointFitOptions { Mechanism = Saturation, NoiseLagPriorNeedsCurves = true });
        Assert.Contains("noise lags at the prior's shares", gated.StopReason, StringComparison.Ordinal);
        Assert.Equal(plain.Parameters, gated.Parameters);
        Assert.Equal(plain.Objective, gated.Objective);
    }

    private static double PeakOf(JointCurve c) => Enumerable.Range(1, c.History.Steps).Max(t => c.History.Eta(t));
}
