using System.Globalization;
using HyperLaws.Laws;
using HyperLaws.Schedules;
using HyperLaws.Tests.Fitting;
using HyperLaws.Tests.Schedules;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// Levenberg-Marquardt's trial points evaluated only as far as needed to show that they do not lower the objective
/// (<see cref="FitOptions.EarlyReject"/>, issue 12, helper mpl100): the fit is the one that evaluates every trial in full, bit for bit
/// (parameters, objective, iterations, evaluations, stop reason), on the published MPL runs and on synthetic curves; and a rejected
/// trial is cut short (fewer curves evaluated).
/// </summary>
public sealed class EarlyRejectTests
{
    [Fact]
    public void An_MPL_fit_of_the_published_runs_is_the_fit_that_evaluates_every_trial_in_full()
    {
        var curves = SeparableFitterTests.Protocol1("25");
        // 20 points of each published curve (MaxPointsPerCurve) keep the test fast; the identity is the same claim at any count.
        var full = LawFitter.Fit(new MultiPowerLaw(), curves, new FitOptions { EarlyReject = false, MaxPointsPerCurve = 20 });
        var early = LawFitter.Fit(new MultiPowerLaw(), curves, new FitOptions { MaxPointsPerCurve = 20 });
        FitAssert.Same(full, early);
    }

    [Fact]
    public void Fits_of_synthetic_curves_are_the_same_with_separate_trials_and_without_fused_evaluations()
    {
        // MPL with the values first and the Jacobian at accepted points (FusedTrials off), on four WSD curves of 2,000-3,500 steps.
        var truth = MultiPowerLaw.Published["100M"];
        FitTarget[] mpl = [.. Enumerable.Range(0, 4).Select(c => SyntheticCurves.Curve(new MultiPowerLaw(), truth, SyntheticCurves.Wsd(2000 + 500 * c, 0.1 + 0.1 * c), $"m{c}", 0.003, 40 + c, points: 40))];
        var separate = new FitOptions { FusedTrials = false };
        FitAssert.Same(LawFitter.Fit(new MultiPowerLaw(), mpl, separate with { EarlyReject = false }), LawFitter.Fit(new MultiPowerLaw(), mpl, separate));
        // The LR-annealing law (no fused evaluation, a forward-difference Jacobian), with one curve repeated at the same steps (equal curves
        // share an evaluation and are counted together).
        var tissue = SyntheticCurves.Tissue(5, 0.003, 7).ToList();
        tissue.Add(tissue[2] with { Name = "repeat", Loss = [.. tissue[2].Loss.Select(v => v * 1.001)] });
        FitAssert.Same(LawFitter.Fit(new AnnealingLaw(), tissue, new FitOptions { EarlyReject = false }), LawFitter.Fit(new AnnealingLaw(), tissue, new FitOptions()));
    }

    [Fact]
    public void Rejected_trials_evaluate_fewer_curves()
    {
        // Six curves of one schedule object observed at different steps: curves sharing a history are evaluated one after another,
        // so the count of curves evaluated is deterministic.
        var truth = MultiPowerLaw.Published["100M"];
        var lr = SyntheticCurves.Wsd(3000, 0.3);
        var history = new ScheduleHistory(lr);
        var curves = Enumerable.Range(0, 6).Select(c => SyntheticCurves.Curve(new MultiPowerLaw(), truth, lr, $"c{c}", 0.003, 70 + c, points: 30 + 5 * c) with { History = history }).ToList();
        var full = new CountingMultiPowerLaw();
        var early = new CountingMultiPowerLaw();
        var a = LawFitter.Fit(full, curves, new FitOptions { EarlyReject = false });
        var b = LawFitter.Fit(early, curves, new FitOptions());
        FitAssert.Same(a, b);
        Assert.True(early.Calls < full.Calls, $"{early.Calls} curves evaluated against {full.Calls}");
    }
}
