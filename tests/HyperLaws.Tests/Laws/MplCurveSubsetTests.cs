using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// MPL's fit of many curves searched on a few first, then polished on all (issue 12, helper mpl100c; declared in docs/VALIDATION.md,
/// "MPL: the search on a few curves, then a polish on all"): the stages exactly (the few drawn from the distinct curves, optionally
/// thinned; the run on all with its own tolerance), the defaults (MPL only), the cache key, fits below the thresholds bit for bit,
/// and the optimum reached on curves from known parameters.
/// </summary>
public sealed class MplCurveSubsetTests
{
    [Fact]
    public void Mpls_stages_are_an_option_and_enter_the_cache_key()
    {
        var mpl = new MultiPowerLaw();
        var defaults = new FitOptions();
        // Off by default (the 124M grid's plan took 5.1x the CPU with them: docs/VALIDATION.md, the mpl100c section's check after the review).
        Assert.Equal(0, defaults.EffectiveCurveSubset(mpl));
        var declared = new FitOptions { CurveSubset = FitOptions.DeclaredCurveSubset, SubsetEvery = 1, PolishTolerance = FitOptions.DeclaredMplPolishTolerance };
        Assert.Equal(FitOptions.DeclaredCurveSubset, declared.EffectiveCurveSubset(mpl));
        Assert.Equal(1, defaults.EffectiveSubsetEvery);
        Assert.Equal(FitOptions.DeclaredMplPolishTolerance, defaults.EffectivePolishTolerance(mpl));
        // The polish keeps a caller's looser tolerance; a tighter one stays at the declared 1e-8; an explicit PolishTolerance wins.
        Assert.Equal(1e-6, new FitOptions { RelativeTolerance = 1e-6 }.EffectivePolishTolerance(mpl));
        Assert.Equal(FitOptions.DeclaredMplPolishTolerance, new FitOptions { RelativeTolerance = 1e-12 }.EffectivePolishTolerance(mpl));
        Assert.Equal(1e-9, new FitOptions { RelativeTolerance = 1e-6, PolishTolerance = 1e-9 }.EffectivePolishTolerance(mpl));
        // Every other Levenberg-Marquardt law keeps the one-stage fit.
        var tissue = new AnnealingLaw();
        Assert.Equal(0, defaults.EffectiveCurveSubset(tissue));
        Assert.Equal(defaults.RelativeTolerance, defaults.EffectivePolishTolerance(tissue));
        // The key: the default equals the one-stage fit's (CurveSubset = 0), and differs from the declared stages given explicitly.
        var curves = SyntheticCurves.Tissue(3, 0.002, 1);
        Assert.NotEqual(FitCacheKey.Of(mpl, curves, defaults), FitCacheKey.Of(mpl, curves, declared));
        Assert.Equal(FitCacheKey.Of(mpl, curves, defaults), FitCacheKey.Of(mpl, curves, new FitOptions { CurveSubset = 0 }));
        // Other laws' keys are as before the option existed.
        Assert.Equal(FitCacheKey.Of(tissue, curves, defaults), FitCacheKey.Of(tissue, curves, new FitOptions { CurveSubset = 0 }));
    }

    [Fact]
    public void Above_the_thresholds_it_is_the_declared_stages_done_by_hand()
    {
        var curves = StagedFits.Sweep();
        var law = new AnnealingLaw();
        var options = new FitOptions { CurveSubset = 6, SubsetEvery = 4, PolishTolerance = 1e-8 };
        var fit = LawFitter.Fit(law, curves, options);
        // By hand: the whole procedure on the six chosen curves thinned to every 4th point (from the starts the law gives for all
        // the curves), then one run on every curve and every point from its optimum, stopped at a relative decrease below 1e-8.
        var few = LawFitter.Thinned([.. LawFitter.SubsetIndices(curves.Length, 6).Select(i => curves[i])], 4);
        var first = LawFitter.Fit(law, few, new FitOptions { CurveSubset = 0, UseLawStartingPoints = false, Starts = law.StartingPoints(curves) });
        var all = LawFitter.Fit(law, curves, new FitOptions { CurveSubset = 0, UseLawStartingPoints = false, Starts = [first.Parameters], RelativeTolerance = 1e-8 });
        Assert.Equal(all.Parameters, fit.Parameters);
        Assert.Equal(all.Objective, fit.Objective);
        Assert.Equal(first.Evaluations + all.Evaluations, fit.Evaluations);
        Assert.Equal(first.Iterations + all.Iterations, fit.Iterations);
        Assert.True(few.All(c => c.Steps.Length == 100), "every chosen curve thinned from 400 to 100 points");
    }

    [Fact]
    public void Mpls_declared_stages_above_the_thresholds_are_the_stages_done_by_hand()
    {
        // 30 distinct curves of 334 points (10,020): MPL's declared subset (the polish not given) is the declared rule: the
        // whole procedure on 10 of them, every point, then one run on every curve from its optimum, stopped at a relative decrease
        // below 1e-8 (every run capped at 4 iterations, by hand too, to keep the test fast).
        var curves = StagedFits.Sweep(points: 334);
        var law = new MultiPowerLaw();
        var capped = new FitOptions { MaxIterations = 4 };
        var fit = LawFitter.Fit(law, curves, capped with { CurveSubset = FitOptions.DeclaredCurveSubset });
        var few = LawFitter.SubsetIndices(curves.Length, FitOptions.DeclaredCurveSubset).Select(i => curves[i]).ToList();
        var first = LawFitter.Fit(law, few, capped with { CurveSubset = 0, UseLawStartingPoints = false, Starts = law.StartingPoints(curves) });
        Assert.True(first.HasFiniteParameters);
        var all = LawFitter.Fit(law, curves, capped with { CurveSubset = 0, UseLawStartingPoints = false, Starts = [first.Parameters], RelativeTolerance = 1e-8 });
        Assert.Equal(all.Parameters, fit.Parameters);
        Assert.Equal(all.Objective, fit.Objective);
        Assert.Equal(first.Evaluations + all.Evaluations, fit.Evaluations);
        Assert.Equal(first.Iterations + all.Iterations, fit.Iterations);
    }

    [Fact]
    public void The_thresholds_are_30_distinct_curves_and_10000_points()
    {
        var law = new AnnealingLaw();
        var options = new FitOptions { CurveSubset = 6 };
        // curves distinct curves, 333 points each but the last, which has last points.
        static FitTarget[] Curves(int curves, int last)
        {
            var sweep = StagedFits.Sweep(count: curves, points: 333);
            sweep[^1] = StagedFits.Sweep(count: curves, points: last)[^1];
            return sweep;
        }
        // 30 curves and 9,999 points (29 x 333 + 342): the one-stage fit bit for bit.
        var fewPoints = Curves(30, 342);
        Assert.Equal(9_999, fewPoints.Sum(c => c.Steps.Length));
        StagedFits.SameFit(LawFitter.Fit(law, fewPoints, options with { CurveSubset = 0 }), LawFitter.Fit(law, fewPoints, options));
        // 29 distinct curves and 10,000 points or more (28 x 333 + 1,000): the one-stage fit bit for bit.
        var fewCurves = Curves(29, 1_000);
        Assert.True(fewCurves.Sum(c => c.Steps.Length) >= 10_000);
        StagedFits.SameFit(LawFitter.Fit(law, fewCurves, options with { CurveSubset = 0 }), LawFitter.Fit(law, fewCurves, options));
        // 30 curves and 10,000 points exactly (29 x 333 + 343): the stages (the first on 6 curves, so more evaluations than one stage's).
        var at = Curves(30, 343);
        Assert.Equal(10_000, at.Sum(c => c.Steps.Length));
        var staged = LawFitter.Fit(law, at, options);
        var few = LawFitter.SubsetIndices(30, 6).Select(i => at[i]).ToList();
        var first = LawFitter.Fit(law, few, new FitOptions { CurveSubset = 0, UseLawStartingPoints = false, Starts = law.StartingPoints(at) });
        Assert.Equal(first.Evaluations + LawFitter.Fit(law, at, new FitOptions { CurveSubset = 0, UseLawStartingPoints = false, Starts = [first.Parameters] }).Evaluations,
            staged.Evaluations);
    }

    /// <summary><paramref name="schedules"/> distinct curves, each run <paramref name="copies"/> times (the copies differ in their losses only).</summary>
    private static FitTarget[] Repeated(int schedules, int copies, int points)
    {
        var distinct = StagedFits.Sweep(count: schedules, points: points);
        return [.. Enumerable.Range(0, schedules * copies).Select(i => distinct[i % schedules] with { Loss = [.. distinct[i % schedules].Loss.Select(v => v * (1 + 1e-4 * (i / schedules)))] })];
    }

    [Fact]
    public void The_curves_are_counted_and_the_few_drawn_among_the_distinct_curves()
    {
        var law = new AnnealingLaw();
        // 30 schedules, each run twice: 60 curves, 30 distinct; the first stage sees 6 distinct schedules.
        var curves = Repeated(30, 2, 200);
        var fit = LawFitter.Fit(law, curves, new FitOptions { CurveSubset = 6 });
        var few = LawFitter.SubsetIndices(30, 6).Select(i => curves[i]).ToList();
        var first = LawFitter.Fit(law, few, new FitOptions { CurveSubset = 0, UseLawStartingPoints = false, Starts = law.StartingPoints(curves) });
        var all = LawFitter.Fit(law, curves, new FitOptions { CurveSubset = 0, UseLawStartingPoints = false, Starts = [first.Parameters] });
        Assert.Equal(all.Parameters, fit.Parameters);
        Assert.Equal(first.Evaluations + all.Evaluations, fit.Evaluations);
        // 12 schedules, each run three times: 36 curves but 12 distinct, below the 30: the one-stage fit bit for bit.
        var repeated = Repeated(12, 3, 300);
        StagedFits.SameFit(LawFitter.Fit(law, repeated, new FitOptions { CurveSubset = 0 }), LawFitter.Fit(law, repeated, new FitOptions { CurveSubset = 6 }));
    }

    [Fact]
    public void Mpl_fits_below_the_thresholds_are_the_one_stage_fits_bit_for_bit()
    {
        // Protocol 1's 25M curves (3 curves; 20 points each keep it fast): the declared stages asked for are the fit without them.
        var published = SeparableFitterTests.Protocol1("25");
        var options = new FitOptions { MaxPointsPerCurve = 20, CurveSubset = FitOptions.DeclaredCurveSubset };
        FitAssert.Same(LawFitter.Fit(new MultiPowerLaw(), published, options with { CurveSubset = 0 }), LawFitter.Fit(new MultiPowerLaw(), published, options));
    }

    [Fact]
    public void It_reaches_the_full_procedures_optimum_on_curves_from_known_parameters() =>
        StagedFits.ReachesTheFullOptimum(new FitOptions { CurveSubset = 6, SubsetEvery = 4, PolishTolerance = 1e-8 }, new FitOptions { CurveSubset = 0 });
}
