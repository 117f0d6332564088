using System.Globalization;
using HyperLaws.Divergence;
using HyperLaws.Planning;
using HyperLaws.Runs;
using static System.FormattableString;

namespace HyperLaws.Validation;

/// <summary>Settings of protocol 6, the backtest of <see cref="Planner"/> on the 124M schedule grid.</summary>
public sealed record PlanBacktestOptions
{
    /// <summary>The target horizons H (steps); each must be a horizon of the grid with shorter runs before it.</summary>
    public IReadOnlyList<int> Horizons { get; init; } = [25000, 35000, 50000];

    /// <summary>The laws to plan with, one plan per law (the planner's own choice among them is the one with the smallest held-out final-loss error).</summary>
    public IReadOnlyList<string> Laws { get; init; } = ["optlaw", "tissue"];

    /// <summary>The curves the planner's law is fitted on, one plan per split (<see cref="PlanOptions.FitOn"/>).</summary>
    public IReadOnlyList<LossSplit> FitOn { get; init; } = [LossSplit.Train, LossSplit.Validation];

    /// <summary>The planner's divergence screen (null: none).</summary>
    public DivergenceModel? Divergence { get; init; }

    /// <summary>Where <see cref="Divergence"/> came from, for the report.</summary>
    public string DivergenceSource { get; init; } = "";

    /// <summary>Whether the plans apply the horizon-bias correction (<see cref="PlanOptions.HorizonBias"/>); the law's own prediction is reported either way.</summary>
    public bool HorizonBias { get; init; } = true;

    /// <summary>
    /// The plans' conformal interval rule: <see cref="PlanOptions.FiniteSampleIntervals"/> (docs/VALIDATION.md "The planner's interval
    /// with few residuals"; false: the planner's default).
    /// </summary>
    public bool FiniteSampleIntervals { get; init; }

    /// <summary>
    /// The plans' interval by variant K (<see cref="PlanOptions.CentredIntervals"/>, docs/VALIDATION.md "Intervals: the tails chosen by the
    /// centre"); the default: the planner's.
    /// </summary>
    public bool CentredIntervals { get; init; } = new PlanOptions().CentredIntervals;

    /// <summary>
    /// The plans' interval by variant X (<see cref="PlanOptions.CrossStepIntervals"/>, docs/VALIDATION.md "Intervals: residuals corrected
    /// across horizon steps"); the default: the planner's.
    /// </summary>
    public bool CrossStepIntervals { get; init; } = new PlanOptions().CrossStepIntervals;

    /// <summary>
    /// The plans' interval by variant P (<see cref="PlanOptions.PseudoStepIntervals"/>, docs/VALIDATION.md "Intervals: a pseudo horizon
    /// step when the runs have one"); the default: the planner's.
    /// </summary>
    public bool PseudoStepIntervals { get; init; } = new PlanOptions().PseudoStepIntervals;

    /// <summary>
    /// The plans' interval widened by the schedule-shape distance (variant W, <see cref="PlanOptions.ShapeIntervals"/>, docs/VALIDATION.md
    /// "Intervals widened by the schedule-shape distance"); the default: the planner's.
    /// </summary>
    public bool ShapeIntervals { get; init; } = new PlanOptions().ShapeIntervals;

    /// <summary>The plans' held-out-check flat-ridge stop (<see cref="PlanOptions.HeldOutRidgeTolerance"/>; 0: off); the default: the planner's.</summary>
    public double HeldOutRidgeTolerance { get; init; } = new PlanOptions().HeldOutRidgeTolerance;

    /// <summary>The plans follow the schedule-regret rule (<see cref="PlanOptions.ObservedBest"/>); the default: the planner's.</summary>
    public bool ObservedBest { get; init; } = new PlanOptions().ObservedBest;

    /// <summary>The plans print the loss anchored on a run of their shape (<see cref="PlanOptions.AnchoredLoss"/>); the default: the planner's.</summary>
    public bool AnchoredLoss { get; init; } = new PlanOptions().AnchoredLoss;

    /// <summary>The anchored interval from every horizon pair (<see cref="PlanOptions.AnchoredIntervalPairs"/>); the default: the planner's.</summary>
    public bool AnchoredIntervalPairs { get; init; } = new PlanOptions().AnchoredIntervalPairs;

    /// <summary>The plans' anchor across peak LR (<see cref="PlanOptions.AnchorAcrossLr"/>); the default: the planner's.</summary>
    public AcrossLrAnchor AnchorAcrossLr { get; init; } = new PlanOptions().AnchorAcrossLr;

    /// <summary>The runs decide the peak of their own shape (<see cref="PlanOptions.PeakFromRunsEvidence"/>); the default: the planner's.</summary>
    public bool PeakFromRunsEvidence { get; init; } = new PlanOptions().PeakFromRunsEvidence;

    /// <summary>Where the runs' evidence does not decide, their best peak as measured where the law cannot tell it from its optimum (<see cref="PlanOptions.PeakFromRunsBest"/>); the default: the planner's.</summary>
    public bool PeakFromRunsBest { get; init; } = new PlanOptions().PeakFromRunsBest;

    /// <summary>The runs' evidence read on their final evaluations where every run of a group has one (<see cref="PlanOptions.PeakFromFinalEvaluation"/>); the default: the planner's.</summary>
    public bool PeakFromFinalEvaluation { get; init; } = new PlanOptions().PeakFromFinalEvaluation;

    /// <summary>Every anchor across peak LR (<see cref="PlanOptions.ForceAnchorAcrossLr"/>: protocol 6's cross-LR variant).</summary>
    public bool ForceAnchorAcrossLr { get; init; }

    /// <summary>The grid's batch: 200 sequences of 512 tokens (50 per device x 2 accumulation steps x 2 devices).</summary>
    public double BatchTokens { get; init; } = 102400;

    /// <summary>The grid's sequence length.</summary>
    public int SequenceLength { get; init; } = 512;
}
