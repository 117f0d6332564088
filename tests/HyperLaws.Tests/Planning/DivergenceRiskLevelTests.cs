using HyperLaws.Divergence;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Planning;
using HyperLaws.Schedules;
using CsCheck;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// The divergence guard's risk level (<see cref="ModelDivergenceGuard.Risk"/>, <see cref="PlanOptions.DivergenceRisk"/>; issue 10 item 4):
/// at 0.5 the boundary eta_crit as before, below it the peak where P(diverge) = sigmoid(k ln(peak / eta_crit)) reaches the level.
/// </summary>
public sealed class DivergenceRiskLevelTests
{
    /// <summary>A model whose eta_crit moves with N, batch, tokens and warmup (as PlanWiringTests'), slope k = 4.</summary>
    private static readonly DivergenceModel Model = new(new CriticalLrRule(Math.Log(3e-3), -0.3, 0.2, -0.1, 0.15, 4));

    private static LrSchedule? Shape(ScheduleFamily family, double peak, int steps) =>
        Planner.Build(family, peak, steps, Math.Max(1, steps / 50), family == ScheduleFamily.Wsd ? 0.3 : double.NaN, 0);

    [Fact]
    public void The_closed_form_limit_at_a_risk_level_equals_bisection_and_sits_where_the_probability_reaches_it()
    {
        var closed = new CriticalLrGuard(Model, "t") { Risk = PlanOptions.StatedDivergenceRisk };
        var bisect = new ScreenDivergenceGuard(Model, "t") { Risk = PlanOptions.StatedDivergenceRisk };
        var boundary = new CriticalLrGuard(Model, "t");
        var gen = Property.LogUniform(1e7, 1e10).SelectMany(n => Property.LogUniform(1e5, 1e7).SelectMany(b =>
            Gen.Int[200, 5000].SelectMany(steps => Gen.Int[0, 3].Select(f => (n, b, steps, f)))));
        Property.ForAll(gen, x =>
        {
            var target = new PlanTarget(x.n, x.steps * x.b, x.b, x.steps);
            var family = CandidateGrid.Buildable[x.f];
            LrSchedule? S(double peak) => Shape(family, peak, x.steps);
            double a = closed.HighestSafePeak(S, target, 1e-6, 10), b = bisect.HighestSafePeak(S, target, 1e-6, 10);
            Assert.InRange(a / b, 0.999, ScreenDivergenceGuard.Resolution * 1.001);
            // Just under the level: P < 0.25 there, >= 0.25 one percent higher (k = 4: P moves ~0.75% per 1% of peak).
            var at = closed.Check(S(a)!, target);
            Assert.False(at.Diverges);
            Assert.InRange(at.Probability, 0.24, PlanOptions.StatedDivergenceRisk);
            Assert.True(closed.Check(S(a * 1.01)!, target).Diverges);
            // The limit is eta_crit exp(logit(0.25) / k) = eta_crit / 3^(1/4), below the boundary guard's.
            Assert.Equal(closed.LimitPeak(S(a)!, target), closed.CriticalPeak(S(a)!, target) * Math.Pow(3, -0.25), 12);
            double c = boundary.HighestSafePeak(S, target, 1e-6, 10);
            Assert.InRange(a / c, Math.Pow(3, -0.25) * 0.995, Math.Pow(3, -0.25) * 1.005);
        }, iterations: 30);
    }

    [Fact]
    public void At_the_default_level_the_verdict_is_the_screens_own()
    {
        var guard = new CriticalLrGuard(Model, "t");
        Assert.Equal(0.5, guard.Risk);
        var target = new PlanTarget(1e8, 2000 * 1e6, 1e6, 2000);
        Property.ForAll(Property.LogUniform(1e-4, 1e-1), peak =>
        {
            var s = Shape(ScheduleFamily.Cosine, peak, 2000)!;
            var p = guard.Screen(target).Predict(s.Evaluate());
            var check = guard.Check(s, target);
            Assert.Equal(p.Diverges, check.Diverges);
            Assert.Equal(p.Probability, check.Probability);
        }, iterations: 50);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.6)]
    [InlineData(double.NaN)]
    public void A_level_outside_zero_to_one_half_is_refused(double risk) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CriticalLrGuard(Model, "t") { Risk = risk });

    [Fact]
    public void A_plan_held_by_the_guard_at_the_stated_level_sits_under_it_and_says_so()
    {
        // eta_crit 2e-4 at 1e8, 1M batch, 1e10 tokens: far under the synthetic runs' 1e-3 .. 2e-3, so the guard holds both plans.
        var model = new DivergenceModel(new CriticalLrRule(Math.Log(2e-4), 0, 0, 0, 0, 4));
        var runs = SyntheticRuns.Plannable();
        var request = new PlanRequest(1e8, 4e8, TrainingOptimizer.AdamW);
        TrainingPlan Plan(double risk) => Planner.Make(request, runs, new PlanOptions { Divergence = model, DivergenceSource = "test", DivergenceRisk = risk, ObservedBest = false });
        var atBoundary = Plan(0.5);
        var atRisk = Plan(PlanOptions.StatedDivergenceRisk);
        foreach (var (plan, level) in new[] { (atBoundary, 0.5), (atRisk, PlanOptions.StatedDivergenceRisk) })
        {
            var peak = plan.Decision(PlanAxis.PeakLr)!;
            Assert.Equal(GuardKind.Divergence, peak.Guard!.Kind);
            Assert.False(plan.Best.Diverges);
            Assert.InRange(plan.Best.DivergenceProbability, level - 0.02, level);
            var div = Assert.Single(plan.Reasons, r => r.Kind == ReasonKind.Divergence);
            Assert.Equal(level, div.Q("risk"));
            Assert.Equal(plan.Best.DivergenceProbability, div.Q("probability"));
        }
        // The stated level's peak is the boundary's times 3^(-1/4) (k = 4), to the shapes' 3 significant digits.
        double ratio = atRisk.Decision(PlanAxis.PeakLr)!.Chosen / atBoundary.Decision(PlanAxis.PeakLr)!.Chosen;
        Assert.InRange(ratio, Math.Pow(3, -0.25) * 0.99, Math.Pow(3, -0.25) * 1.01);
    }
}
