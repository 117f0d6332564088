using HyperLaws.Numerics;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// <see cref="PeakEvidence"/>: what runs at two or more peaks of a comparable horizon show about the best peak, and the plan's peak held
/// by it where the law's optimum contradicts the runs (<see cref="GuardKind.RunsEvidence"/>; docs/VALIDATION.md, "The runs decide the
/// peak where they bracket it").
/// </summary>
public sealed class PeakEvidenceTests
{
    /// <summary>A constant run of <paramref name="steps"/> at <paramref name="peak"/> ending with a validation loss of <paramref name="val"/>.</summary>
    private static TrainingRun Run(string name, double peak, int steps, double val, double n = 17e6) =>
        new(new RunMetadata(name) { Parameters = n }, Enumerable.Repeat(peak, steps).ToArray(),
            [new LossObservation(steps / 2, val + 0.5), new LossObservation(steps, val + 0.1), new LossObservation(steps, val, LossSplit.Validation)]);

    [Fact]
    public void Parameter_Golf_like_runs_put_the_best_at_the_lowest_peak_and_admit_no_peak_above_it()
    {
        // p18's lr-9x512 final validation losses: 0.04 twice (2.0606 at 13,780 steps, 2.0592 at 13,450), 0.02 once (2.0571 at 14,421).
        var e = PeakEvidence.Of([Run("baseline", 0.04, 13780, 2.0606), Run("sliding", 0.04, 13450, 2.0592), Run("lowerlr", 0.02, 14421, 2.0571)], 17e6, 14421, double.NaN)!;
        Assert.Equal(PeakEvidenceKind.BestAtLowest, e.Kind);
        Assert.Equal(0.02, e.BestPeak);
        Assert.Equal("lowerlr", e.BestRun);
        Assert.Equal(0.04, e.Upper);
        Assert.True(double.IsNaN(e.Lower));
        Assert.Equal(0.0014, e.RepeatSpread, 12);
        Assert.Equal((2, 3), (e.Peaks, e.Runs));
        Assert.Equal(0.02, e.RunsOptimum);
        Assert.False(e.Admits(0.607));
        Assert.True(e.Admits(0.02));
        Assert.True(e.Admits(0.005));
    }

    [Fact]
    public void A_bracket_gives_the_parabolas_vertex_in_ln_peak_and_admits_only_the_bracket()
    {
        // Peaks x2 apart (h = ln 2), losses 3.1, 3.0, 3.05: the vertex is h/2 (y1 - y3) / (y1 - 2 y2 + y3) = h/6 above the middle.
        var e = PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 2e-3, 5000, 3.0), Run("c", 4e-3, 5000, 3.05)], 17e6, 5000, double.NaN)!;
        Assert.Equal(PeakEvidenceKind.Bracketed, e.Kind);
        Assert.Equal(2e-3 * Math.Pow(2, 1.0 / 6), e.RunsOptimum, 12);
        Assert.Equal((1e-3, 4e-3), (e.Lower, e.Upper));
        Assert.True(e.Admits(3e-3));
        Assert.False(e.Admits(5e-3));
        Assert.False(e.Admits(5e-4));
        // Best at the highest: only peaks at or above it agree.
        var high = PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 2e-3, 5000, 3.0)], 17e6, 5000, double.NaN)!;
        Assert.Equal(PeakEvidenceKind.BestAtHighest, high.Kind);
        Assert.True(high.Admits(1.0));
        Assert.False(high.Admits(1.5e-3));
    }

    [Fact]
    public void No_evidence_from_one_peak_from_peaks_at_other_horizons_or_sizes_or_an_ordering_within_the_repeats_spread()
    {
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 1e-3, 5200, 3.0)], 17e6, 5200, double.NaN));
        // Two peaks, but 5,000 and 20,000 steps: only the reference's horizon (20,000) counts.
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 2e-3, 20000, 3.0)], 17e6, 20000, double.NaN));
        // Two peaks at 5,000 steps, but the reference is at 7,000: not its horizon, so not carried with its factor.
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 2e-3, 5000, 3.0)], 17e6, 7000, double.NaN));
        // The run at the other peak is at another size: left out.
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 2e-3, 5000, 3.0, n: 1e9)], 17e6, 5000, double.NaN));
        // The run at the other peak trained at another batch (tokens per step): left out.
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), Run("b", 2e-3, 5000, 3.0) with { Metadata = new RunMetadata("b") { Parameters = 17e6, TokensPerStep = 2e5 } }],
            17e6, 5000, 1e5));
        // No repeats: a best within 0.1% of its neighbour (3.0 against 3.002) is no ordering.
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.002), Run("b", 2e-3, 5000, 3.0)], 17e6, 5000, double.NaN));
        // Repeats at 0.04 spread 0.0046, more than the 0.0011 between the peaks' bests.
        Assert.Null(PeakEvidence.Of([Run("a", 0.04, 13780, 2.0606), Run("b", 0.04, 13450, 2.0560), Run("c", 0.02, 14421, 2.0571)], 17e6, 14421, double.NaN));
        // A diverged run does not count.
        var diverged = Run("b", 2e-3, 5000, 3.0) with { Diverged = true };
        Assert.Null(PeakEvidence.Of([Run("a", 1e-3, 5000, 3.1), diverged], 17e6, 5000, double.NaN));
    }

    [Fact]
    public void A_constant_and_a_cosine_run_at_different_peaks_are_not_compared()
    {
        // Cosine to 0 at 2e-3 ends far below the constant run at 1e-3: their final losses say nothing about the peak.
        var cosine = new CosineSchedule(2e-3, 5000, 0, 0).Evaluate();
        var mixed = new TrainingRun(new RunMetadata("cosine") { Parameters = 17e6 }, cosine,
            [new LossObservation(5000, 3.1), new LossObservation(5000, 3.0, LossSplit.Validation)]);
        Assert.Null(PeakEvidence.Of([Run("constant", 1e-3, 5000, 3.1), mixed], 17e6, 5000, double.NaN));
    }

    [Fact]
    public void One_split_for_the_group_training_losses_when_a_run_has_no_validation_loss()
    {
        // a: validation 3.0 (training 3.1); b: no validation, training 3.05. Validation against training would put a first; training
        // for both puts b first (3.05 < 3.1).
        var b = new TrainingRun(new RunMetadata("b") { Parameters = 17e6 }, Enumerable.Repeat(2e-3, 5000).ToArray(), [new LossObservation(5000, 3.05)]);
        var e = PeakEvidence.Of([Run("a", 1e-3, 5000, 3.0), b], 17e6, 5000, double.NaN)!;
        Assert.Equal("b", e.BestRun);
        Assert.Equal(3.05, e.BestLoss);
    }

    [Fact]
    public void The_plan_is_held_at_the_runs_best_peak_when_the_laws_optimum_lies_above_where_their_loss_rose()
    {
        var plan = Plan(fromRuns: true);
        var peak = plan.Decision(PlanAxis.PeakLr)!;
        Assert.Equal(AxisBound.AtHigh, peak.Bound);
        var guard = peak.Guard!;
        Assert.Equal(GuardKind.RunsEvidence, guard.Kind);
        // The runs' best peak, 1e-3 in the runs' units, carried to the target as the runs' range is (their lowest peak is 1e-3 too).
        Assert.Equal(guard.SupportLow, peak.Chosen, 9);
        Assert.Equal(Significant.Round(peak.Chosen), ((WarmupSchedule)plan.Best.Schedule).Peak);
        // Four peaks below it, x sqrt(2) apart: the side the runs have not seen.
        Assert.Equal(4, guard.SweepPeaks.Count);
        Assert.All(guard.SweepPeaks, p => Assert.True(p < peak.Chosen));
        var w = Assert.Single(plan.Warnings, w => w.Kind == WarningKind.PeakGuarded);
        Assert.Equal(new[] { "RunsEvidence", "BestAtLowest" }, w.Labels.Take(2));
        Assert.Equal(["optimum", "chosen", "atEdge", "runsBest", "runsBestLoss", "lower", "upper", "units", "peaks"], w.Quantities.Keys);
        Assert.Equal(peak.Chosen, w.Quantities["runsBest"], 9);   // the runs' best, in the target's units as chosen
        Assert.Contains("contradicts the runs' own final losses", PlanExplainer.Warning(w), StringComparison.Ordinal);
        Assert.Contains("the runs' own optimum", PlanExplainer.AxisText(peak), StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_rule_off_the_same_runs_give_the_old_guard_the_runs_range()
    {
        var peak = Plan(fromRuns: false).Decision(PlanAxis.PeakLr)!;
        Assert.Equal(GuardKind.AboveRuns, peak.Guard!.Kind);
        Assert.True(peak.Chosen > 1.5 * peak.Guard.SupportLow);   // above the runs' best 1e-3, at their range's top
    }

    /// <summary>
    /// The synthetic annealing-law curves (PlannerTests) and a cosine run at 2e-3 of the reference's 2,000 steps: the law's loss falls
    /// with the peak, so its optimum is the search's top. The validation losses at the 2,000-step cosine runs' ends say the reverse: 1e-3
    /// (3.0) beats 2e-3 (3.05). No calibration refits and a target of the runs' 2,000 steps: the peak decision is what is checked, quickly.
    /// </summary>
    private static TrainingPlan Plan(bool fromRuns)
    {
        var runs = SyntheticRuns.Plannable().Append(SyntheticRuns.Curve("cosine-2000-high", new CosineSchedule(2e-3, 2000, 20, 2e-4)))
            .Select(r => r.Steps == 2000 && r.Name.StartsWith("cosine", StringComparison.Ordinal)
                ? r with { Observations = [.. r.Observations, new LossObservation(2000, r.LearningRates.Max() > 1.5e-3 ? 3.05 : 3.0, LossSplit.Validation)] }
                : r).ToList();
        var options = new PlanOptions { Laws = ["tissue"], ObservedBest = false, BatchSteps = BatchSteps.Steps, Calibrate = false, PeakFromRunsEvidence = fromRuns };
        return Planner.Make(new PlanRequest(SyntheticRuns.N, 2000 * SyntheticRuns.TokensPerStep, TrainingOptimizer.AdamW), runs, options);
    }
}
