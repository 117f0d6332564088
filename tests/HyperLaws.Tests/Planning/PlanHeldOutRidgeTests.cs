using HyperLaws.Laws;
using HyperLaws.Planning;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// The flat-ridge stop of the planner's held-out check (<see cref="PlanOptions.HeldOutRidgeTolerance"/>; docs/VALIDATION.md "Plan cold
/// path"): it reaches the check's fits and nothing else (the final fit is made without it).
/// </summary>
public sealed class PlanHeldOutRidgeTests
{
    [Fact]
    public void The_ridge_stop_moves_the_held_out_check_only_never_the_final_fit()
    {
        var runs = LrAxisPlanTests.Mpl25();
        var request = new PlanRequest(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW);
        var off = new PlanOptions { Laws = ["tissue"], HeldOutRidgeTolerance = 0, Calibrate = false };
        var without = Planner.Make(request, runs, off);
        // A tolerance no walk can meet stops every start of the check's fit after its first window of accepted iterations: the
        // check's fit (and so its held-out predictions) must differ, while the final fit on all the runs stays bit for bit.
        var early = Planner.Make(request, runs, off with { HeldOutRidgeTolerance = 1e6 });
        Assert.Single(without.Accuracy);
        Assert.NotEqual(without.Accuracy[0].Curves.SelectMany(c => c.Predicted), early.Accuracy[0].Curves.SelectMany(c => c.Predicted));
        Assert.Equal(without.Fit!.Parameters, early.Fit!.Parameters);
        Assert.Equal(without.Fit.Law.Name, early.Fit.Law.Name);
    }

    [Fact]
    public void OptLaw_ignores_the_held_out_ridge_stop()
    {
        // OptLaw fits by its own procedure (Nelder-Mead by variable projection): its held-out check is the same with or without the stop.
        var runs = LrAxisPlanTests.Mpl25();
        var request = new PlanRequest(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW);
        var off = new PlanOptions { Laws = ["optlaw"], HeldOutRidgeTolerance = 0, Calibrate = false };
        var without = Planner.Make(request, runs, off);
        var with = Planner.Make(request, runs, off with { HeldOutRidgeTolerance = FitOptions.DeclaredRidgeTolerance });
        Assert.Equal(without.Accuracy[0].Curves.SelectMany(c => c.Predicted), with.Accuracy[0].Curves.SelectMany(c => c.Predicted));
        Assert.Equal(without.Best.PredictedLoss, with.Best.PredictedLoss);
    }
}
