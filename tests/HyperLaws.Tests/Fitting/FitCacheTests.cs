using System.Collections.Concurrent;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Planning;
using HyperLaws.Tests.Planning;
using Xunit;

namespace HyperLaws.Tests.Fitting;

/// <summary>The fit cache: a stored fit is served for the same curves, law and options only, and a plan made from stored fits is the plan made by fitting.</summary>
public sealed class FitCacheTests
{
    /// <summary>An in-memory <see cref="IFitCache"/>.</summary>
    private sealed class Memory : IFitCache
    {
        public ConcurrentDictionary<string, CachedFit> Entries { get; } = new();

        public CachedFit? TryGet(string key) => Entries.TryGetValue(key, out var f) ? f : null;

        public void Store(string key, CachedFit fit) => Entries[key] = fit;
    }

    private static FitTarget[] Curves() => SyntheticCurves.Tissue(3, 0.002, seed: 7);

    [Fact]
    public void AStoredFitIsServedForTheSameKeyAndEqualsTheFit()
    {
        var cache = new Memory();
        var law = new CachedLaw(new AnnealingLaw(), cache);
        var direct = LawFitter.Fit(new AnnealingLaw(), Curves());
        var first = LawFitter.Fit(law, Curves());
        var second = LawFitter.Fit(law, Curves());
        Assert.Equal(1, law.Hits);
        Assert.Equal(1, law.Misses);
        Assert.Single(cache.Entries);
        Assert.Equal(direct.Parameters, first.Parameters);
        Assert.Equal(direct.Parameters, second.Parameters);
        Assert.Equal(direct.Objective, second.Objective);
        Assert.Equal(direct.StopReason, second.StopReason);
        Assert.IsType<AnnealingLaw>(second.Law);
    }

    [Fact]
    public void TheKeyChangesWithEveryInputOfTheFitAndNotWithTheCurvesNames()
    {
        var curves = Curves();
        string key = FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions());
        Assert.Equal(key, FitCacheKey.Of(new AnnealingLaw(), [.. curves.Select(c => c with { Name = "renamed " + c.Name })], new FitOptions()));

        var loss = curves.Select((c, i) => i == 1 ? c with { Loss = [.. c.Loss.Select((y, j) => j == 5 ? BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(y) + 1) : y)] } : c).ToArray();
        var lr = curves.Select((c, i) => i == 2 ? c with { History = new ScheduleHistory([.. Enumerable.Range(1, c.History.Steps).Select(t => t == 3 ? c.History.Eta(t) * 1.0000001 : c.History.Eta(t))]) } : c).ToArray();
        var steps = curves.Select((c, i) => i == 0 ? c with { Steps = [.. c.Steps.Select((s, j) => j == 0 ? s + 1 : s)] } : c).ToArray();
        var size = curves.Select((c, i) => i == 0 ? c with { ModelSize = 1e8 } : c).ToArray();
        string[] others =
        [
            FitCacheKey.Of(new AnnealingLaw(), loss, new FitOptions()),
            FitCacheKey.Of(new AnnealingLaw(), lr, new FitOptions()),
            FitCacheKey.Of(new AnnealingLaw(), steps, new FitOptions()),
            FitCacheKey.Of(new AnnealingLaw(), size, new FitOptions()),
            FitCacheKey.Of(new AnnealingLaw(), curves[..2], new FitOptions()),
            FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions { HuberDelta = 2e-3 }),
            FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions { MaxPointsPerCurve = curves.Max(c => c.Steps.Length) - 1 }),
            FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions { VariableProjection = true }),
            FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions { Starts = [[2.9, 0.6, 0.45, 0.5]] }),
            FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions { UseLawStartingPoints = false, Starts = [[2.9, 0.6, 0.45, 0.5]] }),
            FitCacheKey.Of(new MultiPowerLaw(), curves, new FitOptions()),
            FitCacheKey.Of(new MultiPowerLaw(tolerance: 1e-6), curves, new FitOptions()),
            FitCacheKey.Of(new OptLaw(), curves, new FitOptions()),
            FitCacheKey.Of(new OptLaw(OptLaw.Grid(1e-4, 10, 3), []), curves, new FitOptions()),
        ];
        Assert.DoesNotContain(key, others);
        Assert.Equal(others.Length, others.Distinct().Count());
        Assert.Matches("^[0-9a-f]{64}$", key);
    }

    [Fact]
    public void APointBudgetNoCurveExceedsKeepsTheKeyOfNoBudgetAndOneACurveExceedsChangesIt()
    {
        // The plan's default budget (2,000) must hit the fits cached before it when its curves are within it (FitCacheKey hashes the budget as it acts).
        var curves = Curves();
        int longest = curves.Max(c => c.Steps.Length);
        string none = FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions());
        Assert.Equal(none, FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions { MaxPointsPerCurve = longest }));
        Assert.Equal(none, FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions { MaxPointsPerCurve = 2000 + longest }));
        string binned = FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions { MaxPointsPerCurve = longest - 1 });
        Assert.NotEqual(none, binned);
        Assert.NotEqual(binned, FitCacheKey.Of(new AnnealingLaw(), curves, new FitOptions { MaxPointsPerCurve = longest - 2 }));
    }

    [Fact]
    public void OptLawsDefaultCurveSubsetIsItsDeclaredSizeInTheKey()
    {
        // OptLaw reads CurveSubset null as FitOptions.DeclaredCurveSubset (its two-stage search), so null and 0 are different
        // fits with different keys, and null and the declared size the same fit with one key.
        var curves = Curves();
        var law = new OptLaw();
        Assert.Equal(FitOptions.DeclaredCurveSubset, new FitOptions().EffectiveCurveSubset(law));
        Assert.NotEqual(FitCacheKey.Of(law, curves, new FitOptions()), FitCacheKey.Of(law, curves, new FitOptions { CurveSubset = 0 }));
        Assert.Equal(FitCacheKey.Of(law, curves, new FitOptions()), FitCacheKey.Of(law, curves, new FitOptions { CurveSubset = FitOptions.DeclaredCurveSubset }));
    }

    [Fact]
    public void AnEntryOfTheWrongLengthIsAMissAndIsRefitted()
    {
        var cache = new Memory();
        var law = new CachedLaw(new AnnealingLaw(), cache);
        string key = FitCacheKey.Of(new AnnealingLaw(), Curves(), new FitOptions());
        cache.Store(key, new CachedFit([1, 2], 0, 0, 0, true, "foreign"));
        var fit = LawFitter.Fit(law, Curves());
        Assert.Equal(1, law.Misses);
        Assert.Equal(LawFitter.Fit(new AnnealingLaw(), Curves()).Parameters, fit.Parameters);
        Assert.Equal(4, cache.Entries[key].Parameters.Length);
    }

    [Fact]
    public void APlanFromStoredFitsIsThePlanFromFitting()
    {
        var request = new PlanRequest(SyntheticRuns.N, 4e8, TrainingOptimizer.AdamW);
        var cache = new Memory();
        var options = new PlanOptions { Laws = ["tissue"] };
        var fresh = Planner.Make(request, SyntheticRuns.Plannable(), options);
        var filling = Planner.Make(request, SyntheticRuns.Plannable(), options with { FitCache = cache });
        int entries = cache.Entries.Count;
        var served = Planner.Make(request, SyntheticRuns.Plannable(), options with { FitCache = cache });
        Assert.True(entries >= 2, $"{entries} fits stored (held-out check, final fit, calibration)");
        Assert.Equal(entries, cache.Entries.Count);   // nothing new: every fit came from the cache
        foreach (var plan in new[] { filling, served })
        {
            Assert.Equal(fresh.Best.Schedule.ToSpec(), plan.Best.Schedule.ToSpec());
            Assert.Equal(fresh.Best.PredictedLoss, plan.Best.PredictedLoss);
            Assert.Equal(fresh.Best.Lower, plan.Best.Lower);
            Assert.Equal(fresh.Best.Upper, plan.Best.Upper);
            Assert.Equal(fresh.Fit!.Parameters, plan.Fit!.Parameters);
            Assert.Equal(fresh.RunnerUps.Select(r => (r.Schedule.ToSpec(), r.PredictedLoss)), plan.RunnerUps.Select(r => (r.Schedule.ToSpec(), r.PredictedLoss)));
        }
    }

    [Fact]
    public void TheJointKeyChangesWithTheFixedLrAxisAndTheCurves()
    {
        var curves = Curves().Select(JointCurve.Of).ToArray();
        string key = FitCacheKey.Of(curves, new JointFitOptions());
        Assert.Equal(key, FitCacheKey.Of(curves, new JointFitOptions()));
        string[] others =
        [
            FitCacheKey.Of(curves, new JointFitOptions { LrAxis = new JointLrAxis(10, 0.5, 1e-3, 20) }),
            FitCacheKey.Of(curves, new JointFitOptions { LrAxis = new JointLrAxis(10, 0.5000001, 1e-3, 20) }),
            FitCacheKey.Of(curves, new JointFitOptions { Noise = JointNoise.Spectrum }),
            FitCacheKey.Of(curves[..2], new JointFitOptions()),
            FitCacheKey.Of([.. curves.Select((c, i) => i == 0 ? c with { ModelSize = 1e8 } : c)], new JointFitOptions()),
            FitCacheKey.Of(new JointLaw(), Curves(), new FitOptions()),
        ];
        Assert.DoesNotContain(key, others);
        Assert.Equal(others.Length, others.Distinct().Count());
    }

    [Fact]
    public void APlanWithTheLrPriorFromStoredFitsIsThePlanFromFitting()
    {
        // The joint law's two fits with the LR-axis prior (JointPriorFit) go through the cache too.
        var runs = LrAxisPlanTests.Mpl25();
        var request = new PlanRequest(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW);
        var cache = new Memory();
        var options = new PlanOptions { Laws = ["tissue"], Calibrate = false, LrPrior = LrAxisPlanTests.Shipped, FitCache = cache };
        var filling = Planner.Make(request, runs, options);
        int entries = cache.Entries.Count;
        var served = Planner.Make(request, runs, options);
        Assert.True(entries >= 4, $"{entries} fits stored (tissue's held-out check and final fit, the joint law's two prior fits)");
        Assert.Equal(entries, cache.Entries.Count);
        Assert.Equal(filling.Best.Schedule.ToSpec(), served.Best.Schedule.ToSpec());
        Assert.Equal(filling.Best.PredictedLoss, served.Best.PredictedLoss);
        Assert.Equal(filling.Decision(PlanAxis.PeakLr)!.Chosen, served.Decision(PlanAxis.PeakLr)!.Chosen);
        Assert.Equal(filling.Reasons.Single(r => r.Kind == ReasonKind.LrAxisPrior).Quantities, served.Reasons.Single(r => r.Kind == ReasonKind.LrAxisPrior).Quantities);
    }
}
