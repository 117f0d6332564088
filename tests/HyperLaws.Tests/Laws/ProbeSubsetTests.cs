using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Tests.Fitting;
using Xunit;

namespace HyperLaws.Tests.Laws;

/// <summary>
/// The starts probed on a few curves, the best continued on all (<see cref="FitOptions.ProbeSubset"/>, issue 12, helper mpl100;
/// declared in docs/VALIDATION.md, "MPL: the starts probed on a few curves, the best continued on all"; an option, off): the procedure
/// exactly, its default and cache key, fits below the thresholds bit for bit, and the optimum reached on curves from known parameters.
/// </summary>
public sealed class ProbeSubsetTests
{
    [Fact]
    public void It_is_an_option_off_by_default_and_enters_the_cache_key_only_when_on()
    {
        var mpl = new MultiPowerLaw();
        var tissue = new AnnealingLaw();
        // Off for MPL too: its declared rule failed on the 30 distinct runs (docs/VALIDATION.md, the section's results).
        Assert.Equal(0, new FitOptions().EffectiveProbeSubset);
        Assert.Equal(FitOptions.DeclaredCurveSubset, new FitOptions { ProbeSubset = FitOptions.DeclaredCurveSubset }.EffectiveProbeSubset);
        var curves = SyntheticCurves.Tissue(3, 0.002, 1);
        Assert.NotEqual(FitCacheKey.Of(mpl, curves, new FitOptions()), FitCacheKey.Of(mpl, curves, new FitOptions { ProbeSubset = FitOptions.DeclaredCurveSubset }));
        // The default's keys are those of before the option existed.
        Assert.Equal(FitCacheKey.Of(mpl, curves, new FitOptions()), FitCacheKey.Of(mpl, curves, new FitOptions { ProbeSubset = 0 }));
        Assert.Equal(FitCacheKey.Of(tissue, curves, new FitOptions()), FitCacheKey.Of(tissue, curves, new FitOptions { ProbeSubset = 0 }));
    }

    [Fact]
    public void Above_the_thresholds_it_is_the_probes_on_the_few_then_the_best_on_all_by_hand()
    {
        var curves = StagedFits.Sweep();   // 30 distinct curves, 12,000 points
        var law = new AnnealingLaw();
        Assert.True(law.StartingPoints(curves).Count > 1);
        var fit = LawFitter.Fit(law, curves, new FitOptions { ProbeSubset = 6 });
        // By hand: every start (those the law gives for all the curves) probed for ProbeIterations on the six chosen curves, the best
        // probe not continued there; then one run on every curve from it, with the iterations the probe left.
        var defaults = new FitOptions();
        var few = LawFitter.SubsetIndices(curves.Length, 6).Select(i => curves[i]).ToList();
        var probed = LawFitter.Fit(law, few, new FitOptions { UseLawStartingPoints = false, Starts = law.StartingPoints(curves), MaxIterations = defaults.ProbeIterations });
        var all = LawFitter.Fit(law, curves, new FitOptions { UseLawStartingPoints = false, Starts = [probed.Parameters], MaxIterations = defaults.MaxIterations - defaults.ProbeIterations });
        Assert.Equal(all.Parameters, fit.Parameters);
        Assert.Equal(all.Objective, fit.Objective);
        Assert.Equal(probed.Evaluations + all.Evaluations, fit.Evaluations);
        Assert.Equal(probed.Iterations + all.Iterations, fit.Iterations);
        Assert.True(probed.Iterations <= defaults.ProbeIterations);
        // And it is not the fit without it (the rule did something).
        Assert.NotEqual(LawFitter.Fit(law, curves, new FitOptions { ProbeSubset = 0 }).Evaluations, fit.Evaluations);
    }

    [Fact]
    public void Below_either_threshold_or_with_one_start_the_fit_is_the_fit_without_it_bit_for_bit()
    {
        var law = new AnnealingLaw();
        foreach (var curves in new[] { StagedFits.Sweep(count: 29), StagedFits.Sweep(points: 300) })   // 29 curves; 9,000 points
            StagedFits.SameFit(LawFitter.Fit(law, curves, new FitOptions { ProbeSubset = 0 }), LawFitter.Fit(law, curves, new FitOptions { ProbeSubset = 6 }));
        // One start (a warm start): nothing to probe, so nothing on the few.
        var sweep = StagedFits.Sweep();
        var one = new FitOptions { UseLawStartingPoints = false, Starts = [law.StartingPoints(sweep)[0]] };
        StagedFits.SameFit(LawFitter.Fit(law, sweep, one with { ProbeSubset = 0 }), LawFitter.Fit(law, sweep, one with { ProbeSubset = 6 }));
    }

    [Fact]
    public void It_reaches_the_full_procedures_optimum_on_curves_from_known_parameters() =>
        StagedFits.ReachesTheFullOptimum(new FitOptions { ProbeSubset = 6 }, new FitOptions { ProbeSubset = 0 });
}
