using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// The coarse first stage with its budget counted over all distinct curves' points (<see cref="FitOptions.CoarseTotalPoints"/>,
/// issue 12; declared in docs/VALIDATION.md, "MPL: the coarse stage's budget counted over all curves"): k = ceil(distinct points /
/// budget) where larger than <see cref="FitOptions.CoarsePoints"/>'s, the declared two stages exactly, equal curves counted once, the
/// thresholds (10,000 points in all; k &gt;= 2) bit for bit, the defaults and the optimum it reaches on many generated curves.
/// </summary>
public sealed class CoarseTotalPointsTests
{
    private static FitTarget[] Many(int count = 30, int points = 400, double sigma = 0.002) => StagedFits.Sweep(count, points, sigma);

    /// <summary><paramref name="copies"/> copies of each of <paramref name="distinct"/> sweep curves (equal in all the law reads; names differ).</summary>
    private static FitTarget[] Repeated(int distinct, int copies, int points = 400) =>
        [.. Many(distinct, points).SelectMany(c => Enumerable.Range(0, copies).Select(i => c with { Name = $"{c.Name}-{i}" }))];

    [Fact]
    public void Its_default_and_k()
    {
        Assert.Equal(FitOptions.CoarseMinPoints, FitOptions.DeclaredCoarseTotalPoints);
        // Off by default for every law (its declared rule failed), on where set.
        Assert.Equal(0, new FitOptions().EffectiveCoarseTotalPoints);
        Assert.Equal(FitOptions.DeclaredCoarseTotalPoints, new FitOptions { CoarseTotalPoints = FitOptions.DeclaredCoarseTotalPoints }.EffectiveCoarseTotalPoints);
        Assert.Equal(0.0, new FitOptions().EffectiveCoarseRidgeTolerance);
        Assert.Equal(0, new FitOptions { CoarseTotalPoints = 0 }.EffectiveCoarseTotalPoints);
        Assert.Equal(0, new FitOptions { CoarseTotalPoints = -3 }.EffectiveCoarseTotalPoints);
        // k = ceil(points / budget): the 100-distinct sweep's 50,000 points give 5, the 30-distinct's 15,000 give 2; 1 when off.
        var declared = new FitOptions { CoarseTotalPoints = FitOptions.DeclaredCoarseTotalPoints };
        Assert.Equal(5, declared.CoarseTotalEvery(50_000));
        Assert.Equal(2, declared.CoarseTotalEvery(15_000));
        Assert.Equal(1, declared.CoarseTotalEvery(10_000));
        Assert.Equal(1, new FitOptions().CoarseTotalEvery(50_000));
        Assert.Equal(3, new FitOptions { CoarseTotalPoints = 4_000 }.CoarseTotalEvery(12_000));
        Assert.Equal(1 << 30, new FitOptions { CoarseTotalPoints = 2 }.CoarseTotalEvery(int.MaxValue));   // no overflow in the ceiling
    }

    [Fact]
    public void It_is_in_the_cache_key_only_where_on()
    {
        var curves = SyntheticCurves.Tissue(3, 0.002, 1);
        Assert.Equal(FitCacheKey.Of(new MultiPowerLaw(), curves, new FitOptions()), FitCacheKey.Of(new MultiPowerLaw(), curves, new FitOptions { CoarseTotalPoints = 0 }));
        Assert.NotEqual(FitCacheKey.Of(new MultiPowerLaw(), curves, new FitOptions()), FitCacheKey.Of(new MultiPowerLaw(), curves, new FitOptions { CoarseTotalPoints = FitOptions.DeclaredCoarseTotalPoints }));
        Assert.NotEqual(FitCacheKey.Of(new MultiPowerLaw(), curves, new FitOptions { CoarseTotalPoints = 5_000 }), FitCacheKey.Of(new MultiPowerLaw(), curves, new FitOptions { CoarseTotalPoints = 5_000, CoarseRidgeTolerance = 0.01 }));
        Assert.NotEqual(FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions { CoarseTotalPoints = 5_000 }), FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions { CoarseTotalPoints = 6_000 }));
        Assert.Equal(FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions()), FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions { CoarseTotalPoints = 0 }));
    }

    /// <summary>The declared two stages by hand: the whole procedure on every k-th point of every curve, then one run on all points.</summary>
    /// <summary>With <paramref name="ridge"/>, the first stage's flat-ridge stop (<see cref="FitOptions.CoarseRidgeTolerance"/>), the run on all points without it.</summary>
    private static void IsTheTwoStageFit(IFittableLaw law, FitTarget[] curves, FitOptions options, int every, double ridge = 0)
    {
        var fit = LawFitter.Fit(law, curves, options);
        var off = new FitOptions { CoarsePoints = 0, CoarseTotalPoints = 0 };
        var first = LawFitter.Fit(law, LawFitter.Thinned(curves, every), off with { UseLawStartingPoints = false, Starts = law.StartingPoints(curves), RidgeTolerance = ridge });
        var all = LawFitter.Fit(law, curves, off with { UseLawStartingPoints = false, Starts = [first.Parameters] });
        Assert.Equal(all.Parameters, fit.Parameters);
        Assert.Equal(all.Objective, fit.Objective);
        Assert.Equal(first.Evaluations + all.Evaluations, fit.Evaluations);
        Assert.Equal(first.Iterations + all.Iterations, fit.Iterations);
        // Not vacuous: the one-stage fit takes another path.
        Assert.NotEqual(LawFitter.Fit(law, curves, off).Evaluations, fit.Evaluations);
    }

    [Fact]
    public void Above_the_threshold_it_is_the_declared_two_stage_fit()
    {
        // 30 curves of 400 points (12,000 points, each within CoarsePoints' budget): k = ceil(12,000 / 4,000) = 3.
        IsTheTwoStageFit(new AnnealingLaw(), Many(), new FitOptions { CoarseTotalPoints = 4_000 }, every: 3);
        // The larger k wins: CoarsePoints = 100 gives ceil(400 / 100) = 4 against 3 here.
        IsTheTwoStageFit(new AnnealingLaw(), Many(), new FitOptions { CoarseTotalPoints = 4_000, CoarsePoints = 100 }, every: 4);
        // The first stage's flat-ridge stop (the amendment's option): in the first stage only, and only where the count over all
        // curves set k (with CoarsePoints' larger k above, none).
        IsTheTwoStageFit(new AnnealingLaw(), Many(), new FitOptions { CoarseTotalPoints = 4_000, CoarseRidgeTolerance = 0.5 }, every: 3, ridge: 0.5);
        IsTheTwoStageFit(new AnnealingLaw(), Many(), new FitOptions { CoarseTotalPoints = 4_000, CoarsePoints = 100, CoarseRidgeTolerance = 0.5 }, every: 4);
        Assert.NotEqual(LawFitter.Fit(new AnnealingLaw(), Many(), new FitOptions { CoarseTotalPoints = 4_000 }).Evaluations,
            LawFitter.Fit(new AnnealingLaw(), Many(), new FitOptions { CoarseTotalPoints = 4_000, CoarseRidgeTolerance = 0.5 }).Evaluations);
    }

    [Fact]
    public void Equal_curves_are_counted_once()
    {
        // 15 distinct curves, each twice: 12,000 points in all, 6,000 distinct, so k = ceil(6,000 / 4,000) = 2 (not 3).
        IsTheTwoStageFit(new AnnealingLaw(), Repeated(15, 2), new FitOptions { CoarseTotalPoints = 4_000 }, every: 2);
    }

    [Fact]
    public void Below_the_threshold_the_fit_is_the_fit_without_it_bit_for_bit()
    {
        var law = new AnnealingLaw();
        // 9,000 points in all (under 10,000) with k = 9; 12,000 points within the budget (k = 1); 10 distinct curves x 3 (12,000
        // points, 4,000 distinct: k = 1 by the distinct count).
        foreach (var (curves, budget) in new[] { (Many(count: 30, points: 300), 1_000), (Many(), 12_000), (Repeated(10, 3), 4_000) })
            StagedFits.SameFit(LawFitter.Fit(law, curves, new FitOptions { CoarseTotalPoints = 0 }), LawFitter.Fit(law, curves, new FitOptions { CoarseTotalPoints = budget }));
    }

    [Fact]
    public void It_reaches_the_full_procedures_optimum_on_many_curves_from_known_parameters()
    {
        // k = ceil(12,000 / 2,000) = 6: about 67 points a curve in the first stage.
        StagedFits.ReachesTheFullOptimum(new FitOptions { CoarseTotalPoints = 2_000 }, new FitOptions { CoarseTotalPoints = 0 });
    }
}
