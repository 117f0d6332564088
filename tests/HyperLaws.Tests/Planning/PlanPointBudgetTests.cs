using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Planning;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// The plan's per-curve point budget (<see cref="PlanOptions.MaxPointsPerCurve"/>, default 2,000; docs/VALIDATION.md "Plans whose law
/// horizon does not fit in memory, and the PolyPythias plan's time"), on the shipped 25M MPL curves (at most a few hundred points each).
/// </summary>
public sealed class PlanPointBudgetTests
{
    private static readonly PlanRequest Request = new(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW);
    private static readonly PlanOptions Tissue = new() { Laws = ["tissue"], Calibrate = false };

    [Fact]
    public void Curves_within_the_budget_give_the_plan_fitted_on_every_point_bit_for_bit()
    {
        var runs = LrAxisPlanTests.Mpl25();
        Assert.Equal(2000, new PlanOptions().MaxPointsPerCurve);
        Assert.All(Planner.Targets(runs), t => Assert.InRange(t.Steps.Length, 21, 2000));
        // Planner.Make(Request, runs, Tissue), made once for this test and LrAxisPlanTests (the same request, curves and options).
        var budgeted = LrAxisPlanTests.TissueWithoutPrior.Value;
        Assert.Equal(Request, budgeted.Request);
        var every = Planner.Make(Request, runs, Tissue with { MaxPointsPerCurve = int.MaxValue });
        Assert.Equal(every.Fit!.Parameters, budgeted.Fit!.Parameters);
        Assert.Equal(every.Accuracy.Select(a => (a.PredE, a.FinalError)), budgeted.Accuracy.Select(a => (a.PredE, a.FinalError)));
        Assert.Equal(every.Best.Schedule.ToSpec(), budgeted.Best.Schedule.ToSpec());
        Assert.Equal(every.Best.PredictedLoss, budgeted.Best.PredictedLoss);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_budget_below_two_points_is_refused_naming_it_before_any_fit(int budget)
    {
        var progress = new List<string>();
        var e = Assert.Throws<ArgumentException>(() => Planner.Make(Request, LrAxisPlanTests.Mpl25(), Tissue with { MaxPointsPerCurve = budget, Progress = progress.Add }));
        Assert.Contains("PlanOptions.MaxPointsPerCurve must be at least 2", e.Message, StringComparison.Ordinal);
        Assert.Empty(progress);
    }

    [Fact]
    public void A_curve_over_the_budget_is_fitted_on_its_bin_means()
    {
        var runs = LrAxisPlanTests.Mpl25();
        const int budget = 20;
        var plan = Planner.Make(Request, runs, Tissue with { MaxPointsPerCurve = budget });
        // The plan's final fit: the law on every run (one size, none left out), each curve as 20 bin means (FitOptions.MaxPointsPerCurve).
        var binned = IdentifiedFitter.Fit(LawCatalog.Create("tissue"), Planner.Targets(runs), new FitOptions { MaxPointsPerCurve = budget }).Fit;
        var every = IdentifiedFitter.Fit(LawCatalog.Create("tissue"), Planner.Targets(runs)).Fit;
        Assert.Equal(binned.Parameters, plan.Fit!.Parameters);
        Assert.NotEqual(every.Parameters, plan.Fit.Parameters);
    }
}
