using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// <see cref="WarmupGuard"/>: the supported warmup read from the runs (the shortest among those that trained at a comparable peak,
/// in steps), the prior where no run carries one, and the planner with it: a law whose loss keeps falling as the warmup shortens
/// (<see cref="Ramp"/>, as every law here) is held at the supported warmup with its warning and sweep; an interior optimum above it
/// stands; a warmup the user gives wins; a kept schedule takes its run's own warmup.
/// </summary>
public sealed class WarmupGuardTests
{
    /// <summary>
    /// Final loss 2 + 0.05 ln(peak/p*)^2 + warmupCost (+0.05 for a family other than wsd, + 0.2 (cooldown - 0.35)^2 for wsd), with
    /// warmupCost = 0.01 W/S (the loss falls as the warmup shortens: optimum at the search's low edge) or, with <paramref name="wStar"/>,
    /// 0.01 ln(W/(wStar S))^2 (an interior optimum at wStar of the run).
    /// </summary>
    private sealed class Ramp(double pStar, double wStar = double.NaN) : IPlanLaw
    {
        public string Name => "ramp";

        public void Predict(LrSchedule schedule, PlanTarget target, ReadOnlySpan<int> steps, Span<double> output)
        {
            var w = (WarmupSchedule)schedule;
            double warm = double.IsNaN(wStar) ? 0.01 * w.Warmup / w.Steps : 0.01 * Math.Pow(Math.Log(Math.Max(1, w.Warmup) / (wStar * w.Steps)), 2);
            double final = 2 + 0.05 * Math.Pow(Math.Log(w.Peak / pStar), 2) + warm
                + (schedule is WsdSchedule wsd ? 0.2 * Math.Pow((double)wsd.CooldownLength / wsd.Steps - 0.35, 2) : 0.05);
            for (int i = 0; i < steps.Length; i++) output[i] = final + (1 - (double)steps[i] / schedule.Steps);
        }

        public PeakSupport Support(PlanTarget target) => new(double.NaN, double.NaN, 1);
    }

    /// <summary>Two runs at peak 1e-3 with warmups of 200 and 400 steps, one at 1e-3 with 50 that diverged, one at 1e-5 with 30 (far below any plan peak).</summary>
    private static List<TrainingRun> Runs() =>
    [
        SyntheticRuns.Curve("cos-w400", new CosineSchedule(1e-3, 2000, 400, 1e-4)),
        SyntheticRuns.Curve("cos-w200", new CosineSchedule(1e-3, 2000, 200, 1e-4)),
        SyntheticRuns.Curve("cos-w50-diverged", new CosineSchedule(1e-3, 2000, 50, 1e-4)) with { Diverged = true },
        SyntheticRuns.Curve("cos-w30-low", new CosineSchedule(1e-5, 2000, 30, 1e-6)),
    ];

    /// <summary>A fixed batch of 2^20 tokens over 4e9 tokens: about 3,815 steps, so the warmup search spans 4..1,144 steps.</summary>
    private static readonly PlanRequest Request = new(SyntheticRuns.N, 4e9, TrainingOptimizer.AdamW) { BatchTokens = 1 << 20, RunnerUps = 2 };

    private static TrainingPlan Plan(IPlanLaw law, PlanRequest? request = null) =>
        Planner.Make(request ?? Request, Runs(), new PlanOptions { Law = law, Intervals = new HeldOutInterval(0.01) });

    [Fact]
    public void The_supported_warmup_is_the_shortest_among_runs_that_trained_at_a_comparable_peak()
    {
        Assert.Equal(200, WarmupGuard.WarmupOf(new CosineSchedule(1e-3, 2000, 200, 1e-4).Evaluate()));
        Assert.Equal(0, WarmupGuard.WarmupOf(new ConstantSchedule(1e-3, 100, 0).Evaluate()));
        // At a plan peak of 1.5e-3 the 1e-3 runs are comparable (>= half of it); the diverged one does not count.
        var at = WarmupGuard.SupportedBy(Runs(), 1.5e-3)!.Value;
        Assert.Equal((200, "cos-w200", 1e-3, true), (at.Steps, at.Run, at.Peak, at.Comparable));
        // At 1e-2 none is: the shortest among the runs of the highest peak, flagged.
        var above = WarmupGuard.SupportedBy(Runs(), 1e-2)!.Value;
        Assert.Equal((200, "cos-w200", false), (above.Steps, above.Run, above.Comparable));
        // At 1.5e-5 the low-peak run is comparable too, and shortest.
        Assert.Equal("cos-w30-low", WarmupGuard.SupportedBy(Runs(), 1.5e-5)!.Value.Run);
        Assert.Null(WarmupGuard.SupportedBy([], 1e-3));
        // A log cut inside its warmup (its LR still rising at its last step, or reaching its peak in its last 5%) shows no completed warmup.
        Assert.Null(WarmupGuard.SupportedBy([SyntheticRuns.Curve("cut", new CosineSchedule(1e-3, 2000, 400, 1e-4)) with { LearningRates = new CosineSchedule(1e-3, 2000, 400, 1e-4).Evaluate()[..300] }], 1e-3));
        var cut = new CosineSchedule(1e-3, 2000, 400, 1e-4).Evaluate()[..410];
        Assert.Null(WarmupGuard.SupportedBy([SyntheticRuns.Curve("cut-late", new CosineSchedule(1e-3, 2000, 400, 1e-4)) with { LearningRates = cut }], 1e-3));
    }

    [Fact]
    public void The_guard_holds_an_optimum_below_the_supported_warmup_and_names_its_sweep_and_the_prior_stands_in_without_runs()
    {
        var held = WarmupGuard.Of(4, 4, 1144, new SupportedWarmup(200, "cos-w200", 1e-3, true))!;
        Assert.Equal(WarmupSource.Runs, held.Source);
        Assert.Equal(200, held.Limit);
        Assert.Equal(new double[] { 25, 50, 100, 200 }, held.SweepWarmups);
        Assert.Null(WarmupGuard.Of(250, 4, 1144, new SupportedWarmup(200, "cos-w200", 1e-3, true)));        // the law's optimum is supported: it stands
        Assert.Null(WarmupGuard.Of(10, 4, 1144, new SupportedWarmup(0, "no-warmup", 1e-3, true)));          // a run trained without one: nothing to hold
        var prior = WarmupGuard.Of(4, 4, 1144, null)!;
        Assert.Equal((WarmupSource.Prior, (double)WarmupGuard.PriorSteps, ""), (prior.Source, prior.Limit, prior.Run));
        Assert.Equal(300, WarmupGuard.Of(4, 4, 300, null)!.Limit);                          // held to the search's top
    }

    [Fact]
    public void A_law_whose_loss_falls_as_the_warmup_shortens_is_held_at_the_runs_supported_warmup_with_a_warning()
    {
        var plan = Plan(new Ramp(1e-3));
        Assert.InRange(plan.Hyperparameters.Steps, 3814, 3815);
        var best = Assert.IsAssignableFrom<WarmupSchedule>(plan.Best.Schedule);
        Assert.Equal(200, best.Warmup);
        var warm = plan.Decision(PlanAxis.Warmup)!;
        Assert.Equal(AxisBound.AtLow, warm.Bound);
        Assert.Equal(4, warm.Optimum);
        Assert.Equal(200, warm.Chosen);
        var guard = warm.WarmupGuard!;
        Assert.Equal((WarmupSource.Runs, "cos-w200", 200.0), (guard.Source, guard.Run, guard.Limit));
        Assert.True(warm.ChosenLoss > warm.OptimumLoss);
        var w = Assert.Single(plan.Warnings, x => x.Kind == WarningKind.WarmupGuarded);
        Assert.Equal(new[] { "cos-w200" }, w.Labels);
        Assert.Equal((4.0, 200.0, 1.0, 0.0), (w.Q("optimum"), w.Q("chosen"), w.Q("atEdge"), w.Q("prior")));
        Assert.Equal(new double[] { 25, 50, 100, 200 }, w.Values);
        Assert.DoesNotContain(plan.Warnings, x => x.Kind == WarningKind.AxisAtEdge && x.Labels is ["warmup"]);
        Assert.Contains("held at 200 steps", PlanExplainer.Warning(w), StringComparison.Ordinal);
        Assert.Contains("25, 50, 100, 200 steps", PlanExplainer.Warning(w), StringComparison.Ordinal);
        Assert.Contains("the shortest warmup among the law's runs", PlanExplainer.AxisText(warm), StringComparison.Ordinal);
    }

    [Fact]
    public void An_interior_optimum_above_the_supported_warmup_stands()
    {
        var plan = Plan(new Ramp(1e-3, wStar: 0.1));
        var warm = plan.Decision(PlanAxis.Warmup)!;
        Assert.Equal(AxisBound.Interior, warm.Bound);
        Assert.Null(warm.WarmupGuard);
        Assert.Equal(warm.Optimum, warm.Chosen);
        Assert.InRange(warm.Chosen, 0.09 * plan.Hyperparameters.Steps, 0.11 * plan.Hyperparameters.Steps);
        Assert.DoesNotContain(plan.Warnings, x => x.Kind == WarningKind.WarmupGuarded);
    }

    [Fact]
    public void A_warmup_the_user_gives_wins_over_the_law_and_the_guard()
    {
        var plan = Plan(new Ramp(1e-3), Request with { WarmupSteps = 321 });
        Assert.Equal(321, Assert.IsAssignableFrom<WarmupSchedule>(plan.Best.Schedule).Warmup);
        Assert.Null(plan.Decision(PlanAxis.Warmup));
        var reason = Assert.Single(plan.Reasons, r => r.Kind == ReasonKind.Warmup);
        Assert.Equal((321.0, 1.0), (reason.Chosen, reason.Q("given")));
        Assert.Contains("given", PlanExplainer.Reason(reason).Text, StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Warnings, x => x.Kind is WarningKind.WarmupGuarded or WarningKind.AxisAtEdge);
        Assert.Equal(321, plan.Reasons.Single(r => r.Kind == ReasonKind.Family).Q("warmup"));    // the families compared at it too
        Assert.Contains("warmup", Assert.Throws<ArgumentException>(() => Plan(new Ramp(1e-3), Request with { WarmupSteps = 3815 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => (Request with { WarmupSteps = -1 }).Validate());
    }

    [Fact]
    public void A_kept_incumbent_is_decided_at_the_picks_warmup_and_only_then_rebuilt_at_its_runs()
    {
        // The runs' best (wsd, cooldown 0.6, its own warmup 10) against a pick with warmup 40. A law whose loss falls as the warmup
        // shortens would credit the incumbent with the warmup difference; the rule compares at the pick's warmup (40), and only once
        // kept is the incumbent rebuilt at its run's warmup (the caller's warmupFor) and its peak decided again for it.
        List<TrainingRun> runs = [Run("wsd-0.6", new WsdSchedule(2e-3, 1000, 10, cooldown: 0.6), 3.00), Run("wsd-0.1", new WsdSchedule(2e-3, 1000, 10, cooldown: 0.1), 3.05)];
        var pick = new WsdSchedule(1.7e-3, 4000, 40, cooldown: 0.05);
        double Law(LrSchedule s) => s.ToSpec() == pick.ToSpec() ? 2.9 : 2.9 * (1.001 + 1e-5 * ((WarmupSchedule)s).Warmup);
        int seen = -1;
        var atPeak = new List<int>();
        var (kept, keptLoss, d) = ObservedBest.Decide(pick, 2.9, runs, 1e8, LossSplit.Train, [], Law, apply: true,
            atOwnPeak: s => { atPeak.Add(((WarmupSchedule)s).Warmup); return s; }, warmupFor: sh => seen = sh.Warmup);
        Assert.True(d.KeptIncumbent);
        Assert.Equal(10, seen);
        Assert.Equal(40, Assert.IsType<WsdSchedule>(LrSchedule.Parse(d.Incumbent)).Warmup);       // decided at the pick's warmup
        Assert.Equal(2.9 * (1.001 + 4e-4), d.IncumbentLoss, 12);
        Assert.Equal(d.IncumbentLoss / 2.9 - 1, d.Gain, 12);
        Assert.Equal(10, Assert.IsType<WsdSchedule>(kept).Warmup);                            // kept at its run's
        Assert.Equal((kept.ToSpec(), 2.9 * (1.001 + 1e-4)), (d.Kept, d.KeptLoss));
        Assert.Equal(2.9 * (1.001 + 1e-4), keptLoss, 12);
        Assert.Equal(new[] { 40, 10 }, atPeak);                                                 // the peak decided for each, in that order
        var reason = ObservedBest.Reason(d);
        Assert.Equal(d.Kept, reason.Labels[2]);
        Assert.Contains("compared at the pick's warmup; kept at its run's warmup", PlanExplainer.Reason(reason).Text, StringComparison.Ordinal);
        // Not kept (reported only): warmupFor is not asked, nothing is rebuilt.
        seen = -1;
        var (notApplied, _, nd) = ObservedBest.Decide(pick, 2.9, runs, 1e8, LossSplit.Train, [], Law, apply: false, warmupFor: sh => seen = sh.Warmup);
        Assert.Equal((-1, pick.ToSpec(), ""), (seen, notApplied.ToSpec(), nd.Kept));
        // Without warmupFor, the incumbent as decided (the pick's warmup) is kept.
        var (atPick, _, pd) = ObservedBest.Decide(pick, 2.9, runs, 1e8, LossSplit.Train, [], Law, apply: true);
        Assert.Equal(40, Assert.IsType<WsdSchedule>(atPick).Warmup);
        Assert.Equal(pd.Incumbent, pd.Kept);
        Assert.Equal(2, ObservedBest.Reason(pd).Labels.Count);
    }

    [Fact]
    public void A_kept_runs_warmup_is_not_set_below_the_guards_limit_nor_above_the_search()
    {
        // The user's wins; the run's own between the limit and the top; held at the limit when shorter, at the top when longer;
        // the plan's when the run has none.
        Assert.Equal(321, Planner.KeptWarmup(50, 200, 321, 1144, 200));
        Assert.Equal(400, Planner.KeptWarmup(400, 200, null, 1144, 200));
        Assert.Equal(200, Planner.KeptWarmup(50, 180, null, 1144, 200));
        Assert.Equal(1144, Planner.KeptWarmup(5000, 200, null, 1144, 200));
        Assert.Equal(180, Planner.KeptWarmup(0, 180, null, 1144, 200));
        // The words say which.
        var held = new PlanReason(ReasonKind.Warmup, "ramp") { Chosen = 200, Labels = ["run-a"], Quantities = Planner.Qs(("redecided", 1), ("pickWarmup", 200), ("fromRun", 1), ("runWarmup", 50), ("heldAtLimit", 1)) };
        Assert.Contains("held at the warmup guard's limit", PlanExplainer.Reason(held).Text, StringComparison.Ordinal);
        var capped = held with { Chosen = 1144, Quantities = Planner.Qs(("redecided", 1), ("pickWarmup", 200), ("fromRun", 1), ("runWarmup", 5000), ("capped", 1)) };
        Assert.Contains("capped at the search's top, 30% of the run", PlanExplainer.Reason(capped).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_runs_support_is_judged_again_at_the_plans_final_peak()
    {
        // A run at 2.4e-3 with a 100-step warmup and one at 4e-3 with 400; the law's optimum peak is 6e-3. The family stage compares
        // three peaks around the rule's LR (x4 apart; the lowest, about 4.3e-3 with these runs, is the nearest 6e-3), where both runs
        // are comparable (the guard would hold the warmup at 100); step 5 takes 6e-3, where only the 4e-3 run is (2.4e-3 is below
        // half): 400.
        List<TrainingRun> runs =
        [
            SyntheticRuns.Curve("mid-w100", new CosineSchedule(2.4e-3, 2000, 100, 2.4e-4)),
            SyntheticRuns.Curve("high-w400", new CosineSchedule(4e-3, 2000, 400, 4e-4)),
        ];
        var plan = Planner.Make(Request, runs, new PlanOptions { Law = new Ramp(6e-3), Intervals = new HeldOutInterval(0.01), ObservedBest = false });
        var family = plan.Reasons.Single(r => r.Kind == ReasonKind.Family);
        double p1 = family.Considered.Single(o => o.Label == family.ChosenLabel).Value;
        var best = Assert.IsAssignableFrom<WarmupSchedule>(plan.Best.Schedule);
        Assert.True(p1 <= 4.8e-3 && best.Peak > 4.8e-3, $"the fixture's premise: family peak {p1}, final peak {best.Peak}");
        Assert.Equal((100, "mid-w100"), (WarmupGuard.SupportedBy(runs, p1)!.Value.Steps, WarmupGuard.SupportedBy(runs, p1)!.Value.Run));
        Assert.Equal(400, best.Warmup);
        Assert.Equal("high-w400", plan.Decision(PlanAxis.Warmup)!.WarmupGuard!.Run);
        Assert.Equal(new[] { "high-w400" }, Assert.Single(plan.Warnings, w => w.Kind == WarningKind.WarmupGuarded).Labels);
        Assert.Single(plan.Reasons, x => x.Kind == ReasonKind.Warmup);                          // the first pass's reasons replaced, not added to
    }

    [Fact]
    public void Runs_without_a_warmup_only_below_the_plans_peak_give_the_prior()
    {
        // No run reaches half the plan's peak and the highest-peak runs have no warmup: they do not show that the plan's peak trains
        // without one, so the prior stands (naming the run), not "no guard".
        List<TrainingRun> runs = [SyntheticRuns.Curve("const-low", new ConstantSchedule(1e-4, 2000, 0))];
        var supported = WarmupGuard.SupportedBy(runs, 1e-3)!.Value;
        Assert.Equal((0, false), (supported.Steps, supported.Comparable));
        var guard = WarmupGuard.Of(4, 4, 1144, supported)!;
        Assert.Equal((WarmupSource.Prior, (double)WarmupGuard.PriorSteps, "const-low"), (guard.Source, guard.Limit, guard.Run));
        Assert.Equal(WarmupGuard.PriorSteps, WarmupGuard.LimitOf(4, 1144, supported));
        // At a comparable peak a run without a warmup supports none: no guard.
        Assert.Null(WarmupGuard.Of(4, 4, 1144, WarmupGuard.SupportedBy(runs, 1.5e-4)));
        Assert.Equal(4, WarmupGuard.LimitOf(4, 1144, WarmupGuard.SupportedBy(runs, 1.5e-4)));
        var a = new AxisDecision(PlanAxis.Warmup, 700, 2.1, 4, 2.0, 4, 1144, AxisBound.AtLow, double.NaN, double.NaN, double.NaN, false, false, [], "") { WarmupGuard = guard };
        Assert.Contains("train without a warmup, which does not show that the plan's peak does", PlanExplainer.AxisText(a), StringComparison.Ordinal);
    }

    private static TrainingRun Run(string name, LrSchedule s, double finalLoss) =>
        new(new RunMetadata(name) { Parameters = 1e8 }, s.Evaluate(), [new LossObservation(s.Steps / 2, finalLoss + 0.5), new LossObservation(s.Steps, finalLoss)]);
}
