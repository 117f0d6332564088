using CsCheck;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// A fit of many points started from a fit on thinned points (<see cref="FitOptions.CoarsePoints"/>, issue 12; declared in
/// docs/VALIDATION.md, "MPL: a coarse fit on thinned points, then all points"): the thinning, the declared two-stage procedure
/// exactly, its thresholds (10,000 points in all; a curve longer than the budget), its defaults (on for MPL only) and the optimum it
/// reaches on curves drawn from known parameters.
/// </summary>
public sealed class CoarsePointsTests
{
    [Fact]
    public void Thinning_keeps_every_kth_point_counted_back_from_the_last() =>
        ForAll(Gen.Select(Gen.Int[1, 400], Gen.Int[1, 40], Gen.Int[0, 3]), t =>
        {
            var (n, every, extra) = t;
            var steps = Enumerable.Range(1, n).Select(i => 7 * i + extra).ToArray();
            var curve = new FitTarget("c", new ScheduleHistory(SyntheticCurves.Wsd(8 * n + 10, 0.2)), steps, [.. steps.Select(s => 3.0 + 1.0 / s)]);
            var thin = LawFitter.Thinned([curve, curve with { Name = "d" }], every);
            Assert.Equal(2, thin.Count);
            var kept = thin[0];
            Assert.Equal((n + every - 1) / every, kept.Steps.Length);
            Assert.Equal(steps[^1], kept.Steps[^1]);
            for (int j = 0; j < kept.Steps.Length; j++)
            {
                int i = n - 1 - (kept.Steps.Length - 1 - j) * every;
                Assert.Equal(steps[i], kept.Steps[j]);
                Assert.Equal(curve.Loss[i], kept.Loss[j]);
            }
            Assert.Same(curve.History, kept.History);
            Assert.Equal("d", thin[1].Name);
        }, iterations: 300);

    [Fact]
    public void On_for_MPL_only_by_default_and_in_the_cache_key()
    {
        Assert.Equal(FitOptions.DeclaredCoarsePoints, new FitOptions().EffectiveCoarsePoints(new MultiPowerLaw()));
        Assert.Equal(FitOptions.DeclaredCoarsePoints, new FitOptions().EffectiveCoarsePoints(LawCatalog.Create("mpl-g1")));
        Assert.Equal(0, new FitOptions().EffectiveCoarsePoints(new AnnealingLaw()));
        Assert.Equal(0, new FitOptions { CoarsePoints = 0 }.EffectiveCoarsePoints(new MultiPowerLaw()));
        // k = ceil(the longest curve's points / the budget); 1 when off.
        var sweep = Many(count: 3, points: 400);
        Assert.Equal(6, new FitOptions { CoarsePoints = 67 }.CoarseEvery(sweep, new AnnealingLaw()));
        Assert.Equal(1, new FitOptions { CoarsePoints = 400 }.CoarseEvery(sweep, new MultiPowerLaw()));
        Assert.Equal(1, new FitOptions().CoarseEvery(sweep, new AnnealingLaw()));
        var curves = SyntheticCurves.Tissue(3, 0.002, 1);
        Assert.NotEqual(FitCacheKey.Of(new MultiPowerLaw(), curves, new FitOptions()), FitCacheKey.Of(new MultiPowerLaw(), curves, new FitOptions { CoarsePoints = 0 }));
        Assert.Equal(FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions()), FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions { CoarsePoints = 0 }));
    }

    private static FitTarget[] Many(int count = 30, int points = 400, double sigma = 0.002) => StagedFits.Sweep(count, points, sigma);

    [Fact]
    public void Above_the_threshold_it_is_the_declared_two_stage_fit()
    {
        var curves = Many();
        var law = new AnnealingLaw();
        var fit = LawFitter.Fit(law, curves, new FitOptions { CoarsePoints = 67 });
        // By hand: the whole procedure on every 6th point (ceil(400 / 67), the longest curve's points over the budget) of every
        // curve, from the starts the law gives for all the points, then one run on every point from its optimum.
        var thin = LawFitter.Thinned(curves, 6);
        Assert.Equal(30 * 67, thin.Sum(t => t.Steps.Length));   // ceil(400 / 6) points a curve
        var first = LawFitter.Fit(law, thin, new FitOptions { CoarsePoints = 0, UseLawStartingPoints = false, Starts = law.StartingPoints(curves) });
        var all = LawFitter.Fit(law, curves, new FitOptions { CoarsePoints = 0, UseLawStartingPoints = false, Starts = [first.Parameters] });
        Assert.Equal(all.Parameters, fit.Parameters);
        Assert.Equal(all.Objective, fit.Objective);
        Assert.Equal(first.Evaluations + all.Evaluations, fit.Evaluations);
        Assert.Equal(first.Iterations + all.Iterations, fit.Iterations);
    }

    [Fact]
    public void Below_the_threshold_or_with_short_curves_the_fit_is_the_fit_without_it_bit_for_bit()
    {
        var law = new AnnealingLaw();
        // 9,000 points in all (below 10,000); or every curve within the budget (k = 1), as the 100-run sweep's 500-point curves.
        foreach (var (curves, budget) in new[] { (Many(count: 30, points: 300), 50), (Many(), 400) })
            StagedFits.SameFit(LawFitter.Fit(law, curves, new FitOptions { CoarsePoints = 0 }), LawFitter.Fit(law, curves, new FitOptions { CoarsePoints = budget }));
    }

    [Fact]
    public void It_reaches_the_full_procedures_optimum_on_curves_from_known_parameters()
    {
        StagedFits.ReachesTheFullOptimum(new FitOptions { CoarsePoints = 67 }, new FitOptions { CoarsePoints = 0 });
    }
}
