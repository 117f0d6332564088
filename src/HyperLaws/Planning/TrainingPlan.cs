namespace HyperLaws.Planning;

/// <summary>
/// A training plan as a decision record: hyperparameters with their sources, the best schedule and its runner-ups with
/// predicted losses, the reasons for each decision and the warnings as numbers (<see cref="PlanExplainer"/> words them), and
/// the law, target and guard that made it, from which the figure data are computed when a report is written
/// (<see cref="PlanFigureData.Compute"/>).
/// </summary>
public sealed record TrainingPlan(
    PlanRequest Request,
    PlanHyperparameters Hyperparameters,
    string Law,
    PlannedSchedule Best,
    IReadOnlyList<PlannedSchedule> RunnerUps,
    IReadOnlyList<PlanReason> Reasons,
    IReadOnlyList<PlanWarning> Warnings,
    IReadOnlyList<LawAccuracy> Accuracy,
    ScalingFigureData Scaling)
{
    /// <summary>Where the loss interval comes from.</summary>
    public IntervalKind Interval { get; init; } = IntervalKind.None;

    /// <summary>The relative half-width of a <see cref="IntervalKind.HeldOutWorst"/> interval; for a <see cref="IntervalKind.Conformal"/> one, its half-width with no extrapolation (the conformal quantile Q); NaN otherwise.</summary>
    public double IntervalRelativeError { get; init; } = double.NaN;

    /// <summary>The protocol behind the interval: the held-out check's (<see cref="LawAccuracy.Protocol"/>) or the conformal calibration's.</summary>
    public string IntervalProtocol { get; init; } = "";

    /// <summary>
    /// The last step of the longest run the law was fitted on (NaN: unknown): beyond it the predicted loss curve extrapolates
    /// in the horizon. The loss-curve figure marks it.
    /// </summary>
    public double FittedSteps { get; init; } = double.NaN;

    /// <summary>
    /// The runs' steps the law counts one plan step as (w of <see cref="BatchSteps.CriticalBatch"/>; 1: a step is a step): the law sees the
    /// plan's S steps as w S runs' steps, so the end of the fitted data (<see cref="FittedSteps"/>, runs' steps) lies at plan step FittedSteps / w.
    /// </summary>
    public double StepFactor { get; init; } = 1;

    /// <summary>How fast a <see cref="IntervalKind.Conformal"/> interval widens: half-width Q (1 + growth d), d the extrapolation distance (NaN otherwise).</summary>
    public double IntervalGrowth { get; init; } = double.NaN;

    /// <summary>
    /// With <see cref="PlanOptions.SizeIntervals"/> and a size-separate calibration, the size growth g_N of a <see cref="IntervalKind.Conformal"/>
    /// interval: half-width Q (1 + growth (ln H + ln L) + g_N ln S); NaN otherwise (the default plan: ln S is part of d).
    /// </summary>
    public double IntervalSizeGrowth { get; init; } = double.NaN;

    /// <summary>Whether <see cref="IntervalSizeGrowth"/> was fitted on the runs' own size extrapolations (false: its prior, or none).</summary>
    public bool IntervalSizeGrowthFitted { get; init; }

    /// <summary>A signed <see cref="IntervalKind.Conformal"/> interval's tails (q_lo &lt;= 0 &lt;= q_hi): predicted x [1 + q_lo (1 + growth d), 1 + q_hi (1 + growth d)]; NaN: symmetric.</summary>
    public (double Lower, double Upper) IntervalTails { get; init; } = (double.NaN, double.NaN);

    /// <summary>
    /// The rule that made a <see cref="IntervalKind.Conformal"/> interval (<see cref="Evaluation.ConformalInterval.Rule"/>: "symmetric",
    /// "signed", or "finite-sample, " and its tier); "" otherwise.
    /// </summary>
    public string IntervalRule { get; init; } = "";

    /// <summary>
    /// The correction of the predicted losses by the bias of the horizon extrapolation within the runs (<see cref="HorizonBias"/>);
    /// when <see cref="HorizonCorrection.Applied"/>, <see cref="Best"/> and <see cref="RunnerUps"/> are the law's losses x its factor.
    /// </summary>
    public HorizonCorrection Correction { get; init; } = HorizonCorrection.None;

    /// <summary>The schedule-regret rule's decision (<see cref="Planning.ObservedBest"/>); null when no law was fitted on runs.</summary>
    public ObservedBestDecision? ObservedBest { get; init; }

    /// <summary>The plan's loss anchored on a run of its shape (<see cref="Planning.AnchoredLoss"/>); null when not calibrated on runs. <see cref="Best"/> carries it when <see cref="AnchoredLossDecision.Anchored"/>.</summary>
    public AnchoredLossDecision? Anchored { get; init; }

    /// <summary>The runs the plan learned from (names or paths), for the report.</summary>
    public IReadOnlyList<string> Runs { get; init; } = [];

    /// <summary>
    /// What the readers noticed about the runs (a torn tail, an estimated size, LRs filled in, ...: <see cref="Runs.RunNote.Of(IEnumerable{Runs.TrainingRun})"/>),
    /// as data; <see cref="PlanExplainer.RunNote"/> words them. They do not change the plan.
    /// </summary>
    public IReadOnlyList<Runs.RunNote> RunNotes { get; init; } = [];

    /// <summary>The fitted schedule-to-loss law <see cref="Law"/> (in the runs' LR units), to predict other schedules with; null when the plan's law was passed in.</summary>
    public Laws.LawFit? Fit { get; init; }

    /// <summary>The model size <see cref="Fit"/> predicts at (NaN for a law of one size).</summary>
    public double FitModelSize { get; init; } = double.NaN;

    /// <summary>The law the plan decided with (absolute LRs at <see cref="Target"/>); null only in hand-made plans.</summary>
    public IPlanLaw? Model { get; init; }

    /// <summary>The point the plan trains at.</summary>
    public PlanTarget? Target { get; init; }

    /// <summary>The divergence guard the plan used; null without one.</summary>
    public IDivergenceGuard? Guard { get; init; }

    /// <summary>The decision of <paramref name="axis"/>, when the plan made one.</summary>
    public AxisDecision? Decision(PlanAxis axis) => Reasons.Select(r => r.Axis).FirstOrDefault(a => a is not null && a.Axis == axis);

    /// <summary>The entry of <see cref="PlanOptions.Laws"/> the plan's law is (null when the law was passed in).</summary>
    internal string? LawOption { get; init; }

    /// <summary>The planner's memo of evaluated schedules (spec to final loss), reused by the figure data.</summary>
    internal PlanEvaluator? Evaluator { get; init; }
}
