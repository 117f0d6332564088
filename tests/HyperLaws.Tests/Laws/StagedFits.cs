using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>What the tests of a fit in two stages (<see cref="FitOptions.CurveSubset"/>, <see cref="FitOptions.CoarsePoints"/>) share.</summary>
internal static class StagedFits
{
    /// <summary>30 tissue curves of 2,000-4,900 steps, 400 points each (12,000 points: above both stages' thresholds).</summary>
    public static FitTarget[] Sweep(int count = 30, int points = 400, double sigma = 0.002) =>
        [.. Enumerable.Range(0, count).Select(c => SyntheticCurves.Curve(new AnnealingLaw(), SyntheticCurves.TissueTruth,
            SyntheticCurves.Wsd(2000 + 100 * c, 0.1 + 0.5 * (c % 7) / 6.0), $"c{c}", sigma, 500 + c, points))];

    /// <summary>The staged fit is the one-stage fit bit for bit: the same parameters, objective and number of evaluations.</summary>
    public static void SameFit(LawFit expected, LawFit actual)
    {
        Assert.Equal(expected.Parameters, actual.Parameters);
        Assert.Equal(expected.Objective, actual.Objective);
        Assert.Equal(expected.Evaluations, actual.Evaluations);
    }

    /// <summary>
    /// On the sweep's curves from known parameters (noise 0.003) the staged fit converges to the whole procedure's optimum: its
    /// objective no higher than 1e-6 relative above, every parameter within 1e-3 of the full fit's and 5% of the truth.
    /// </summary>
    public static void ReachesTheFullOptimum(FitOptions staged, FitOptions full)
    {
        var curves = Sweep(sigma: 0.003);
        var law = new AnnealingLaw();
        var two = LawFitter.Fit(law, curves, staged);
        var one = LawFitter.Fit(law, curves, full);
        Assert.True(two.Converged, two.StopReason);
        Assert.True(two.Objective <= one.Objective * (1 + 1e-6), $"{two.Objective:R} against {one.Objective:R}");
        for (int j = 0; j < one.Parameters.Length; j++)
        {
            Near(one.Parameters[j], two.Parameters[j], 1e-3, law.ParameterNames[j]);
            Near(SyntheticCurves.TissueTruth[j], two.Parameters[j], 0.05, law.ParameterNames[j] + " against the truth");
        }
    }
}
