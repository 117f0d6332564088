using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Fitting;

/// <summary>Assertions shared by the tests that compare two fits.</summary>
internal static class FitAssert
{
    /// <summary>The two fits are the same in every field a fit reports: parameters, objective, iterations, evaluations, convergence, stop reason.</summary>
    public static void Same(LawFit expected, LawFit actual)
    {
        Assert.Equal(expected.Parameters, actual.Parameters);
        Assert.Equal(expected.Objective, actual.Objective);
        Assert.Equal(expected.Iterations, actual.Iterations);
        Assert.Equal(expected.Evaluations, actual.Evaluations);
        Assert.Equal(expected.Converged, actual.Converged);
        Assert.Equal(expected.StopReason, actual.StopReason);
    }
}
