using HyperLaws.Planning;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// The measurement of docs/VALIDATION.md "The plan's anchor without a final evaluation": for a plan of protocol 6 or 17p, every run it
/// learned from that has a final evaluation (the finalValLoss tag at its last step, else a validation loss at its last step), except the
/// cut runs (<see cref="PlanBacktest.TruncatedFrom"/>: a validation point at the cut step is no final evaluation; declared skipped), is seen
/// with it hidden (<see cref="Hide"/>), and the anchor's O(a) estimated from it by the last logged point (E0), the tail estimate
/// (<see cref="AnchoredLoss.TailEstimate"/> with the plan's law, E1), the law's own value at its end (E2) and a straight line through
/// its tail (E3), each scored against the hidden final evaluation. No plan reads it.
/// </summary>
public static class AnchorTailCheck
{
    /// <summary>
    /// The points for <paramref name="plan"/> (fitted on <paramref name="split"/>) over <paramref name="runs"/>, in their order; empty when
    /// the plan kept no law. <paramref name="runsTokensPerStep"/>: the plan's <see cref="PlanOptions.RunsTokensPerStep"/>, as the planner
    /// asks its law on a run (<see cref="Planner.LawOnRun"/>).
    /// </summary>
    public static List<AnchorTailPoint> Of(TrainingPlan plan, IReadOnlyList<TrainingRun> runs, LossSplit split, double? runsTokensPerStep)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(runs);
        var result = new List<AnchorTailPoint>();
        if (plan.Model is not { } model || plan.Target is not { } target) return result;
        foreach (var run in runs.Where(r => !r.Diverged && r.Steps > 1 && !r.Metadata.Tags.ContainsKey(PlanBacktest.TruncatedFrom)))
        {
            double final = FinalEvaluation(run);
            if (!double.IsFinite(final)) continue;
            var hidden = Hide(run, split);
            double[] Law(int[] steps) => Planner.LawOnRun(model, target, hidden, steps, runsTokensPerStep);
            var tail = AnchoredLoss.TailPoints(hidden, split);
            if (tail.Count == 0) continue;
            double atEnd = Law([hidden.Steps])[0];
            result.Add(new AnchorTailPoint(run.Name, run.Steps, final, tail[^1].Loss, AnchoredLoss.TailEstimate(hidden, split, Law), atEnd,
                Line(tail, hidden.Steps), tail.Count));
        }
        return result;
    }

    /// <summary>A run's final evaluation as the plan's anchor reads it (<see cref="AnchoredLoss.Observed"/>: the tag, else a validation loss at its last step); NaN when none.</summary>
    public static double FinalEvaluation(TrainingRun run) =>
        AnchoredLoss.Observed(run, LossSplit.Validation) is (var loss, true) ? loss : double.NaN;

    /// <summary>
    /// <paramref name="run"/> with its final evaluation hidden: the finalVal* tags dropped, and every validation point at its last step
    /// (validation every K steps but not at the end); fitted on train, its validation points are not read (train only).
    /// </summary>
    public static TrainingRun Hide(TrainingRun run, LossSplit split)
    {
        ArgumentNullException.ThrowIfNull(run);
        var tags = PlanBacktest.WithoutFinalEvaluationTags(run);
        var kept = run.Observations.Where(o => o.Split == split && !(o.Split == LossSplit.Validation && o.Step == run.Steps)).ToList();
        return run with { Metadata = run.Metadata with { Tags = tags }, Observations = kept };
    }

    /// <summary>The least-squares line through <paramref name="points"/> (step, loss) read at <paramref name="at"/>; the point itself when there is one.</summary>
    public static double Line(IReadOnlyList<LossObservation> points, int at)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) return double.NaN;
        if (points.Count == 1) return points[0].Loss;
        double mx = points.Average(p => (double)p.Step), my = points.Average(p => p.Loss), sxx = 0, sxy = 0;
        foreach (var p in points)
        {
            sxx += (p.Step - mx) * (p.Step - mx);
            sxy += (p.Step - mx) * (p.Loss - my);
        }
        return sxx > 0 ? my + sxy / sxx * (at - mx) : my;
    }
}
