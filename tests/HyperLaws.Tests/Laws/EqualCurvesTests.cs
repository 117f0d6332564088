using CsCheck;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// Curves equal in everything a law reads (learning rates, steps and model size, bit for bit) share one evaluation in
/// <see cref="LawFitter"/> (<see cref="FitOptions.ShareEqualCurves"/>, issue 12): the grouping finds exactly the equal curves, and a fit
/// with sharing is the fit without it bit for bit (parameters, objective, iterations, evaluations, stop reason).
/// </summary>
public sealed class EqualCurvesTests
{
    private static bool SameContent(FitTarget a, FitTarget b)
    {
        if (a.History.Steps != b.History.Steps || !a.Steps.AsSpan().SequenceEqual(b.Steps)) return false;
        if (BitConverter.DoubleToInt64Bits(a.ModelSize) != BitConverter.DoubleToInt64Bits(b.ModelSize)) return false;
        for (int t = 0; t <= a.History.Steps; t++)
            if (BitConverter.DoubleToInt64Bits(a.History.Eta(t)) != BitConverter.DoubleToInt64Bits(b.History.Eta(t))) return false;
        return true;
    }

    [Fact]
    public void Each_curve_points_to_the_first_curve_equal_to_it() =>
        ForAll(Gen.Select(Gen.Int[1, 40], Gen.Int[0, int.MaxValue]), t =>
        {
            var (count, seed) = t;
            var rng = new Random(seed);
            // A few schedules (two of them differing in one step's LR by one ulp), steps and sizes; some curves share a history
            // object, others hold equal copies.
            double[][] schedules = [SyntheticCurves.Wsd(400, 0.2), SyntheticCurves.Wsd(400, 0.3), SyntheticCurves.Wsd(500, 0.2), SyntheticCurves.Wsd(400, 0.2)];
            schedules[3][250] = Math.BitIncrement(schedules[3][250]);
            var shared = schedules.Select(s => new ScheduleHistory(s)).ToArray();
            int[][] stepSets = [[100, 200, 300, 400], [100, 200, 300], [50, 400]];
            double[] sizes = [double.NaN, 1e8, 4e8];
            var targets = new FitTarget[count];
            for (int j = 0; j < count; j++)
            {
                int s = rng.Next(schedules.Length);
                var history = rng.Next(2) == 0 ? shared[s] : new ScheduleHistory(schedules[s]);
                targets[j] = new FitTarget($"c{j}", history, stepSets[rng.Next(stepSets.Length)], [1, 1, 1, 1]) { ModelSize = sizes[rng.Next(sizes.Length)] };
            }
            var source = LawFitter.EqualCurves(targets);
            for (int j = 0; j < count; j++)
            {
                int first = Enumerable.Range(0, j + 1).First(u => SameContent(targets[u], targets[j]));
                Assert.Equal(first, source[j]);
            }
        }, iterations: 100);

    private static void AssertSameFit(IFittableLaw law, IReadOnlyList<FitTarget> curves, FitOptions options)
    {
        var shared = LawFitter.Fit(law, curves, options);
        var each = LawFitter.Fit(law, curves, options with { ShareEqualCurves = false });
        FitAssert.Same(each, shared);
    }

    /// <summary>
    /// Runs of a few schedules repeated with different noise (as seeds of a sweep; the benchmark's 100 runs cycle through 10 schedules),
    /// each repeat on its own history object, and one schedule whose repeats are observed at other steps (not equal, not shared).
    /// </summary>
    private static List<FitTarget> Repeats(IFittableLaw law, double[] truth)
    {
        var curves = new List<FitTarget>();
        double[][] schedules = [SyntheticCurves.Wsd(3000, 0.2), SyntheticCurves.Wsd(3500, 0.4), SyntheticCurves.Wsd(2500, 0.1)];
        for (int r = 0; r < 3; r++)
            for (int s = 0; s < schedules.Length; s++)
                curves.Add(SyntheticCurves.Curve(law, truth, schedules[s], $"s{s}r{r}", 0.003, 10 * r + s, points: s == 2 ? 40 + r : 60));
        return curves;
    }

    [Fact]
    public void An_MPL_fit_sharing_equal_curves_is_the_fit_evaluating_every_curve()
    {
        var truth = MultiPowerLaw.Published["100M"];
        var curves = Repeats(new MultiPowerLaw(), truth);
        // Schedules 0 and 1 are repeated at the same steps (two repeats each share the first's evaluation); schedule 2 is not.
        Assert.Equal(4, LawFitter.EqualCurves(curves).Where((u, j) => u != j).Count());
        AssertSameFit(new MultiPowerLaw(), curves, new FitOptions());                          // fused trial points
        AssertSameFit(new MultiPowerLaw(), curves, new FitOptions { FusedTrials = false });   // values, then the Jacobian
    }

    [Fact]
    public void A_fit_of_a_law_without_fused_evaluations_sharing_equal_curves_is_the_fit_evaluating_every_curve()
    {
        var curves = Repeats(new AnnealingLaw(), SyntheticCurves.TissueTruth);
        AssertSameFit(new AnnealingLaw(), curves, new FitOptions());
    }
}
