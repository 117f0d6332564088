using System.Globalization;
using HyperLaws.Evaluation;
using HyperLaws.Runs;

namespace HyperLaws.Planning;

/// <summary>
/// The bias of the plan's horizon extrapolation, measured within the runs (docs/VALIDATION.md "Protocol 6: where the horizon
/// error comes from"): the residuals r = actual / predicted - 1 of the planner's own out-of-sample final-loss predictions one
/// step back in horizon (the held-out check's predictions of the longest runs and the nested-horizon fits of
/// <see cref="ConformalIntervalProvider.Residuals"/>, no extra fit), each with its run's peak LR. The plan's final loss is then
/// the law's x (1 + b), b the mean residual of the runs at the peak LR nearest the plan's (in log; all runs when that LR has
/// fewer than <see cref="MinimumResiduals"/>). Two things enter b, both seen on the 124M grid:
/// <list type="bullet">
/// <item>the law's systematic horizon drift, which depends on the peak LR for a law that sees the LR only through its sums
/// (pooled over LRs the residuals of one grid ranged from -7% at the lowest LR to 0% at the highest);</item>
/// <item>the estimator offset: when the runs carry a final evaluation at their last step (<see cref="FinalEvaluationOf"/>, e.g. a
/// W&amp;B export's history.final-val), the actual losses are those, so the plan predicts the final evaluation rather than the
/// logged curve's level (the grid's 32-batch validation points lie 1.2% below its final-val at every horizon; its train
/// points, one shared minibatch per step, -2.6% to +4.2%).</item>
/// </list>
/// The correction assumes the bias one horizon step back carries to the target; it is a mean, not a law, and is reported with
/// the residual count (<see cref="HorizonCorrection"/>).
/// </summary>
public sealed class HorizonBias
{
    /// <summary>Fewest residuals at one peak LR for a correction of that LR alone; with fewer, every residual is pooled.</summary>
    public const int MinimumResiduals = 3;

    /// <summary>The residual splits of <see cref="ConformalIntervalProvider.Residuals"/> that are horizon extrapolations.</summary>
    public static readonly IReadOnlyList<string> HorizonSplits = ["held-out", "nested"];

    /// <summary>
    /// The split of the pseudo horizon step (<see cref="ConformalIntervalProvider.PseudoStep"/>): the runs shorter than the longest, each cut
    /// to 1 / R of its steps, predicting its end. A horizon residual for the interval's cross-step correction only (<see cref="WithPseudoStep"/>),
    /// never for the plan's own correction.
    /// </summary>
    public const string PseudoSplit = "pseudo";

    private readonly IReadOnlyList<string> _splits;

    private HorizonBias(IReadOnlyList<HorizonResidual> residuals, IReadOnlyList<string>? splits = null)
    {
        Residuals = residuals;
        _splits = splits ?? HorizonSplits;
    }

    /// <summary>The residuals the bias is the mean of (all on one scale: every one a final evaluation, or none).</summary>
    public IReadOnlyList<HorizonResidual> Residuals { get; }

    /// <summary>True when the actual losses are the runs' final evaluations.</summary>
    public bool FinalEvaluation => Residuals.Count > 0 && Residuals[0].FinalEvaluation;

    /// <summary>
    /// The horizon residuals among <paramref name="residuals"/> (splits <see cref="HorizonSplits"/>) with their runs' peak LRs
    /// (runs matched by name in <paramref name="runs"/>). When at least <see cref="MinimumResiduals"/> of them are of runs with a
    /// final evaluation, only those are kept, with that evaluation as the actual loss; else all, with the logged curve's last loss.
    /// </summary>
    public static HorizonBias From(IReadOnlyList<CalibrationResidual> residuals, IReadOnlyList<TrainingRun> runs)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        return From(residuals.Where(r => HorizonSplits.Contains(r.Split)).Select(r => (r.Run, r.Predicted, r.Actual)), runs);
    }

    /// <summary>
    /// The residuals of a law's held-out check (<paramref name="accuracy"/>: fitted on the shorter runs, predicting the longest):
    /// each held-out curve's last point, on the same scale rule as <see cref="From(IReadOnlyList{CalibrationResidual}, IReadOnlyList{TrainingRun})"/>.
    /// </summary>
    public static HorizonBias FromHeldOut(LawAccuracy accuracy, IReadOnlyList<TrainingRun> runs)
    {
        ArgumentNullException.ThrowIfNull(accuracy);
        return From(accuracy.Curves.Where(c => c.Actual.Length > 0 && c.Predicted.Length > 0).Select(c => (c.Run, c.Predicted[^1], c.Actual[^1])), runs);
    }

    /// <summary>
    /// The horizon residuals among <paramref name="residuals"/> with those of the pseudo step (split <see cref="PseudoSplit"/>) counted as
    /// horizon residuals too, on the scale rule of <see cref="From(IReadOnlyList{CalibrationResidual}, IReadOnlyList{TrainingRun})"/>; its
    /// <see cref="AboutOtherSteps"/> recentres the pseudo residuals as well (docs/VALIDATION.md "Intervals: a pseudo horizon step when the
    /// runs have one"). For the interval only: the plan's correction is <see cref="From(IReadOnlyList{CalibrationResidual}, IReadOnlyList{TrainingRun})"/>'s.
    /// </summary>
    public static HorizonBias WithPseudoStep(IReadOnlyList<CalibrationResidual> residuals, IReadOnlyList<TrainingRun> runs)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        IReadOnlyList<string> splits = [.. HorizonSplits, PseudoSplit];
        return From(residuals.Where(r => splits.Contains(r.Split)).Select(r => (r.Run, r.Predicted, r.Actual)), runs, splits);
    }

    /// <param name="residuals">The residuals (run, predicted, actual).</param>
    /// <param name="runs">The runs they are matched to by name.</param>
    /// <param name="splits">The residual splits counted as horizon residuals (null: <see cref="HorizonSplits"/>).</param>
    private static HorizonBias From(IEnumerable<(string Run, double Predicted, double Actual)> residuals, IReadOnlyList<TrainingRun> runs, IReadOnlyList<string>? splits = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var byName = runs.GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var horizon = residuals
            .Where(r => byName.ContainsKey(r.Run) && double.IsFinite(r.Predicted) && r.Predicted > 0 && double.IsFinite(r.Actual))
            .Select(r => (Residual: r, Run: byName[r.Run])).Where(x => x.Run.LearningRates.Length > 0).ToList();
        var evaluated = horizon.Select(x => (x.Residual, x.Run, Final: FinalEvaluationOf(x.Run))).Where(x => double.IsFinite(x.Final)).ToList();
        List<HorizonResidual> kept = evaluated.Count >= MinimumResiduals
            ? [.. evaluated.Select(x => new HorizonResidual(x.Residual.Run, x.Run.LearningRates.Max(), x.Residual.Predicted, x.Final, true) { Horizon = x.Run.Steps })]
            : [.. horizon.Select(x => new HorizonResidual(x.Residual.Run, x.Run.LearningRates.Max(), x.Residual.Predicted, x.Residual.Actual, false) { Horizon = x.Run.Steps })];
        return new HorizonBias(kept, splits);
    }

    /// <summary>
    /// The mean absolute error of the corrected predictions, each residual left out of its own correction:
    /// mean over i of |(1 + b_-i) predicted_i / actual_i - 1|, b_-i = <see cref="At"/> of the other residuals at run i's peak LR.
    /// What the correction leaves, out of sample; NaN with fewer than <see cref="MinimumResiduals"/> residuals (the floor of the
    /// correction itself: with two, each run is "corrected" by the other alone, and two errors of one size look like no error).
    /// </summary>
    public double LeaveOneOutError()
    {
        if (Residuals.Count < MinimumResiduals) return double.NaN;
        return Residuals.Select((r, i) => Math.Abs((1 + LeaveOneOutBias(i)) * r.Predicted / r.Actual - 1)).Average();
    }

    /// <summary>b_-i: the correction (<see cref="At"/>) of the residuals other than i at residual i's peak LR.</summary>
    private double LeaveOneOutBias(int i) => new HorizonBias([.. Residuals.Where((_, j) => j != i)]).At(Residuals[i].PeakLr).Bias;

    /// <summary>
    /// The calibration residuals expressed about the corrected prediction (docs/VALIDATION.md "Protocol 9, fourth round"), for an
    /// interval around the plan's corrected loss: each horizon residual of <paramref name="residuals"/> (split in
    /// <see cref="HorizonSplits"/>) whose run is among <see cref="Residuals"/> gets predicted x (1 + b_-i), b_-i the correction
    /// (<see cref="At"/>) of the other residuals at its run's peak LR (leave-one-out, as <see cref="LeaveOneOutError"/>), and as actual
    /// the loss the correction aims at (the final evaluation when <see cref="FinalEvaluation"/>); the others are kept as they are.
    /// With fewer than <see cref="MinimumResiduals"/> residuals (no leave-one-out correction to speak of) all are kept as they are.
    /// </summary>
    public IReadOnlyList<CalibrationResidual> AboutCorrected(IReadOnlyList<CalibrationResidual> residuals)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        if (Residuals.Count < MinimumResiduals) return residuals;
        return Recentred(residuals, LeaveOneOutBias);
    }

    /// <summary>
    /// The calibration residuals expressed about a prediction corrected by the bias of the *other* horizon steps (variant X,
    /// docs/VALIDATION.md "Intervals: residuals corrected across horizon steps"): a plan's target is corrected by the bias one step
    /// back, so its error is the change of the bias between steps plus the run's noise; a residual corrected by its own step's other
    /// residuals (<see cref="AboutCorrected"/>) sees only the noise. Each horizon residual of <paramref name="residuals"/> whose run is
    /// among <see cref="Residuals"/> gets predicted x (1 + b), b = <see cref="At"/> of the residuals of the other horizons
    /// (<see cref="HorizonResidual.Horizon"/>) at its run's peak LR, and as actual the loss the correction aims at; the others are kept
    /// as they are. Null when the residuals span fewer than two horizons (nothing to correct across) or number fewer than
    /// <see cref="MinimumResiduals"/>.
    /// </summary>
    public IReadOnlyList<CalibrationResidual>? AboutOtherSteps(IReadOnlyList<CalibrationResidual> residuals)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        if (Residuals.Count < MinimumResiduals || Residuals.Select(r => r.Horizon).Distinct().Count() < 2) return null;
        var byHorizon = Residuals.GroupBy(r => r.Horizon).ToDictionary(g => g.Key, g => new HorizonBias([.. Residuals.Where(o => o.Horizon != g.Key)]));
        return Recentred(residuals, i => byHorizon[Residuals[i].Horizon].At(Residuals[i].PeakLr).Bias);
    }

    /// <summary>
    /// <paramref name="residuals"/> with each horizon residual (<see cref="HorizonSplits"/>) whose run is among <see cref="Residuals"/>
    /// (its first residual there, index i) predicted x (1 + <paramref name="biasOf"/>(i)) and, as actual, that residual's loss; the others as they are.
    /// </summary>
    private IReadOnlyList<CalibrationResidual> Recentred(IReadOnlyList<CalibrationResidual> residuals, Func<int, double> biasOf)
    {
        var byRun = Residuals.Select((r, i) => (r, i)).GroupBy(x => x.r.Run, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return [.. residuals.Select(c =>
        {
            if (!_splits.Contains(c.Split) || !byRun.TryGetValue(c.Run, out var h)) return c;
            return c with { Predicted = c.Predicted * (1 + biasOf(h.i)), Actual = h.r.Actual };
        })];
    }

    /// <summary>Wraps residuals made elsewhere (tests, validation); they must all be on one scale.</summary>
    /// <exception cref="ArgumentException">Some residuals are final evaluations and some are not.</exception>
    public static HorizonBias Of(IReadOnlyList<HorizonResidual> residuals)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        if (residuals.Select(r => r.FinalEvaluation).Distinct().Count() > 1) throw new ArgumentException("the residuals mix final evaluations and logged losses.");
        return new HorizonBias([.. residuals]);
    }

    /// <summary>
    /// The correction for a plan whose peak LR is <paramref name="peakLr"/> in the runs' units: b = the mean residual of the runs
    /// at the peak LR nearest it in ln (a tie takes both), or of every residual when that LR has fewer than
    /// <see cref="MinimumResiduals"/> or <paramref name="peakLr"/> is not a positive number. <see cref="HorizonCorrection.None"/>
    /// with no residual.
    /// </summary>
    /// <param name="peakLr">The plan's peak LR in the runs' units.</param>
    /// <param name="apply">Whether the planner applies it (<see cref="HorizonCorrection.Applied"/>).</param>
    public HorizonCorrection At(double peakLr, bool apply = true)
    {
        if (Residuals.Count == 0) return HorizonCorrection.None;
        var used = Residuals;
        double at = double.NaN;
        if (double.IsFinite(peakLr) && peakLr > 0)
        {
            // Distances rounded to 6 digits in ln, so that peaks equal to the printed precision tie.
            static double Distance(double a, double b) => Math.Round(Math.Abs(Math.Log(a / b)), 6);
            double nearest = Residuals.Min(r => Distance(r.PeakLr, peakLr));
            var near = Residuals.Where(r => Distance(r.PeakLr, peakLr) == nearest).ToList();
            if (near.Count >= MinimumResiduals)
            {
                used = near;
                var peaks = near.Select(r => Math.Round(Math.Log(r.PeakLr), 6)).Distinct().ToList();
                at = peaks.Count == 1 ? near[0].PeakLr : double.NaN;
            }
        }
        return new HorizonCorrection(used.Average(r => r.Relative), used.Count, at, FinalEvaluation, apply);
    }

    /// <summary>
    /// A run's final evaluation: the loss its reader stored as the tag <c>finalValLoss</c> when the tag <c>finalValStep</c> says it
    /// was taken at the run's last step (the W&amp;B reader's history.final-val); NaN otherwise.
    /// </summary>
    public static double FinalEvaluationOf(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var tags = run.Metadata.Tags;
        return tags.TryGetValue("finalValLoss", out var loss) && tags.TryGetValue("finalValStep", out var step)
            && double.TryParse(step, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s == run.Steps
            && double.TryParse(loss, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v > 0
            ? v : double.NaN;
    }
}
