using System.Globalization;
using HyperLaws.Divergence;
using HyperLaws.Planning;
using HyperLaws.Runs;
using static System.FormattableString;

namespace HyperLaws.Validation;

/// <summary>One plan at one horizon, with one law fitted on one split, scored against the grid.</summary>
/// <param name="Horizon">H (steps).</param>
/// <param name="Law">The law asked for.</param>
/// <param name="FitOn">The split it was fitted on.</param>
/// <param name="Choice">The plan's schedule.</param>
/// <param name="UnitPeak">The peak the law evaluated, in the runs' LR units (the plan trains at <see cref="PlanChoice.Peak"/>, this times the rule's scale).</param>
/// <param name="RuleSource">Where the LR scale came from (calibrated on the runs, or the anchor).</param>
/// <param name="Match">The nearest grid run.</param>
/// <param name="Regret">Its final validation loss / the best at H - 1.</param>
/// <param name="Predicted">The plan's predicted final loss (on the fitted split's scale; with <see cref="Correction"/> applied, on its scale).</param>
/// <param name="Lower">The plan's interval, lower end (NaN: none).</param>
/// <param name="Upper">The plan's interval, upper end.</param>
/// <param name="HeldOutError">The planner's own held-out check: its worst final-loss error on the longest available runs (it sets the interval).</param>
/// <param name="HeldOutWorst">The held-out run with that error.</param>
/// <param name="LawOnGrid">The fitted law's final loss for the matched grid run's exact schedule (the fair accuracy number).</param>
/// <param name="Actual">The matched run's final validation loss (history.final-val, the protocol's target).</param>
/// <param name="ActualSplit">The matched run's last logged loss of the fitted split (the estimator the law was fitted on).</param>
/// <param name="GridPick">The grid run at H with the lowest law prediction (the law ranking the grid's own schedules).</param>
/// <param name="GridPickRegret">Its regret.</param>
/// <param name="TiedRegret">The regret of <see cref="GridMatch.Tied"/>, NaN without a tie.</param>
/// <param name="Runs">How many runs the plan learned from.</param>
/// <param name="Seconds">Wall time of <see cref="Planner.Make"/>.</param>
public sealed record BacktestCase(int Horizon, string Law, LossSplit FitOn, PlanChoice Choice, double UnitPeak, string RuleSource, GridMatch Match, double Regret,
    double Predicted, double Lower, double Upper, double HeldOutError, string HeldOutWorst, double LawOnGrid, double Actual, double ActualSplit, GridRun GridPick,
    double GridPickRegret, double TiedRegret, int Runs, double Seconds)
{
    /// <summary>The plan's correction by the bias of its horizon extrapolation within the runs (<see cref="TrainingPlan.Correction"/>); <see cref="Predicted"/> and the interval include it when applied.</summary>
    public HorizonCorrection Correction { get; init; } = HorizonCorrection.None;

    /// <summary>The planner's held-out check after the horizon-bias correction (<see cref="LawAccuracy.CorrectedError"/>; NaN: none).</summary>
    public double HeldOutCorrectedError { get; init; } = double.NaN;

    /// <summary>The schedule-regret rule's decision in the plan (<see cref="TrainingPlan.ObservedBest"/>; null: none).</summary>
    public ObservedBestDecision? ObservedBest { get; init; }

    /// <summary>The plan's peak decision's guard kind (null: the law's optimum taken) and the runs' own evidence it was checked against (<see cref="AxisDecision.RunsEvidence"/>; null: none).</summary>
    public GuardKind? PeakGuard { get; init; }

    /// <summary>See <see cref="PeakGuard"/>.</summary>
    public PeakEvidence? RunsEvidence { get; init; }

    /// <summary>The plan's loss anchored on a run of its shape (<see cref="TrainingPlan.Anchored"/>; null: none); <see cref="Predicted"/> and the interval are its when applied.</summary>
    public AnchoredLossDecision? Anchored { get; init; }

    /// <summary>The plan's prediction without the anchor (the corrected law's): <see cref="Predicted"/> unless the anchored loss was applied.</summary>
    public double Unanchored => Anchored is { Anchored: true } a ? a.WithoutLoss : Predicted;

    /// <summary>The rule of the plan's conformal interval (<see cref="TrainingPlan.IntervalRule"/>; "" when it is not conformal).</summary>
    public string IntervalRule { get; init; } = "";

    /// <summary>The interval's relative width (upper - lower) / predicted (NaN: no interval).</summary>
    public double RelativeWidth => (Upper - Lower) / Predicted;

    /// <summary>The law's own predicted final loss, without the correction (nor the anchor): <see cref="Unanchored"/> / the correction's factor.</summary>
    public double LawPredicted => Unanchored / Correction.Factor;

    /// <summary>The law's own prediction against the matched run's final validation loss.</summary>
    public double LawPredictionError => LawPredicted / Actual - 1;

    /// <summary>True when the final validation loss lies in the interval without the correction (the law's interval; null: none).</summary>
    public bool? LawCovers => Anchored is { Anchored: true } a
        ? PlanBacktest.Covers(a.WithoutLower / Correction.Factor, a.WithoutUpper / Correction.Factor, Actual)
        : PlanBacktest.Covers(Lower / Correction.Factor, Upper / Correction.Factor, Actual);

    /// <summary>The fitted law's final loss for every candidate run at H on its exact schedule, by run name (as <see cref="LawOnGrid"/> for the matched run).</summary>
    public IReadOnlyDictionary<string, double> LawOnRuns { get; init; } = new Dictionary<string, double>();

    /// <summary>The anchor's O(a) estimators on the runs the plan learned from, their final evaluations hidden (<see cref="AnchorTailCheck"/>; docs/VALIDATION.md "The plan's anchor without a final evaluation").</summary>
    public IReadOnlyList<AnchorTailPoint> AnchorTail { get; init; } = [];

    /// <summary>The plan's warnings as <c>hyperlaws plan</c> prints them (<see cref="PlanExplainer.Warnings"/>).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The plan's prediction against the matched run's final validation loss: predicted / actual - 1.</summary>
    public double PredictionError => Predicted / Actual - 1;

    /// <summary>The law on the matched run's exact schedule against its final validation loss.</summary>
    public double LawOnGridError => LawOnGrid / Actual - 1;

    /// <summary>The law on the matched run's exact schedule against its last logged loss of the fitted split.</summary>
    public double LawOnGridSplitError => LawOnGrid / ActualSplit - 1;

    /// <summary>True when the final validation loss lies in the plan's interval (null: no interval).</summary>
    public bool? Covers => PlanBacktest.Covers(Lower, Upper, Actual);

    /// <summary>True when the last logged loss of the fitted split lies in the plan's interval (null: no interval).</summary>
    public bool? CoversSplit => PlanBacktest.Covers(Lower, Upper, ActualSplit);
}
