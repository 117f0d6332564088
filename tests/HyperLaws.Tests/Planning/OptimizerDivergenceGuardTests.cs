using HyperLaws.Divergence;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// The divergence prior is used only for the optimizer it was fitted on (issue 10, p18c): a Muon plan with the AdamW prior gets the runs'
/// own evidence as its guard (the highest peak that trained, the lowest that diverged) and a <see cref="WarningKind.NoDivergencePrior"/>
/// warning; an AdamW plan keeps the prior's <see cref="CriticalLrGuard"/>. A law with its optimum far above every boundary (<see cref="Rising"/>).
/// </summary>
public sealed class OptimizerDivergenceGuardTests
{
    /// <summary>Final loss falls with the peak to 100x the runs' LR: every guard fires if it can.</summary>
    private sealed class Rising : IPlanLaw
    {
        public string Name => "rising";

        public void Predict(LrSchedule schedule, PlanTarget target, ReadOnlySpan<int> steps, Span<double> output)
        {
            double peak = schedule.Evaluate().Max();
            double final = 2 + 0.05 * Math.Pow(Math.Log(peak / 0.1), 2);
            for (int i = 0; i < steps.Length; i++) output[i] = final + (1 - (double)steps[i] / schedule.Steps);
        }

        public PeakSupport Support(PlanTarget target) => new(double.NaN, double.NaN, 1);
    }

    // ln eta_crit = ln 1e-4 everywhere: a boundary far below the runs' peaks (1e-3, 2e-3).
    private static readonly DivergenceModel LowBoundary = new(new CriticalLrRule(Math.Log(1e-4), 0, 0, 0, 0, 8));

    private static TrainingPlan Plan(TrainingOptimizer optimizer, IReadOnlyList<TrainingRun> runs) =>
        Planner.Make(new PlanRequest(SyntheticRuns.N, 4e8, optimizer), runs, new PlanOptions
        {
            Law = new Rising(),
            Intervals = new HeldOutInterval(0.01),
            Divergence = LowBoundary,
            DivergenceSource = "prior",
            DivergenceOptimizer = TrainingOptimizer.AdamW,
        });

    [Fact]
    public void The_prior_guards_only_the_optimizer_it_was_fitted_on()
    {
        var adam = Plan(TrainingOptimizer.AdamW, SyntheticRuns.Plannable());
        Assert.IsType<CriticalLrGuard>(adam.Guard);
        Assert.DoesNotContain(adam.Warnings, w => w.Kind == WarningKind.NoDivergencePrior);
        // The AdamW plan is screened by the prior (its boundary 1e-4).
        Assert.Contains(adam.Reasons, r => r.Kind == ReasonKind.Divergence && r.Source == "prior" && Math.Abs(r.Q("etaL") / 1e-4 - 1) < 1e-9);

        var muon = Plan(TrainingOptimizer.Muon, SyntheticRuns.Plannable());
        var guard = Assert.IsType<EvidenceDivergenceGuard>(muon.Guard);
        Assert.Equal(2e-3, guard.HighestTrained, 12);
        Assert.Equal(double.PositiveInfinity, guard.LowestDiverged);
        var warning = Assert.Single(muon.Warnings, w => w.Kind == WarningKind.NoDivergencePrior);
        Assert.Equal(["muon", "adamw"], warning.Labels);
        Assert.Equal(2e-3, warning.Quantities["highestTrained"], 12);
        Assert.True(double.IsNaN(warning.Quantities["lowestDiverged"]));
        Assert.Contains("no divergence prior exists for muon", PlanExplainer.Warning(warning), StringComparison.Ordinal);
        // Not held at the AdamW boundary (1e-4): no run diverged, so the divergence guard does not cap the peak.
        Assert.True(muon.Best.Schedule.Evaluate().Max() > 1e-4);
        Assert.NotEqual(GuardKind.Divergence, muon.Decision(PlanAxis.PeakLr)!.Guard?.Kind);
        Assert.True(muon.Best.Diverges == false);
        var reason = Assert.Single(muon.Reasons, r => r.Kind == ReasonKind.Divergence);
        Assert.StartsWith("the runs' own evidence (muon: no divergence prior for it)", reason.Source, StringComparison.Ordinal);
        Assert.StartsWith("no divergence boundary is known", PlanExplainer.Reason(reason, "rising").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_diverged_run_is_the_evidence_guards_boundary()
    {
        var runs = SyntheticRuns.Plannable();
        var blown = SyntheticRuns.Curve("cosine-1000-blown", new CosineSchedule(8e-3, 1000, 20, 8e-4)) with { Diverged = true };
        runs.Add(blown);
        var plan = Plan(TrainingOptimizer.Muon, runs);
        var guard = Assert.IsType<EvidenceDivergenceGuard>(plan.Guard);
        Assert.Equal(8e-3, guard.LowestDiverged, 12);
        Assert.True(plan.Best.Schedule.Evaluate().Max() < 8e-3);
        Assert.Contains("lowest diverged peak 0.008", guard.Source, StringComparison.Ordinal);
        var check = guard.Check(new CosineSchedule(9e-3, 1000, 20), new PlanTarget(SyntheticRuns.N, 1e9, 1e6, 1000));
        Assert.True(check.Diverges);
    }
}
