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
/// <item><b>Observed loss</b> O(a): the run's final evaluation (<see cref="HorizonBias.FinalEvaluationOf"/>, or a validation loss logged at
/// its last step) when it has one, else its last logged loss of the fitted split, which the planner replaces by <see cref="TailEstimate"/> where
/// <see cref="PlanOptions.AnchorTail"/> names that split (train by default). The horizon-bias correction is not applied on top: O(a) sets the level and the estimator's scale.</item>
/// <item><b>Why:</b> if the law's error on a shape is a factor (1 + e) at the run and at the target alike, it cancels in the ratio
/// (<see cref="Predict"/>); what is left is the change of the law's error between the run's point and the target (the horizon drift),
/// which <see cref="Residuals"/> measures one horizon step back with the same predictor.</item>
/// <item><b>Interval</b>: the residuals of this anchored predictor within the runs (<see cref="Residuals"/>; by default from every horizon
/// pair, <see cref="AllPairResiduals"/>), calibrated as a symmetric finite-sample split-conformal interval at the target's distance from its
/// anchor (<see cref="Distance"/>), read no nearer than the residuals' own (<see cref="IntervalDistance"/>).</item>
/// </list>
/// Only the number changes: the schedule is the planner's (the law's search and the schedule-regret rule decide it).
/// <para><b>Across peak LR</b> (<see cref="FindAcrossLr"/>, <see cref="PlanOptions.AnchorAcrossLr"/>; docs/VALIDATION.md "Protocol 6: the
/// plan's loss anchored across peak LR"): when no run of the plan's shape lies within <see cref="PeakFactor"/> of its peak, a law whose LR
/// enters only through progress (OptLaw, tissue, MPL) would carry the whole peak move in its ratio, and its loss keeps falling with the
/// peak. Then:</para>
/// <list type="number">
/// <item><b>Anchor</b>: the nearest run of the plan's shape (item 1's order) with a peak more than <see cref="PeakFactor"/> and at most
/// <see cref="MaxLrFactor"/> from the plan's.</item>
/// <item><b>Prediction</b> (<see cref="PredictAcrossLr"/>), with p the plan's schedule at the target, p_a the same schedule scaled to the
/// anchor's peak (every LR x eta_a / eta_p), M the plan's law and J a law of loss against peak LR (the joint law, whose LR cost term gives
/// an interior optimum: the plan's law when it is the joint law, the LR-axis prior's joint law when the plan combines it, else the joint
/// law fitted on the same runs):
/// <code>
///   L = O(a) x [ M(p_a) / M(a) ] x [ J(p) / J(p_a) ]
/// </code>
/// M answers only at the anchor's peak (horizon, size and shape: what it was chosen for), J only the move in peak LR at the target. With
/// M = J it is the same-peak formula M(p) / M(a).</item>
/// <item><b>Interval</b>: the anchored interval at the target's distance (its ln peak ratio counted), its half-widths x
/// <see cref="LrWidening"/> (|ln r| / ln 2; the residuals pair runs within x2 in peak).</item>
/// </list>
/// </summary>
public static class AnchoredLoss
{
    /// <summary>An anchor's peak LR must be within this factor of the plan's (one step of the 124M grid, the usual sweep spacing).</summary>
    public const double PeakFactor = 2;

    /// <summary>
    /// The largest factor between the plan's peak and a cross-LR anchor's (<see cref="FindAcrossLr"/>): three steps of x2 (the 124M grid's
    /// spacing). A stated limit, not fitted: beyond it no run anchors the plan, whose loss is the law's. Protocol 6's cross-LR variant scores 4x.
    /// </summary>
    public const double MaxLrFactor = 8;

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
    /// O(a) of <paramref name="run"/>: its final evaluation (the tag, or a validation loss at its last step) when it has one (and <paramref name="finalEvaluation"/> allows it), else its
    /// last logged loss of <paramref name="split"/>; NaN when none.
    /// </summary>
    public static (double Loss, bool FinalEvaluation) Observed(TrainingRun run, LossSplit split, bool finalEvaluation = true)
    {
        ArgumentNullException.ThrowIfNull(run);
        double final = finalEvaluation ? HorizonBias.FinalEvaluationOf(run) : double.NaN;
        // Without the final-evaluation tag, a validation loss logged at the run's last step is its final evaluation (Parameter Golf's
        // and modded-nanogpt's logs end on one): the plan predicts the run's evaluated loss, not its last training minibatch's.
        if (finalEvaluation && !double.IsFinite(final) && run.Final(LossSplit.Validation) is { } v && v.Step == run.Steps && double.IsFinite(v.Loss) && v.Loss > 0)
            final = v.Loss;
        return double.IsFinite(final) ? (final, true) : (run.Final(split)?.Loss is { } l && double.IsFinite(l) && l > 0 ? l : double.NaN, false);
    }

    /// <summary>
    /// The last fraction of a run's steps whose logged points <see cref="TailEstimate"/> averages (docs/VALIDATION.md "The plan's anchor
    /// without a final evaluation"): a stated tenth, not fitted.
    /// </summary>
    public const double TailFraction = 0.1;

    /// <summary>
    /// The points of <paramref name="run"/>'s <paramref name="split"/> in the last <see cref="TailFraction"/> of its steps
    /// (step &gt;= (1 - <see cref="TailFraction"/>) S), positive and finite, in step order; at least its last such point; empty when none.
    /// </summary>
    public static IReadOnlyList<LossObservation> TailPoints(TrainingRun run, LossSplit split)
    {
        ArgumentNullException.ThrowIfNull(run);
        var points = run.Split(split).Where(o => o.Step >= 1 && double.IsFinite(o.Loss) && o.Loss > 0).ToList();
        if (points.Count == 0) return [];
        double from = (1 - TailFraction) * run.Steps;
        var tail = points.Where(o => o.Step >= from).ToList();
        return tail.Count > 0 ? tail : [points[^1]];
    }

    /// <summary>
    /// O(a) of an anchor without a final evaluation, estimated from its last tenth (docs/VALIDATION.md "The plan's anchor without a
    /// final evaluation"): with F(s) the plan's law on the run's own point (<paramref name="law"/>: ascending steps -&gt; the law's losses
    /// there; the call that gives L_law(a) = F(S)) and W = <see cref="TailPoints"/>,
    /// <code>
    ///   O_tail = F(S) x exp( mean over i in W of ln(y_i / F(s_i)) )
    /// </code>
    /// the run's mean level against the law's shape over its last tenth (a minibatch's noise averaged over |W| points), carried to its
    /// last step S by that shape (a validation point logged before S, or a train curve still falling in its cooldown). NaN when W is
    /// empty or the law is not positive and finite at S and at every point of W.
    /// </summary>
    public static double TailEstimate(TrainingRun run, LossSplit split, Func<int[], double[]> law) => TailEstimateWithEnd(run, split, law, out _, out _);

    /// <summary>
    /// <see cref="TailEstimate"/>, with what the planner reads of the same request: the law's
    /// F(S) at the run's last step S (<paramref name="atEnd"/>, L_law(a) of the anchored loss; null when the law was not asked, W empty,
    /// or answered with another count of values) and the step of W's first point (<paramref name="from"/>; 0 when W is empty). One
    /// request serves both: the planner's plans are bit for bit those of asking F(S) alone (docs/VALIDATION.md "The anchor's law
    /// asked once"), by the invariant that a law's value at a step does not depend on the other steps asked with it (each plan law
    /// evaluates its history once and reads each asked step from it; AnchorTailTests checks it bit for bit for the joint, LR-axis
    /// and stretched plan laws).
    /// </summary>
    public static double TailEstimateWithEnd(TrainingRun run, LossSplit split, Func<int[], double[]> law, out double? atEnd, out int from)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(law);
        (atEnd, from) = (null, 0);
        var tail = TailPoints(run, split);
        if (tail.Count == 0) return double.NaN;
        from = tail[0].Step;
        int[] steps = [.. tail.Select(o => o.Step).Append(run.Steps).Distinct().Order()];
        double[] f = law(steps);
        if (f.Length != steps.Length) return double.NaN;
        // S is the last of the ascending steps (no tail point is after the run's last step).
        double end = f[Array.BinarySearch(steps, run.Steps)];
        atEnd = end;
        if (f.Any(v => !(v > 0) || !double.IsFinite(v))) return double.NaN;
        double sum = 0;
        foreach (var o in tail) sum += Math.Log(o.Loss / f[Array.BinarySearch(steps, o.Step)]);
        return end * Math.Exp(sum / tail.Count);
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
    public static Anchor? Find(ObservedBest.Shape shape, double peak, int steps, double parameters, IEnumerable<TrainingRun> runs, LossSplit split) =>
        Nearest(shape, peak, steps, parameters, runs, split, lr => lr <= Math.Log(PeakFactor) + 1e-9);

    /// <summary>
    /// The anchor across peak LR (the class summary, "Across peak LR"): as <see cref="Find"/>, but among the runs of the plan's shape whose peak is more than
    /// <see cref="PeakFactor"/> and at most <see cref="MaxLrFactor"/> from <paramref name="peak"/> (runs' units); null when none.
    /// </summary>
    public static Anchor? FindAcrossLr(ObservedBest.Shape shape, double peak, int steps, double parameters, IEnumerable<TrainingRun> runs, LossSplit split) =>
        Nearest(shape, peak, steps, parameters, runs, split, lr => lr > Math.Log(PeakFactor) + 1e-9 && lr <= Math.Log(MaxLrFactor) + 1e-9);

    /// <summary>
    /// The nearest run of <paramref name="shape"/> at the size nearest the target whose |ln(peak ratio)| passes <paramref name="peakWindow"/>:
    /// the least |ln(steps ratio)| + |ln(peak ratio)|, ties to the longer run, then by name.
    /// </summary>
    private static Anchor? Nearest(ObservedBest.Shape shape, double peak, int steps, double parameters, IEnumerable<TrainingRun> runs, LossSplit split, Func<double, bool> peakWindow)
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
        var candidates = usable.Where(r => peakWindow(LogRatio(PeakOf(r), peak))).ToList();
        // Each candidate's shape (ObservedBest.ReadOf: ~200 planner schedules over its steps, cached per LR array, a pure function of its
        // LRs) read on every core first: the plan's anchor across LR reads every run at its peak on the plan's critical path.
        if (candidates.Count > 1) Parallel.ForEach(candidates, r => ShapeOf(r));
        return candidates
            .Where(r => ShapeOf(r) is { } s && ObservedBest.OneShape(s, shape))
            .Select(r => (Run: r, Observed: Observed(r, split), Distance: LogRatio(r.Steps, steps) + LogRatio(PeakOf(r), peak)))
            .Where(x => double.IsFinite(x.Observed.Loss))
            .OrderBy(x => Math.Round(x.Distance, 9)).ThenByDescending(x => x.Run.Steps).ThenBy(x => x.Run.Name, StringComparer.Ordinal)
            .Select(x => new Anchor(x.Run, x.Observed.Loss, x.Observed.FinalEvaluation)).FirstOrDefault();
    }

    /// <summary>
    /// The anchored prediction across peak LR (the class summary, "Across peak LR", item 2):
    /// L = <paramref name="observed"/> x [<paramref name="lawAtRunPeak"/> / <paramref name="lawOnRun"/>] x [<paramref name="lrLawAtTarget"/> / <paramref name="lrLawAtRunPeak"/>]:
    /// the plan's law's ratio of the plan's schedule moved to the run's peak to the run's own point (horizon, size, shape at one peak), times
    /// the LR law's ratio of the plan's schedule at its own peak to the same schedule at the run's peak (the peak-LR part). NaN unless all
    /// five are positive and finite.
    /// </summary>
    public static double PredictAcrossLr(double observed, double lawAtRunPeak, double lawOnRun, double lrLawAtTarget, double lrLawAtRunPeak) =>
        Predict(observed, lawAtRunPeak, lawOnRun) is var atPeak && double.IsFinite(atPeak) ? Predict(atPeak, lrLawAtTarget, lrLawAtRunPeak) : double.NaN;

    /// <summary>
    /// The factor by which a cross-LR anchor's interval half-widths grow (the class summary, "Across peak LR", item 3): max(1, |ln r| / ln <see cref="PeakFactor"/>),
    /// r the plan's peak / the anchor's. The anchored residuals that calibrate the interval pair runs within <see cref="PeakFactor"/> of
    /// each other in peak; a smooth law's error in the LR part grows to first order with |ln r|, so the calibrated half-width (an LR move
    /// of at most ln 2) is scaled by |ln r| / ln 2: x2 at 4x, x3 at 8x. 1 for an unknown ratio.
    /// </summary>
    public static double LrWidening(double lrRatio) =>
        lrRatio > 0 && double.IsFinite(lrRatio) ? Math.Max(1, Math.Abs(Math.Log(lrRatio)) / Math.Log(PeakFactor)) : 1;

    /// <summary>[<paramref name="lower"/>, <paramref name="upper"/>] about <paramref name="predicted"/> with each half-width x <paramref name="factor"/>, the lower end at or above 0.</summary>
    public static (double Lower, double Upper) Widen(double predicted, double lower, double upper, double factor) =>
        (Math.Max(0, predicted - factor * (predicted - lower)), predicted + factor * (upper - predicted));

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
    /// The distance at which the anchored interval is read with <see cref="PlanOptions.AnchoredIntervalPairs"/> (docs/VALIDATION.md
    /// "Protocol 6: the anchored interval from every horizon pair", item 3): d* = max(d, min_i d_i), d the target's distance from its
    /// anchor and d_i the residuals' distances; the half-width is then Q (1 + g d*) (<see cref="ConformalInterval.HalfWidth(double)"/>).
    /// Why: the growth g is the stated prior (<see cref="ConformalCalibration.PriorGrowth"/>; no horizon pair lies within
    /// <see cref="ConformalCalibration.Beyond"/> to fit it), which widens the interval beyond the distances the residuals show; read below
    /// them it would narrow it below their own quantile, although part of the error (the final evaluation of two runs, one seed each)
    /// does not shrink with the horizon ratio (protocol 6's 35k plans: residuals at ln(25/15), targets at ln(35/25), the half-width
    /// scaled by 1.34 / 1.51). <paramref name="distance"/> when there is no residual.
    /// </summary>
    public static double IntervalDistance(double distance, IReadOnlyList<CalibrationResidual> residuals)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        return residuals.Count == 0 ? distance : Math.Max(distance, residuals.Min(r => r.Distance.Value));
    }

    /// <summary>
    /// The calibration residuals of the anchored predictor within <paramref name="runs"/> (the law's runs): for each horizon (steps) above
    /// the shortest, the law refitted on the runs shorter than it (<paramref name="refit"/>: runs -&gt; a predictor of a run's final loss),
    /// predicting each run j at that horizon that has an anchor a among those runs (<see cref="Pairs"/>):
    /// r = A(j) / (O(a) x F(j) / F(a)) - 1, A and O both final evaluations when both runs have one, else both the last logged loss of
    /// <paramref name="split"/>. Split <see cref="Split"/>; distance <see cref="Distance"/> of j from a. A horizon with no anchored run is
    /// not refitted.
    /// With <see cref="PlanOptions.AnchoredIntervalPairs"/> (docs/VALIDATION.md "Protocol 6: the anchored interval from every horizon
    /// pair") the planner calls <see cref="AllPairResiduals"/> instead.
    /// </summary>
    public static List<CalibrationResidual> Residuals(IReadOnlyList<TrainingRun> runs, LossSplit split, Func<IReadOnlyList<TrainingRun>, Func<TrainingRun, double>> refit)
    {
        ArgumentNullException.ThrowIfNull(refit);
        var usable = Usable(runs);
        var result = new List<CalibrationResidual>();
        foreach (var level in Pairs(runs, split).GroupBy(x => x.Run.Steps))
        {
            var predict = refit([.. usable.Where(r => r.Steps < level.Key)]);
            foreach (var pair in level)
                if (Residual(pair, predict) is { } r) result.Add(r);
        }
        return result;
    }

    /// <summary>
    /// The residual of one pair (j, a) under <paramref name="predict"/>: r = A(j) / (O(a) x F(j) / F(a)) - 1 at the distance
    /// <see cref="Distance"/> of j from a; null when the prediction is not finite.
    /// </summary>
    private static CalibrationResidual? Residual((TrainingRun Run, Anchor Anchor, double Actual, double Observed) pair, Func<TrainingRun, double> predict)
    {
        var (j, a, actual, observed) = pair;
        double p = Predict(observed, predict(j), predict(a.Run));
        if (!double.IsFinite(p)) return null;
        var d = Distance(a.Run, j.Steps, Size(j), PeakOf(j));
        return new CalibrationResidual(j.Name, Split, p, actual, new ExtrapolationDistance(d.HorizonRatio, d.SizeRatio, d.LrRatio));
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
                if (PairOf(j, below, split) is { } pair) result.Add(pair);
        }
        return result;
    }

    /// <summary>
    /// How many residuals the anchored predictor's calibration can have, without a fit: <see cref="Pairs"/>' count, or with
    /// <paramref name="allPairs"/> (<see cref="PlanOptions.AnchoredIntervalPairs"/>) the pairs <see cref="AllPairResiduals"/> predicts (each run
    /// with its anchor among the runs of every shorter horizon, <see cref="AllPairs"/>). The residuals are as many unless a refitted law predicts a non-finite loss.
    /// </summary>
    public static int PairCount(IReadOnlyList<TrainingRun> runs, LossSplit split, bool allPairs)
    {
        return allPairs ? AllPairs(Usable(runs), split).Count() : Pairs(runs, split).Count;
    }

    /// <summary>
    /// The pairs <see cref="AllPairResiduals"/> predicts, by anchor horizon h' (shortest first), then by j's horizon: each run j above h'
    /// with its anchor among the runs at h' (<see cref="PairOf"/>). A pair whose anchor is of another size than j is skipped where j's size
    /// (known) has runs at or below h': there the nearest rule (<see cref="Find"/> among the runs up to h') would anchor j on its own size;
    /// <see cref="Find"/> among the runs at h' alone takes the nearest size only because j's has none at h'.
    /// </summary>
    private static IEnumerable<(int From, (TrainingRun Run, Anchor Anchor, double Actual, double Observed) Pair)> AllPairs(List<TrainingRun> usable, LossSplit split)
    {
        foreach (int from in usable.Select(r => r.Steps).Distinct().Order().SkipLast(1))
        {
            var at = usable.Where(r => r.Steps == from).ToList();
            foreach (var j in usable.Where(r => r.Steps > from).OrderBy(r => r.Steps))
            {
                if (PairOf(j, at, split) is not { } pair) continue;
                double size = Size(j);
                if (double.IsFinite(size) && Size(pair.Anchor.Run) != size && usable.Any(r => r.Steps <= from && Size(r) == size)) continue;
                yield return (from, pair);
            }
        }
    }

    /// <summary>
    /// Run <paramref name="j"/> with its anchor among <paramref name="candidates"/> (<see cref="Find"/> with j's shape, peak, steps and size),
    /// its A(j) and the anchor's O(a) on one scale (both final evaluations when both runs have one, else both the last logged loss of
    /// <paramref name="split"/>); null when j reads as no planner shape, has no anchor, or either loss is not a positive finite number.
    /// </summary>
    private static (TrainingRun Run, Anchor Anchor, double Actual, double Observed)? PairOf(TrainingRun j, IReadOnlyList<TrainingRun> candidates, LossSplit split)
    {
        if (ShapeOf(j) is not { } shape || Find(shape, PeakOf(j), j.Steps, Size(j), candidates, split) is not { } a) return null;
        // One scale per pair: both final evaluations, or both logged losses of the split.
        bool final = a.FinalEvaluation && double.IsFinite(HorizonBias.FinalEvaluationOf(j));
        double actual = Observed(j, split, final).Loss, observed = final ? a.Observed : Observed(a.Run, split, false).Loss;
        return double.IsFinite(actual) && observed > 0 && double.IsFinite(observed) ? (j, a, actual, observed) : null;
    }

    /// <summary>
    /// The anchored predictor's residuals from every horizon pair within <paramref name="runs"/> (docs/VALIDATION.md "Protocol 6: the
    /// anchored interval from every horizon pair", item 1): for each horizon h' of the runs below the longest, the law refitted on the runs
    /// of horizons up to h' (<paramref name="refit"/>; the nested-horizon fits the interval already makes: the runs up to h' are the runs
    /// below the next horizon), predicting each run j at every longer horizon h that has an anchor a among the runs at h' (<see cref="PairOf"/>):
    /// r = A(j) / (O(a) x F(j) / F(a)) - 1, distance <see cref="Distance"/> of j from a (ln(h / h') + |ln size ratio| + |ln peak ratio|).
    /// Why the fit stops at the anchor's horizon: the plan's own fit has seen no run longer than its anchor, so each pair extrapolates as the
    /// plan does, by its own horizon ratio. The pairs of the horizon just below h are those of <see cref="Residuals"/>' default where the anchor
    /// lies there; the pairs reaching further back add the extrapolations of larger ratios (each scored at its own distance by the interval's
    /// growth, <see cref="ConformalCalibration.Calibrate(IReadOnlyList{CalibrationResidual}, double)"/>), and a second draw of the law's
    /// horizon drift where the runs have three horizons or more. Ordered by h', then h, then the runs' order. A horizon with no anchored run
    /// is not refitted. A pair of two sizes is skipped where j's own size has runs up to h' (<see cref="AllPairs"/>): the nearest rule's size.
    /// </summary>
    public static List<CalibrationResidual> AllPairResiduals(IReadOnlyList<TrainingRun> runs, LossSplit split, Func<IReadOnlyList<TrainingRun>, Func<TrainingRun, double>> refit)
    {
        ArgumentNullException.ThrowIfNull(refit);
        var usable = Usable(runs);
        var result = new List<CalibrationResidual>();
        foreach (var level in AllPairs(usable, split).GroupBy(x => x.From))
        {
            var predict = refit([.. usable.Where(r => r.Steps <= level.Key)]);
            foreach (var (_, pair) in level)
                if (Residual(pair, predict) is { } r) result.Add(r);
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
            Labels = d.LrLaw.Length > 0 ? [d.Run, d.LrLaw] : [d.Run],
            Quantities = Planner.Qs(("observed", d.Observed), ("finalEvaluation", d.FinalEvaluation ? 1 : 0), ("tail", d.Tail ? 1 : 0), ("tailFrom", d.TailFrom), ("lastLogged", d.LastLogged), ("lawOnRun", d.LawOnRun), ("lawAtTarget", d.LawAtTarget),
                ("ratio", d.Ratio), ("predicted", d.Predicted), ("lower", d.Lower), ("upper", d.Upper), ("residuals", d.Residuals), ("calibrated", d.Calibrated ? 1 : 0),
                ("runSteps", d.RunSteps), ("runPeak", d.RunPeak), ("distance", d.Distance), ("withoutLoss", d.WithoutLoss), ("withoutLower", d.WithoutLower),
                ("withoutUpper", d.WithoutUpper), ("applied", d.Applied ? 1 : 0), ("acrossLr", d.AcrossLr ? 1 : 0), ("lrRatio", d.LrRatio),
                ("lawAtRunPeak", d.LawAtRunPeak), ("lrLawAtTarget", d.LrLawAtTarget), ("lrLawAtRunPeak", d.LrLawAtRunPeak), ("widening", d.Widening),
                ("lawRatioPredicted", d.LawRatioPredicted), ("pairs", d.Pairs ? 1 : 0), ("intervalDistance", d.IntervalDistance)),
        };
    }

    /// <summary>A short label, for tables.</summary>
    public static string Label(AnchoredLossDecision d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return d.Run.Length == 0 ? "no anchor" : Invariant($"{d.Run}: {d.Observed:0.####} x {d.Ratio:0.#####} = {d.Predicted:0.####}");
    }
}
