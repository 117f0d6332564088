using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// OptLaw's search on a few curves, then on all (issue 12; docs/VALIDATION.md, "OptLaw: the search on a few curves, then on all"):
/// below its thresholds the fit is the one-stage fit bit for bit; above them (lowered here, so the case stays small) it ends
/// where the one-stage fit does, within the declared tolerance.
/// </summary>
public sealed class OptLawCurveSubsetTests
{
    /// <summary>Tissue-law curves on WSD schedules of 2,000-4,900 steps (cooldowns 10-60%), <paramref name="points"/> points each.</summary>
    private static FitTarget[] Many(int count, int points) =>
        [.. Enumerable.Range(0, count).Select(c => SyntheticCurves.Curve(new AnnealingLaw(), SyntheticCurves.TissueTruth,
            SyntheticCurves.Wsd(2000 + 100 * c, 0.1 + 0.5 * (c % 7) / 6.0), $"c{c}", 0.002, 700 + c, points))];

    [Fact]
    public void Below_the_point_threshold_the_fit_is_the_one_stage_fit_bit_for_bit()
    {
        // 30 curves (at the curve threshold) of 20 points: 600 points, under FitOptions.SubsetMinPoints.
        var curves = Many(FitOptions.SubsetMinCurves, 20);
        var law = new OptLaw();
        var byDefault = LawFitter.Fit(law, curves);
        var off = LawFitter.Fit(law, curves, new FitOptions { CurveSubset = 0 });
        Assert.Equal(off.Parameters, byDefault.Parameters);
        Assert.Equal(off.Objective, byDefault.Objective);
        Assert.Equal(off.Evaluations, byDefault.Evaluations);
        Assert.Equal(off.StopReason, byDefault.StopReason);
    }

    [Fact]
    public void Above_the_thresholds_it_ends_where_the_one_stage_fit_does()
    {
        var curves = Many(24, 80);
        var law = new OptLaw();
        var two = law.Fit(curves, new FitOptions { CurveSubset = 6 }, subsetMinCurves: 20, subsetMinPoints: 0);
        var one = law.Fit(curves, new FitOptions { CurveSubset = 0 }, subsetMinCurves: 20, subsetMinPoints: 0);
        Assert.Contains("searched on 6 of the 24 curves first", two.StopReason);
        Assert.DoesNotContain("searched on", one.StopReason);
        // The declared tolerance: the objective within 1e-6 relative (or lower), alpha and p within 1e-3 relative, and the fitted
        // curves within 1e-5 relative at every observed point.
        Assert.True(two.Objective <= one.Objective * (1 + 1e-6), $"{two.Objective:R} against {one.Objective:R}");
        Near(one.Parameters[OptLaw.Alpha], two.Parameters[OptLaw.Alpha], 1e-3, "alpha");
        Near(one.Parameters[OptLaw.Power], two.Parameters[OptLaw.Power], 1e-3, "p");
        foreach (var c in curves)
        {
            var a = new double[c.Steps.Length];
            var b = new double[c.Steps.Length];
            law.Predict(one.Parameters, c.History, c.Steps, a);
            law.Predict(two.Parameters, c.History, c.Steps, b);
            for (int i = 0; i < a.Length; i++) Near(a[i], b[i], 1e-5, $"{c.Name} step {c.Steps[i]}");
        }
    }

    [Fact]
    public void By_default_a_fit_above_the_thresholds_takes_the_two_stage_path()
    {
        // The adopted default (CurveSubset null: FitOptions.DeclaredCurveSubset for OptLaw), thresholds lowered to 20 curves.
        var fit = new OptLaw().Fit(Many(24, 80), new FitOptions(), subsetMinCurves: 20, subsetMinPoints: 0);
        Assert.Contains($"searched on {FitOptions.DeclaredCurveSubset} of the 24 curves first", fit.StopReason);
    }

    [Fact]
    public void A_given_start_is_a_candidate_for_the_search_on_every_curve()
    {
        // Warm-started from the one-stage optimum (a bootstrap refit's start), the search on every curve starts from the better of
        // it and the subset search's ends on every curve, and Nelder-Mead keeps its best vertex: it ends no higher than that
        // optimum (to rounding: the start passes through ln and exp).
        var curves = Many(24, 80);
        var law = new OptLaw();
        var one = law.Fit(curves, new FitOptions { CurveSubset = 0 }, subsetMinCurves: 20, subsetMinPoints: 0);
        var warm = law.Fit(curves, new FitOptions { CurveSubset = 6, UseLawStartingPoints = false, Starts = [one.Parameters] }, subsetMinCurves: 20, subsetMinPoints: 0);
        Assert.Contains("searched on 6 of the 24 curves first", warm.StopReason);
        Assert.True(warm.Objective <= one.Objective * (1 + 1e-12), $"{warm.Objective:R} against {one.Objective:R}");
    }
}
