using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>What a plan is asked for: a model of <see cref="Parameters"/> trained on <see cref="Tokens"/> tokens with an optimizer.</summary>
public sealed record PlanRequest(double Parameters, double Tokens, TrainingOptimizer Optimizer)
{
    /// <summary>Tokens per sequence: the batch is rounded to whole sequences (times <see cref="BatchMultiple"/>).</summary>
    public int SequenceLength { get; init; } = 2048;

    /// <summary>The batch in sequences is rounded to a multiple of this (data-parallel ranks x micro-batch).</summary>
    public int BatchMultiple { get; init; } = 1;

    /// <summary>A batch fixed by the user (tokens per step), instead of the rule's; the LR follows it (Theorem 1: eta ~ sqrt(b)).</summary>
    public double? BatchTokens { get; init; }

    /// <summary>How many runner-up plans to report besides the best.</summary>
    public int RunnerUps { get; init; } = 4;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad value.</summary>
    public void Validate()
    {
        if (!(Parameters >= 1e3 && Parameters <= 1e14)) throw new ArgumentException($"the model size must be between 1e3 and 1e14 parameters (got {Parameters:G4}).");
        if (!(Tokens >= 1e5 && Tokens <= 1e16)) throw new ArgumentException($"the token budget must be between 1e5 and 1e16 (got {Tokens:G4}).");
        if (SequenceLength < 1 || SequenceLength > 1 << 22) throw new ArgumentException($"the sequence length must be between 1 and {1 << 22} tokens (got {SequenceLength}).");
        if (BatchTokens is { } b && !(b >= SequenceLength && b <= 1e12)) throw new ArgumentException($"the batch must be between one sequence ({SequenceLength} tokens) and 1e12 tokens (got {b:G4}).");
        if (BatchMultiple < 1) throw new ArgumentException($"the batch multiple must be at least 1 (got {BatchMultiple}).");
        if (RunnerUps < 0 || RunnerUps > 100) throw new ArgumentException($"the number of runner-ups must be between 0 and 100 (got {RunnerUps}).");
    }
}

/// <summary>The batch, step count, momentum and LR scale of a plan, and where they came from.</summary>
/// <param name="BatchTokens">Tokens per optimizer step (= <see cref="BatchSequences"/> x sequence length).</param>
/// <param name="BatchSequences">Sequences per optimizer step, rounded to the batch multiple.</param>
/// <param name="Steps">Optimizer steps, round(T / batch tokens).</param>
/// <param name="Momentum">beta1 (beta = 1 - alpha in the LMO theory).</param>
/// <param name="RuleLearningRate">The peak LR the scaling rule gives at the target (before the law's choice of a multiple of it).</param>
/// <param name="Source">"calibrated" (the LMO transfer rules fitted to the user's runs) or "anchor" (published rules as priors).</param>
/// <param name="SourceName">Which rule: e.g. "Step Law (Li et al. 2025)" or "LMO ridge path c = 0.41, calibrated on 12 runs".</param>
public sealed record PlanHyperparameters(double BatchTokens, int BatchSequences, int Steps, double Momentum, double RuleLearningRate, string Source, string SourceName);

/// <summary>
/// One schedule of the plan: the schedule in the target's absolute LRs, the law's predicted final loss with its interval,
/// and the divergence guard's verdict. Its predicted loss curve is figure data (<see cref="PlanFigureData"/>).
/// </summary>
/// <param name="Schedule">The schedule to train with (absolute peak LR, <see cref="PlanHyperparameters.Steps"/> steps).</param>
/// <param name="PredictedLoss">The law's final loss.</param>
/// <param name="Lower">Lower end of the interval (NaN when none).</param>
/// <param name="Upper">Upper end of the interval (NaN when none).</param>
/// <param name="Diverges">The divergence guard's verdict; null without a guard.</param>
/// <param name="DivergenceProbability">The guard's probability; NaN without one.</param>
public sealed record PlannedSchedule(LrSchedule Schedule, double PredictedLoss, double Lower, double Upper, bool? Diverges, double DivergenceProbability);

/// <summary>A rule sampled over a range of token budgets at the plan's model size, for the scaling-rules figure.</summary>
/// <param name="Name">The rule (Step Law, DeepSeek, LMO Theorem 1 through the reference, calibrated fit, ...).</param>
/// <param name="Tokens">Token budgets, increasing.</param>
/// <param name="Values">The rule's value at each budget (a learning rate, or batch tokens).</param>
/// <param name="Chosen">True for the rule the plan followed.</param>
public sealed record RuleCurve(string Name, double[] Tokens, double[] Values, bool Chosen);

/// <summary>A point of a scaling figure: the plan's value or a run's.</summary>
public sealed record ScalingPoint(string Label, double Tokens, double Value);

/// <summary>The data of the scaling-rules figures: LR and batch against the token budget, the plan and the runs marked.</summary>
public sealed record ScalingFigureData(IReadOnlyList<RuleCurve> LearningRate, IReadOnlyList<RuleCurve> BatchTokens,
    IReadOnlyList<ScalingPoint> LearningRatePoints, IReadOnlyList<ScalingPoint> BatchPoints);

/// <summary>
/// The warmup x peak-LR contour of the predicted final loss for the plan's family (others fixed as in the best plan):
/// Loss[row = warmup index, column = peak index]; NaN where the divergence screen says the run diverges.
/// <see cref="DataLimitPeak"/> is the highest LR of the law's runs carried to the target (NaN when unknown): to its right the
/// law extrapolates in LR.
/// </summary>
public sealed record ContourFigureData(string Family, double[] Peaks, double[] Warmups, double[,] Loss, double BestPeak, double BestWarmup)
{
    public double DataLimitPeak { get; init; } = double.NaN;

    /// <summary>The law's own optimum peak when a guard holds the plan elsewhere (NaN: the plan's peak is the optimum, or the optimum is at the search's edge).</summary>
    public double LawOptimumPeak { get; init; } = double.NaN;
}

/// <summary>
/// The divergence margin of the plan's schedule: the schedule scaled to each peak, with the area ratio S2/S1 of the
/// Opt-Laws criterion at eta_crit (a diagnostic) and the model's P(diverge); <see cref="EtaL"/> is the critical peak LR at the
/// plan's size and batch.
/// </summary>
public sealed record DivergenceFigureData(double[] Peaks, double[] AreaRatio, double[] Probability, double EtaL, double PlanPeak, string Predictor);

/// <summary>A run's actual curve next to the law's prediction of it, fitted without it.</summary>
public sealed record HeldOutCurve(string Run, double[] Steps, double[] Actual, double[] Predicted);

/// <summary>How well a law predicted runs it was not fitted on (the protocol in <see cref="Protocol"/>).</summary>
/// <param name="Law">The law.</param>
/// <param name="Protocol">Which runs were fitted and which held out, in words.</param>
/// <param name="PredE">Mean relative error over the held-out curves' points.</param>
/// <param name="WorstE">The largest mean relative error of one held-out curve.</param>
/// <param name="FinalError">The largest relative error of a held-out run's final loss (it widens the plan's interval).</param>
/// <param name="Curves">The held-out curves, actual and predicted.</param>
public sealed record LawAccuracy(string Law, string Protocol, double PredE, double WorstE, double FinalError, IReadOnlyList<HeldOutCurve> Curves);

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

    /// <summary>How fast a <see cref="IntervalKind.Conformal"/> interval widens: half-width Q (1 + growth d), d the extrapolation distance (NaN otherwise).</summary>
    public double IntervalGrowth { get; init; } = double.NaN;

    /// <summary>The runs the plan learned from (names or paths), for the report.</summary>
    public IReadOnlyList<string> Runs { get; init; } = [];

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

    /// <summary>The planner's memo of evaluated schedules (spec to final loss), reused by the figure data.</summary>
    internal PlanEvaluator? Evaluator { get; init; }
}
