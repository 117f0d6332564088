using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// Levenberg-Marquardt's trial points equal to the current point bit for bit rejected without evaluating the law
/// (<see cref="FitOptions.SkipStillTrials"/>, issue 12, helper mplcost): the fit is the one that evaluates them, in every field
/// (parameters, objective, iterations, evaluations, stop reason), and where the law's derivatives are not finite (a zeroed Jacobian,
/// zero steps) the law is evaluated fewer times.
/// </summary>
public sealed class StillTrialsTests
{
    [Fact]
    public void MPL_fits_are_the_fits_that_evaluate_every_trial()
    {
        // Protocol 1's 25M curves (20 points each keep it fast) and four synthetic WSD curves.
        var published = SeparableFitterTests.Protocol1("25");
        var options = new FitOptions { MaxPointsPerCurve = 20 };
        FitAssert.Same(LawFitter.Fit(new MultiPowerLaw(), published, options with { SkipStillTrials = false }), LawFitter.Fit(new MultiPowerLaw(), published, options));
        var truth = MultiPowerLaw.Published["100M"];
        FitTarget[] mpl = [.. Enumerable.Range(0, 4).Select(c => SyntheticCurves.Curve(new MultiPowerLaw(), truth, SyntheticCurves.Wsd(2000 + 500 * c, 0.1 + 0.1 * c), $"m{c}", 0.003, 40 + c, points: 40))];
        FitAssert.Same(LawFitter.Fit(new MultiPowerLaw(), mpl, new FitOptions { SkipStillTrials = false }), LawFitter.Fit(new MultiPowerLaw(), mpl, new FitOptions()));
    }

    [Fact]
    public void Where_the_derivatives_are_not_finite_the_zero_steps_are_not_evaluated_and_the_fit_is_the_same()
    {
        var truth = MultiPowerLaw.Published["100M"];
        FitTarget[] mpl = [.. Enumerable.Range(0, 3).Select(c => SyntheticCurves.Curve(new MultiPowerLaw(), truth, SyntheticCurves.Wsd(2000 + 500 * c, 0.2), $"m{c}", 0.003, 50 + c, points: 30))];
        foreach (bool fused in new[] { true, false })
        {
            var every = new CountingMultiPowerLaw(nanGradientBelowA: 0.55);
            var skipping = new CountingMultiPowerLaw(nanGradientBelowA: 0.55);
            // Early rejection off in both: with it, how many curves a rejected trial evaluates before it is stopped depends on the
            // workers' timing (the fit does not), so the law's call count would not be deterministic under load.
            var a = LawFitter.Fit(every, mpl, new FitOptions { SkipStillTrials = false, FusedTrials = fused, ParallelProbes = false, EarlyReject = false });
            var b = LawFitter.Fit(skipping, mpl, new FitOptions { FusedTrials = fused, ParallelProbes = false, EarlyReject = false });
            FitAssert.Same(a, b);
            // The starts at A = 0.5 and 0.3 have no finite derivatives: each makes its 30 zero steps at once (3 curves a step).
            Assert.True(skipping.Calls <= every.Calls - 2 * 30 * mpl.Length, $"fused {fused}: {skipping.Calls} law calls with the skip, {every.Calls} without");
        }
    }
}
