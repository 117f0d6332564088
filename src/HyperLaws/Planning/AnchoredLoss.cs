using HyperLaws.Evaluation;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using static System.FormattableString;

namespace HyperLaws.Planning;

/// <summary>
/// The plan's final loss anchored on a run of its shape (issue 10, protocol 6's "predicted final loss within +-1%"; declared in
/// docs/VALIDATION.md "Protocol 6: the plan's loss anchored on a run of its shape"). When the plan's schedule is a shape the runs hold,
/// the run supplies the level and the shape's effect and the law only the ratio between the run's point and the target:
/// <code>
///   L(target) = O(a) x L_law(plan's schedule, target) / L_law(a's own LRs, a's steps, size and batch)
/// </code>
/// <list type="number">
/// <item><b>Anchor</b> (<see cref="Find"/>): among the law's runs, those at the size nearest the target (log) whose LRs read as a planner
/// schedule (<see cref="ObservedBest.Read"/>, within <see cref="ObservedBest.ShapeTolerance"/>) of the plan's shape (<see cref="ObservedBest.OneShape"/>:
/// family, floor, a WSD cooldown within <see cref="ObservedBest.SameShape"/>), with a peak LR within <see cref="PeakFactor"/> of the plan's
/// (runs' units) and a final loss O(a); of these the nearest, |ln(steps ratio)| + |ln(peak ratio)|, ties to the longer run, then by name.</item>
/// <item><b>Observed loss</b> O(a): the run's final evaluation (<see cref="HorizonBias.FinalEvaluationOf"/>) when it has one, else its last
/// logged loss of the fitted split. The horizon-bias correction is not applied on top: O(a) sets the level and the estimator's scale.</item>
/// <item><b>Why:</b> if the law's error on a shape is a factor (1 + e) at the run and at the target alike, it cancels in the ratio
/// (<see cref="Predict"/>); what is left is the change of the law's error between the run's point and the target (the horizon drift),
/// which <see cref="Residuals"/> measures one horizon step back with the same predictor.</item>
/// <item><b>Interval</b>: the residuals of this anchored predictor within the runs (<see cref="Residuals"/>), calibrated as a symmetric
/// finite-sample split-conformal interval at the target's distance from its anchor (<see cref="Distance"/>).</item>
/// </list>
/// Only the number changes: the schedule is the planner's (the law's search and the schedule-regret rule decide it).
/// </summary>
public static class AnchoredLoss
{
    /// <summary>An anchor's peak LR must be within this factor of the plan's (one step of the 124M grid, the usual sweep spacing).</summary>
    public const double PeakFactor = 2;

    /// <summary>The residual split of the anchored predictor's calibration residuals.</summary>
    public const string Split = "anchored";

    /// <summary>The run a prediction is anchored on, its observed final loss and whether that is a final evaluation.</summary>
    /// <param name="Run">The run.</param>
    /// <param name="Observed">O(a): its final evaluation, or its last logged loss of the fitted split.</param>
    /// <param name="FinalEvaluation">True when <paramref name="Observed"/> is the run's final evaluation.</param>
    public sealed record Anchor(TrainingRun Run, double Observed, bool FinalEvaluation);

    /// <summary>
    /// The anchored prediction L = <paramref name="observed"/> x <paramref name="lawAtTarget"/> / <paramref name="lawOnRun"/>: the run's
    /// observed loss times the law's ratio of the target to the run's own point. NaN unless all three are positive and finite.
    /// A law exact at both points gives its own prediction; a law off by one factor at both gives the same L as an exact one.
    /// </summary>
    public static double Predict(double observed, double lawAtTarget, double lawOnRun) =>
        observed > 0 && lawAtTarget > 0 && lawOnRun > 0 && double.IsFinite(observed) && double.IsFinite(lawAtTarget) && double.IsFinite(lawOnRun)
            ? observed * (lawAtTarget / lawOnRun) : double.NaN;

    // A run's shape depends on its LRs alone: read once per LR array (ObservedBest.ReadOf; protocol 6 plans six times from one set of runs).
    /// <summary>The run's planner shape (<see cref="ObservedBest.Read"/>), or null when no planner schedule reads it within <see cref="ObservedBest.ShapeTolerance"/>.</summary>
    public static ObservedBest.Shape? ShapeOf(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var shape = ObservedBest.ReadOf(run);
        return shape is not null && shape.Mismatch <= ObservedBest.ShapeTolerance ? shape : null;
    }

    /// <summary>
    /// O(a) of <paramref name="run"/>: its final evaluation when it has one (and <paramref name="finalEvaluation"/> allows it), else its
    /// last logged loss of <paramref name="split"/>; NaN when none.
    /// </summary>
    public static (double Loss, bool FinalEvaluation) Observed(TrainingRun run, LossSplit split, bool finalEvaluation = true)
    {
        ArgumentNullException.ThrowIfNull(run);
        double final = finalEvaluation ? HorizonBias.FinalEvaluationOf(run) : double.NaN;
        return double.IsFinite(final) ? (final, true) : (run.Final(split)?.Loss is { } l && double.IsFinite(l) && l > 0 ? l : double.NaN, false);
    }

    /// <summary>A run's peak LR (its units).</summary>
    public static double PeakOf(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.LearningRates.Length == 0 ? double.NaN : run.LearningRates.Max();
    }

    private static double Size(TrainingRun r) => r.Metadata.Parameters is { } p && p > 0 ? p : double.NaN;

    /// <summary>|ln(a / b)|, 0 when either is not a positive number (unknown: no distance counted).</summary>
    private static double LogRatio(double a, double b) => a > 0 && b > 0 && double.IsFinite(a) && double.IsFinite(b) ? Math.Abs(Math.Log(a / b)) : 0;

    /// <summary>
    /// The anchor for a schedule of <paramref name="shape"/> at <paramref name="peak"/> (runs' units), <paramref name="steps"/> and
    /// <paramref name="parameters"/> among <paramref name="runs"/> (see the class summary, item 1); null when none.
    /// </summary>
    public static Anchor? Find(ObservedBest.Shape shape, double peak, int steps, double parameters, IEnumerable<TrainingRun> runs, LossSplit split)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(runs);
        if (!(peak > 0) || !double.IsFinite(peak) || steps < 1) return null;
        var usable = runs.Where(r => !r.Diverged && r.Steps > 1 && PeakOf(r) > 0).ToList();
        if (usable.Count == 0) return null;
        // The size nearest the target (log), as the schedule-regret rule's incumbent; runs of unknown size when none is known.
        var sizes = usable.Select(Size).Where(double.IsFinite).Distinct().ToList();
        if (double.IsFinite(parameters) && parameters > 0 && sizes.Count > 0)
        {
            double size = sizes.OrderBy(s => Math.Abs(Math.Log(s / parameters))).ThenByDescending(s => s).First();
            usable = [.. usable.Where(r => Size(r) == size)];
        }
        return usable
            .Where(r => LogRatio(PeakOf(r), peak) <= Math.Log(PeakFactor) + 1e-9 && ShapeOf(r) is { } s && ObservedBest.OneShape(s, shape))
            .Select(r => (Run: r, Observed: Observed(r, split), Distance: LogRatio(r.Steps, steps) + LogRatio(PeakOf(r), peak)))
            .Where(x => double.IsFinite(x.Observed.Loss))
            .OrderBy(x => Math.Round(x.Distance, 9)).ThenByDescending(x => x.Run.Steps).ThenBy(x => x.Run.Name, StringComparer.Ordinal)
            .Select(x => new Anchor(x.Run, x.Observed.Loss, x.Observed.FinalEvaluation)).FirstOrDefault();
    }

    /// <summary>
    /// The distance of a prediction at (<paramref name="steps"/>, <paramref name="parameters"/>, <paramref name="peak"/>) from its anchor
    /// <paramref name="run"/>, as the interval's ratios (each &gt;= 1, either way up; an unknown one 1): its <see cref="ConformalIntervalProvider.Distance"/>
    /// is |ln(steps ratio)| + |ln(size ratio)| + |ln(peak ratio)|.
    /// </summary>
    public static PlanExtrapolation Distance(TrainingRun run, int steps, double parameters, double peak)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new PlanExtrapolation(Math.Exp(LogRatio(steps, run.Steps)), Math.Exp(LogRatio(parameters, Size(run))), Math.Exp(LogRatio(peak, PeakOf(run))));
    }

    /// <summary>
    /// The calibration residuals of the anchored predictor within <paramref name="runs"/> (the law's runs): for each horizon (steps) above
    /// the shortest, the law refitted on the runs shorter than it (<paramref name="refit"/>: runs -&gt; a predictor of a run's final loss),
    /// predicting each run j at that horizon that has an anchor a among those runs (<see cref="Pairs"/>):
    /// r = A(j) / (O(a) x F(j) / F(a)) - 1, A and O both final evaluations when both runs have one, else both the last logged loss of
    /// <paramref name="split"/>. Split <see cref="Split"/>; distance <see cref="Distance"/> of j from a. A horizon with no anchored run is
    /// not refitted.
    /// </summary>
    public static List<CalibrationResidual> Residuals(IReadOnlyList<TrainingRun> runs, LossSplit split, Func<IReadOnlyList<TrainingRun>, Func<TrainingRun, double>> refit)
    {
        ArgumentNullException.ThrowIfNull(refit);
        var usable = Usable(runs);
        var result = new List<CalibrationResidual>();
        foreach (var level in Pairs(runs, split).GroupBy(x => x.Run.Steps))
        {
            var predict = refit([.. usable.Where(r => r.Steps < level.Key)]);
            foreach (var (j, a, actual, observed) in level)
            {
                double p = Predict(observed, predict(j), predict(a.Run));
                if (!double.IsFinite(p)) continue;
                var d = Distance(a.Run, j.Steps, Size(j), PeakOf(j));
                result.Add(new CalibrationResidual(j.Name, Split, p, actual, new ExtrapolationDistance(d.HorizonRatio, d.SizeRatio, d.LrRatio)));
            }
        }
        return result;
    }

    /// <summary>
    /// The pairs <see cref="Residuals"/> predicts, without a fit, by horizon (shortest first): each run j of <paramref name="runs"/> above
    /// the shortest horizon with an anchor a among the shorter runs (<see cref="Find"/> with j's shape, peak, steps and size), a finite
    /// A(j) and a positive finite O(a), on the same scale as A(j) (both final evaluations when both runs have one). <see cref="Residuals"/> keeps those whose
    /// prediction is finite: as many unless a refitted law predicts a non-finite or non-positive loss.
    /// </summary>
    public static List<(TrainingRun Run, Anchor Anchor, double Actual, double Observed)> Pairs(IReadOnlyList<TrainingRun> runs, LossSplit split)
    {
        var usable = Usable(runs);
        var result = new List<(TrainingRun, Anchor, double, double)>();
        foreach (int level in usable.Select(r => r.Steps).Distinct().Order().Skip(1))
        {
            var below = usable.Where(r => r.Steps < level).ToList();
            foreach (var j in usable.Where(r => r.Steps == level))
            {
                if (ShapeOf(j) is not { } shape || Find(shape, PeakOf(j), level, Size(j), below, split) is not { } a) continue;
                // One scale per pair: both final evaluations, or both logged losses of the split.
                bool final = a.FinalEvaluation && double.IsFinite(HorizonBias.FinalEvaluationOf(j));
                double actual = Observed(j, split, final).Loss, observed = final ? a.Observed : Observed(a.Run, split, false).Loss;
                if (double.IsFinite(actual) && observed > 0 && double.IsFinite(observed)) result.Add((j, a, actual, observed));
            }
        }
        return result;
    }

    private static List<TrainingRun> Usable(IReadOnlyList<TrainingRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return [.. runs.Where(r => !r.Diverged && r.Steps > 1)];
    }

    /// <summary>The decision as a plan reason (numbers only; <see cref="PlanExplainer"/> words it).</summary>
    public static PlanReason Reason(AnchoredLossDecision d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new PlanReason(ReasonKind.AnchoredLoss, "a run of the plan's shape")
        {
            ChosenLabel = d.Run,
            Chosen = d.Predicted,
            Labels = [d.Run],
            Quantities = Planner.Qs(("observed", d.Observed), ("finalEvaluation", d.FinalEvaluation ? 1 : 0), ("lawOnRun", d.LawOnRun), ("lawAtTarget", d.LawAtTarget),
                ("ratio", d.Ratio), ("predicted", d.Predicted), ("lower", d.Lower), ("upper", d.Upper), ("residuals", d.Residuals), ("calibrated", d.Calibrated ? 1 : 0),
                ("runSteps", d.RunSteps), ("runPeak", d.RunPeak), ("distance", d.Distance), ("withoutLoss", d.WithoutLoss), ("withoutLower", d.WithoutLower),
                ("withoutUpper", d.WithoutUpper), ("applied", d.Applied ? 1 : 0)),
        };
    }

    /// <summary>A short label, for tables.</summary>
    public static string Label(AnchoredLossDecision d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return d.Run.Length == 0 ? "no anchor" : Invariant($"{d.Run}: {d.Observed:0.####} x {d.Ratio:0.#####} = {d.Predicted:0.####}");
    }
}
