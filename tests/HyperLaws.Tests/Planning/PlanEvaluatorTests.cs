using HyperLaws.Planning;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// The planner's evaluator predicts each candidate at its loss-curve steps in one pass and keeps the curve; the report's curves of
/// the best plan and the runner-ups come from it (issue 12). The kept curves must be the law's curves predicted anew and each final
/// loss the law's prediction at the last step alone, bit for bit; the memoized guard check must be the guard's own verdict.
/// </summary>
public sealed class PlanEvaluatorTests
{
    private static readonly Lazy<TrainingPlan> Plan = new(() => Planner.Make(new PlanRequest(25e6, 1e10, TrainingOptimizer.AdamW),
        [.. LrAxisPlanTests.Mpl25().Where(r => r.Steps <= 24000)], new PlanOptions { Laws = ["tissue"], Calibrate = false, LrPrior = LrAxisPlanTests.Shipped }));

    /// <summary>A fresh law with the plan law's parts: nothing of the search's evaluations reused.</summary>
    private static LrAxisPlanLaw Fresh(TrainingPlan plan) => LrAxisPlanLawReuseTests.Fresh(Assert.IsType<LrAxisPlanLaw>(plan.Model));

    [Fact]
    public void The_reports_curves_are_the_laws_curves_predicted_anew_bit_for_bit()
    {
        var plan = Plan.Value;
        var evaluator = plan.Evaluator!;
        var data = PlanFigureData.Compute(plan);
        var schedules = new[] { plan.Best }.Concat(plan.RunnerUps).Select(s => s.Schedule).ToList();
        Assert.Equal(schedules.Count, data.Curves.Count);
        foreach (var (s, curve) in schedules.Zip(data.Curves))
        {
            Assert.NotNull(evaluator.Curve(s));   // reused, not predicted again
            var steps = PlanEvaluator.CurveSteps(s.Steps);
            var fresh = PlanFigureData.Predict(Fresh(plan), s, plan.Target!, steps);
            Assert.Equal(fresh, curve.Loss);
            Assert.Equal(steps.Select(t => (double)t), curve.Steps);
        }
    }

    [Fact]
    public void Each_final_loss_is_the_prediction_at_the_last_step_alone_bit_for_bit()
    {
        var plan = Plan.Value;
        // The plan is shared by this class's tests: PlanFigureData.Compute (the first test) adds the contour's cells, evaluated without a
        // curve, to the same evaluator, in an order the tests do not fix. The schedules the search evaluated (with their curves) are checked.
        var evaluated = plan.Evaluator!.Evaluated.Where(e => plan.Evaluator.Curve(e.Schedule) is not null).Take(12).ToList();
        Assert.Equal(12, evaluated.Count);
        foreach (var (s, loss) in evaluated)
        {
            var y = new double[1];
            Fresh(plan).Predict(s, plan.Target!, [s.Steps], y);
            Assert.Equal(double.IsFinite(y[0]) ? y[0] : double.NaN, loss);
            Assert.Equal(loss, plan.Evaluator.Curve(s)![^1]);
        }
    }

    [Fact]
    public void Curve_steps_are_ascending_distinct_and_end_at_the_last_step()
    {
        foreach (int n in new[] { 1, 7, 199, 200, 201, 193346 })
        {
            var steps = PlanEvaluator.CurveSteps(n);
            Assert.Equal(n, steps[^1]);
            Assert.True(steps[0] >= 1);
            Assert.True(steps.Zip(steps.Skip(1)).All(p => p.Second > p.First));
            Assert.Equal(Math.Min(n, PlanEvaluator.CurvePoints), steps.Length);
        }
    }

    [Fact]
    public void A_memoized_guard_check_is_the_guards_own_verdict()
    {
        var plan = Plan.Value;
        var model = HyperLaws.Divergence.DivergenceModelDocument.Parse(File.ReadAllText(Path.Combine(DataFolders.Repo, "priors", "divergence-steplaw.json")));
        var guard = new CriticalLrGuard(model, "test");
        var evaluator = new PlanEvaluator(plan.Model!, plan.Target!);
        foreach (double peak in new[] { 1e-4, 1e-3, 1e-2, 1e-1 })
        {
            var s = new CosineSchedule(peak, plan.Target!.Steps, 100);
            var expected = guard.Check(s, plan.Target!);
            Assert.Equal(expected, evaluator.Check(guard, s));
            Assert.Equal(expected, evaluator.Check(guard, s));
        }
    }
}
