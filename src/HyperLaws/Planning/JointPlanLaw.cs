using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Runs;
using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// The joint law (<see cref="JointLaw"/>: loss over the schedule, its peak LR, N, D and batch) as a <see cref="IPlanLaw"/>:
/// fitted on the runs in their own absolute LRs with their model size and batch (when every run gives them), it predicts a
/// target schedule's loss at the target's N and batch directly, with no scaling rule in between (the law carries the LR to
/// the target itself). The supported peaks are the runs' peak LRs as they are (<see cref="PeakSupport.RunUnitsPerTarget"/> 1).
/// A size or batch that some run does not give is left out for every run and for the target (NaN: the law's reference), so
/// runs and target are on one footing.
/// </summary>
public sealed class JointPlanLaw : IPlanLaw
{
    /// <summary>Adapts a fit of the joint law (<see cref="FitOn"/> makes one from runs).</summary>
    /// <param name="fit">A fit of <see cref="JointLaw"/>.</param>
    /// <param name="useSize">Whether the runs' model sizes entered the fit.</param>
    /// <param name="useBatch">Whether the runs' batches entered the fit.</param>
    /// <param name="lowestPeak">The runs' lowest peak LR (absolute).</param>
    /// <param name="highestPeak">The runs' highest peak LR (absolute).</param>
    /// <param name="selection">How the mechanism was chosen, empty when it was not.</param>
    public JointPlanLaw(LawFit fit, bool useSize, bool useBatch, double lowestPeak, double highestPeak, string selection = "")
    {
        Fit = fit ?? throw new ArgumentNullException(nameof(fit));
        Law = fit.Law as JointLaw ?? throw new ArgumentException($"the joint plan law needs a fit of the joint law (got {fit.Law.Name}).");
        UseSize = useSize;
        UseBatch = useBatch;
        LowestPeak = lowestPeak;
        HighestPeak = highestPeak;
        Selection = selection ?? "";
    }

    /// <summary>The joint law's fit on the runs (absolute LRs).</summary>
    public LawFit Fit { get; }

    /// <summary>The fitted law (<see cref="LawFit.Law"/> as a <see cref="JointLaw"/>).</summary>
    public JointLaw Law { get; }

    /// <summary>True when the runs' model sizes entered the fit (the target's N is then passed to the law).</summary>
    public bool UseSize { get; }

    /// <summary>True when the runs' batches entered the fit (the target's batch is then passed to the law).</summary>
    public bool UseBatch { get; }

    /// <summary>The runs' lowest peak LR (absolute).</summary>
    public double LowestPeak { get; }

    /// <summary>The runs' highest peak LR (absolute).</summary>
    public double HighestPeak { get; }

    /// <summary>How the law's mechanism was chosen (<see cref="JointSelection.Folds"/>), empty when it was not.</summary>
    public string Selection { get; }

    /// <inheritdoc/>
    public string Name => "joint";

    /// <summary>The model size the law is asked at for <paramref name="target"/> (NaN when the runs did not give theirs).</summary>
    public double SizeAt(PlanTarget target) => UseSize ? target.Parameters : double.NaN;

    /// <summary>The batch the law is asked at for <paramref name="target"/> (NaN when the runs did not give theirs).</summary>
    public double BatchAt(PlanTarget target) => UseBatch ? target.BatchTokens : double.NaN;

    /// <summary>The joint law's losses after <paramref name="steps"/> for <paramref name="schedule"/> as it is, at <see cref="SizeAt"/> and <see cref="BatchAt"/> of the target.</summary>
    /// <inheritdoc/>
    public void Predict(LrSchedule schedule, PlanTarget target, ReadOnlySpan<int> steps, Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(target);
        Law.Predict(Fit.Parameters, new ScheduleHistory(schedule.Evaluate()), SizeAt(target), BatchAt(target), steps, output);
    }

    /// <summary>[<see cref="LowestPeak"/>, <see cref="HighestPeak"/>], the runs' peaks as they are (run units per target unit 1).</summary>
    /// <inheritdoc/>
    public PeakSupport Support(PlanTarget target) => new(LowestPeak, HighestPeak, 1);

    /// <summary>The runs as joint-law curves: their losses of <paramref name="split"/>, size and batch where every run gives them.</summary>
    public static List<JointCurve> Curves(IReadOnlyList<TrainingRun> runs, LossSplit split = LossSplit.Train, double? runsTokensPerStep = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var targets = Planner.Targets(runs, split);
        var byName = runs.GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.First());
        bool sized = UsesSize(runs), batched = UsesBatch(runs, runsTokensPerStep);
        return [.. targets.Select(t =>
        {
            var run = byName[t.Name];
            return new JointCurve(t.Name, t.History, t.Steps, t.Loss,
                sized ? run.Metadata.Parameters!.Value : double.NaN,
                batched ? (run.Metadata.TokensPerStep ?? runsTokensPerStep!.Value) : double.NaN);
        })];
    }

    /// <summary>True when every run gives its model size and there are at least two sizes (one size tells the law nothing about N).</summary>
    public static bool UsesSize(IReadOnlyList<TrainingRun> runs) =>
        runs.All(r => r.Metadata.Parameters is > 0) && runs.Select(r => r.Metadata.Parameters!.Value).Distinct().Count() >= 2;

    /// <summary>True when every run's batch is known (from its file or <paramref name="runsTokensPerStep"/>).</summary>
    public static bool UsesBatch(IReadOnlyList<TrainingRun> runs, double? runsTokensPerStep) =>
        runs.All(r => r.Metadata.TokensPerStep is > 0 || runsTokensPerStep is > 0);

    /// <summary>
    /// Fits the joint law on <paramref name="runs"/> (usable ones: not diverged, with losses) and adapts it. With
    /// <paramref name="selectMechanism"/> the mechanism is chosen by <see cref="JointLawSelection.Select"/> (cross-validation
    /// on the runs; several fits), else the full law is fitted once (<see cref="JointLawFitter.Fit"/>).
    /// </summary>
    /// <param name="fit">How the full law is fitted when the mechanism is not selected (default <see cref="JointLawFitter.Fit"/>; the planner passes one that shares the fit with the LR-axis prior's first pass and keeps it in the fit cache).</param>
    /// <param name="options">The full law's fit options (default: the law's own, <see cref="JointFitOptions"/>; the planner passes <see cref="PlanOptions.Joint"/>); with <paramref name="selectMechanism"/> the options the selection starts from.</param>
    public static JointPlanLaw FitOn(IReadOnlyList<TrainingRun> runs, LossSplit split = LossSplit.Train, double? runsTokensPerStep = null, bool selectMechanism = false,
        Func<IReadOnlyList<JointCurve>, JointFitOptions, LawFit>? fit = null, JointFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var usable = runs.Where(r => !r.Diverged && r.Observations.Count > 0 && r.Steps > 0).ToList();
        if (usable.Count == 0) throw new ArgumentException("no run with logged losses to fit the joint law on.");
        var curves = Curves(usable, split, runsTokensPerStep);
        LawFit made;
        string selection = "";
        if (selectMechanism)
        {
            var s = JointLawSelection.Select(curves, options);
            made = s.Fit;
            selection = $"{s.Chosen} ({s.Folds})";
        }
        else
        {
            options ??= new JointFitOptions();
            made = fit is null ? JointLawFitter.Fit(curves, options) : fit(curves, options);
        }
        var peaks = curves.Select(JointLawSelection.Peak).ToList();
        return new JointPlanLaw(made, UsesSize(usable), UsesBatch(usable, runsTokensPerStep), peaks.Min(), peaks.Max(), selection);
    }

    /// <summary>
    /// The planner's held-out check for the joint law: fitted on <paramref name="fitOn"/>, it predicts every logged point of
    /// <paramref name="heldOut"/> (at their own N and batch when the law uses them); PredE and WorstE are the mean and the
    /// largest per-curve mean relative error, FinalError the largest relative error of a curve's last point. Only the points at step
    /// <paramref name="from"/> or later are scored (the first fitted step: <see cref="Planner.HeldOutFrom"/>); a curve with none is left out.
    /// Fitted with <paramref name="options"/> (default: the law's own).
    /// </summary>
    internal static LawAccuracy HeldOutAccuracy(IReadOnlyList<TrainingRun> fitOn, IReadOnlyList<TrainingRun> heldOut, LossSplit split, double? runsTokensPerStep, string protocol, int from = 0,
        JointFitOptions? options = null)
    {
        var joint = FitOn(fitOn, split, runsTokensPerStep, options: options);
        var curves = Curves(heldOut, split, runsTokensPerStep).Select(c =>
        {
            int k = Array.FindIndex(c.Steps, s => s >= from);
            return k <= 0 ? (k == 0 ? c : c with { Steps = [], Loss = [] }) : c with { Steps = c.Steps[k..], Loss = c.Loss[k..] };
        }).Where(c => c.Steps.Length > 0).Select(c =>
        {
            var y = new double[c.Steps.Length];
            joint.Law.Predict(joint.Fit.Parameters, c.History, joint.UseSize ? c.ModelSize : double.NaN, joint.UseBatch ? c.BatchTokens : double.NaN, c.Steps, y);
            return new HeldOutCurve(c.Name, c.Steps.Select(s => (double)s).ToArray(), c.Loss, y);
        }).ToList();
        var errors = curves.Select(c => c.Actual.Zip(c.Predicted, (a, p) => Math.Abs(p / a - 1)).Average()).ToList();
        return new LawAccuracy("joint", protocol, errors.Average(), errors.Max(), curves.Max(c => Math.Abs(c.Predicted[^1] / c.Actual[^1] - 1)), curves);
    }

    /// <summary>
    /// The refit the conformal calibration needs (<see cref="ConformalIntervalProvider.Residuals"/>): the joint law fitted on
    /// cut-down fit targets of <paramref name="training"/> (matched by run name, so each keeps its N and batch), predicting a
    /// target's final loss at its last step. Fitted with <paramref name="options"/> (default: the law's own).
    /// </summary>
    internal static Func<IReadOnlyList<FitTarget>, Func<FitTarget, double>> Refit(IReadOnlyList<TrainingRun> training, LossSplit split, double? runsTokensPerStep,
        JointFitOptions? options = null) => train =>
    {
        var byName = train.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var cut = training.Where(r => byName.ContainsKey(r.Name)).ToList();
        var curves = Curves(cut, split, runsTokensPerStep)
            .Select(c => c with { History = byName[c.Name].History, Steps = byName[c.Name].Steps, Loss = byName[c.Name].Loss }).ToList();
        var j = new JointPlanLaw(JointLawFitter.Fit(curves, options ?? new JointFitOptions()), UsesSize(cut), UsesBatch(cut, runsTokensPerStep), 0, 0);
        var full = Curves(training, split, runsTokensPerStep).GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return t => j.Law.PredictFinalAt(j.Fit.Parameters, t.History, t.Steps[^1], j.UseSize ? full[t.Name].ModelSize : double.NaN, j.UseBatch ? full[t.Name].BatchTokens : double.NaN);
    };
}
