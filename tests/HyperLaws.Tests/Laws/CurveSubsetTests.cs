using CsCheck;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// A fit of many curves first fitted on a few (<see cref="FitOptions.CurveSubset"/>, issue 12; declared in docs/VALIDATION.md,
/// "MPL: many curves fitted on a few first"): the declared two-stage procedure exactly, its thresholds, its defaults, its
/// pseudo-random choice of curves, and the optimum it reaches on curves drawn from known parameters.
/// </summary>
public sealed class CurveSubsetTests
{
    [Fact]
    public void The_subset_is_sorted_distinct_in_range_and_follows_no_period_of_the_order() =>
        ForAll(Gen.Select(Gen.Int[1, 60], Gen.Int[0, 600]), t =>
        {
            var (count, extra) = t;
            int total = count + extra;
            var picked = LawFitter.SubsetIndices(total, count);
            Assert.Equal(count, picked.Length);
            Assert.Equal(picked.Order(), picked);
            Assert.Equal(count, picked.Distinct().Count());
            Assert.All(picked, i => Assert.InRange(i, 0, total - 1));
            // A sweep whose order cycles through P schedules (P = 2..10) is not sampled on one of them.
            if (count >= 4 && total >= 3 * count)
                for (int period = 2; period <= 10; period++)
                    Assert.True(picked.Select(i => i % period).Distinct().Count() > 1, $"{count} of {total}: all in one class mod {period}");
        }, iterations: 300);

    [Fact]
    public void The_default_is_off_and_the_option_enters_the_cache_key()
    {
        // Off by default for the LR-annealing law and MPL (MplCurveSubsetTests).
        var tissue = new AnnealingLaw();
        Assert.Equal(0, new FitOptions().EffectiveCurveSubset(tissue));
        Assert.Equal(0, new FitOptions().EffectiveCurveSubset(new MultiPowerLaw()));
        Assert.Equal(FitOptions.DeclaredCurveSubset, new FitOptions { CurveSubset = FitOptions.DeclaredCurveSubset }.EffectiveCurveSubset(tissue));
        var curves = SyntheticCurves.Tissue(3, 0.002, 1);
        Assert.Equal(FitCacheKey.Of(tissue, curves, new FitOptions()), FitCacheKey.Of(tissue, curves, new FitOptions { CurveSubset = 0 }));
        Assert.NotEqual(FitCacheKey.Of(tissue, curves, new FitOptions()), FitCacheKey.Of(tissue, curves, new FitOptions { CurveSubset = FitOptions.DeclaredCurveSubset }));
    }

    private static FitTarget[] Many(int count = 30, int points = 400, double sigma = 0.002) => StagedFits.Sweep(count, points, sigma);

    [Fact]
    public void Above_the_thresholds_it_is_the_declared_two_stage_fit()
    {
        var curves = Many();
        var law = new AnnealingLaw();
        var fit = LawFitter.Fit(law, curves, new FitOptions { CurveSubset = 6 });
        // By hand: the whole procedure on the six chosen curves (from the starts the law gives for all the curves), then one run
        // on every curve from its optimum.
        var few = LawFitter.SubsetIndices(curves.Length, 6).Select(i => curves[i]).ToList();
        var first = LawFitter.Fit(law, few, new FitOptions { CurveSubset = 0, UseLawStartingPoints = false, Starts = law.StartingPoints(curves) });
        var all = LawFitter.Fit(law, curves, new FitOptions { CurveSubset = 0, UseLawStartingPoints = false, Starts = [first.Parameters] });
        Assert.Equal(all.Parameters, fit.Parameters);
        Assert.Equal(all.Objective, fit.Objective);
        Assert.Equal(first.Evaluations + all.Evaluations, fit.Evaluations);
        Assert.Equal(first.Iterations + all.Iterations, fit.Iterations);
        // And it is not the fit without the subset (the rule did something).
        var plain = LawFitter.Fit(law, curves, new FitOptions { CurveSubset = 0 });
        Assert.NotEqual(plain.Evaluations, fit.Evaluations);
    }

    [Fact]
    public void Below_either_threshold_the_fit_is_the_fit_without_it_bit_for_bit()
    {
        var law = new AnnealingLaw();
        foreach (var curves in new[] { Many(count: 29), Many(count: 30, points: 300) })   // 29 curves; 9,000 points
            StagedFits.SameFit(LawFitter.Fit(law, curves, new FitOptions { CurveSubset = 0 }), LawFitter.Fit(law, curves, new FitOptions { CurveSubset = 6 }));
    }

    [Fact]
    public void It_reaches_the_full_procedures_optimum_on_curves_from_known_parameters()
    {
        StagedFits.ReachesTheFullOptimum(new FitOptions { CurveSubset = 6 }, new FitOptions { CurveSubset = 0 });
    }
}
