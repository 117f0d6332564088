using HyperLaws.Runs;
using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>The settings of <c>hyperlaws validate</c>, each read and checked once from the parse.</summary>
/// <param name="Data">The data folder (--data, resolved to the shipped data/ when left at its default).</param>
/// <param name="Protocol">The protocol to run (--protocol).</param>
/// <param name="Laws">The laws, parsed from --laws (all when not given).</param>
/// <param name="LawsGiven">Whether --laws was given (protocol 6 and protocol 4's joint report read it).</param>
/// <param name="Sizes">The model sizes of --sizes, checked against the MPL split for protocol 1 (empty for the other protocols, which do not read it).</param>
/// <param name="SizesGiven">Whether --sizes was given (Bind refuses it on every protocol but 1).</param>
/// <param name="TrainFraction">Protocol 3's --train-fraction, a cooldown fraction in (0, 1), or null for 'all' (checked in Bind whatever the protocol).</param>
/// <param name="Pooled">Protocol 3: one law across all base LRs.</param>
/// <param name="FitOn">The --fit-on curve (checked at parse time; validation when not given).</param>
/// <param name="FitOnGiven">Whether --fit-on was given (protocol 6 fits on both curves when it was not).</param>
/// <param name="Json">Print one JSON object.</param>
/// <param name="Quiet">No progress on stderr.</param>
/// <param name="Intervals">The interval-calibration options (--intervals and its bootstrap options).</param>
/// <param name="LrDataScale">Protocol 4 with --laws joint: also fit delta_eta, the LR's data scale (--lr-data-scale).</param>
/// <param name="JointNoise">Protocols 3, 7 and 8: the joint law's noise term (--joint-noise); null: the law's default.</param>
/// <param name="JointNoisePowers">Protocols 3, 7 and 8: the joint law's noise powers tried (--joint-noise-power); null: the law's default (1).</param>
/// <param name="JointLasting">Protocols 3, 4 (with --laws joint), 7 and 8: also fit the joint law's lasting term G g(peak LR) (--joint-lasting).</param>
/// <param name="JointLastingOwnScale">With JointLasting: the lasting term's own curvature kappa_l, searched (--joint-lasting-own-scale).</param>
/// <param name="JointEdge">Protocols 3, 4 (with --laws joint), 7 and 8: also fit the joint law's stability-edge cost (--joint-edge; --joint-edge-plateau: H fixed at the plateau height); null: off.</param>
/// <param name="FiniteSampleIntervals">Protocol 6: the plans' interval by the finite-sample rule (--plan-interval finite-sample).</param>
/// <param name="CentredIntervals">Protocol 6: the plans' interval by variant K (--plan-interval centred: true; symmetric or finite-sample: false); null: the planner's default.</param>
/// <param name="PseudoStepIntervals">Protocol 6: the plans' interval by variant P (--plan-interval pseudo-step: true; another rule: false); null: the planner's default.</param>
/// <param name="CrossStepIntervals">Protocol 6: the plans' interval by variant X (--plan-interval cross-step: true; another rule: false); null: the planner's default.</param>
/// <param name="SharedShape">Protocol 3, laws mpl and mpl-box: one drop shape across the base LRs (--shared-shape).</param>
/// <param name="Identification">Protocols 14 and later: when a decay term is held at its prior (--identification); null: the default rule.</param>
/// <param name="MplWideStarts">Protocol 3, per-LR MPL fits: the wider multi-start (--mpl-wide-starts).</param>
/// <param name="NoPlanRidge">Protocol 6: the plans' held-out checks without the flat-ridge stop (--no-plan-ridge).</param>
/// <param name="JointFitNoisePower">Protocols 3, 7, 8 and 10 (and 2 and 4 with --laws joint): the joint law's noise power fitted (--joint-noise-power fit).</param>
/// <param name="LrSizeScale">Protocol 4 with --laws joint: fit the LR's own size exponent gamma_eta (default; off with --no-lr-size-scale).</param>
internal sealed record ValidateSettings(
    string Data, int Protocol, IReadOnlyList<string> Laws, bool LawsGiven, IReadOnlyList<string> Sizes, bool SizesGiven, double? TrainFraction,
    bool Pooled, LossSplit FitOn, bool FitOnGiven, bool Json, bool Quiet, IntervalSettings Intervals,
    bool LrSizeScale = true, bool LrDataScale = false, HyperLaws.Laws.Joint.JointNoise? JointNoise = null,
    IReadOnlyList<double>? JointNoisePowers = null, bool JointLasting = false, bool JointLastingOwnScale = false, HyperLaws.Laws.Joint.JointEdgeHeight? JointEdge = null,
    bool FiniteSampleIntervals = false, bool SharedShape = false, bool? CentredIntervals = null, bool? CrossStepIntervals = null, HyperLaws.Fitting.IdentificationRule? Identification = null, bool MplWideStarts = false, bool NoPlanRidge = false, bool JointFitNoisePower = false,
    bool? PseudoStepIntervals = null)
{
    /// <summary>Protocol 6: the plans' interval widened by the schedule-shape distance (--plan-interval cross-step-shape: true; another rule: false); null: the planner's default.</summary>
    public bool? ShapeIntervals { get; init; }

    /// <summary>Protocols 7 and 8: the joint law's noise power across peak LRs fitted apart from its power inside a run (--joint-noise-power peak; <see cref="HyperLaws.Laws.Joint.JointFitOptions.PeakNoisePower"/>).</summary>
    public bool JointPeakNoisePower { get; init; }

    /// <summary>Protocols 7 and 8, with <see cref="JointPeakNoisePower"/>: the power inside a run fitted too, where identified (--joint-noise-power peak-fit).</summary>
    public bool JointPeakFitNoisePower { get; init; }

    /// <summary>Protocols 7 and 8, with <see cref="JointPeakFitNoisePower"/>: the intrinsic-time lags on the effective step's clock (--joint-noise-power peak-fit-clock).</summary>
    public bool JointEffectiveStepClock { get; init; }

    /// <summary>Protocols 7 and 8, with <see cref="JointPeakFitNoisePower"/>: the noise lags' shares at their prior (--joint-noise-power peak-fit-lagprior).</summary>
    public bool JointNoiseLagPrior { get; init; }

    /// <summary>Protocols 4 (with --laws joint) and 20: the lag prior only where runs have curves (--joint-lag-prior-curves-only; <see cref="HyperLaws.Laws.Joint.JointFitOptions.NoiseLagPriorNeedsCurves"/>).</summary>
    public bool JointLagPriorNeedsCurves { get; init; }

    /// <summary>Protocols 4 (with --laws joint) and 22: b_eta, the joint law's LR batch scale, fitted where identified (the default, --joint-batch-scale fit; false with off or a value; <see cref="HyperLaws.Laws.Joint.JointFitOptions.LrBatchScale"/>).</summary>
    public bool JointBatchScaleFit { get; init; } = true;

    /// <summary>Protocols 4 (with --laws joint) and 22: b_eta where not fitted (--joint-batch-scale VALUE; <see cref="HyperLaws.Laws.Joint.JointFitOptions.LrBatchExponent"/>; 0 by default).</summary>
    public double JointBatchExponent { get; init; }

    /// <summary>Protocols 14 and later: the stall check's hold of a stalled curve's recent level (default; off with --no-stall-check).</summary>
    public bool StallCheck { get; init; } = true;

    /// <summary>Protocols 14 and later: what a stalled curve's forecast holds (--stall-hold level|progress; docs/VALIDATION.md "A stall hold of the progress alone").</summary>
    public HyperLaws.Fitting.StallHold StallHold { get; init; } = HyperLaws.Fitting.StallCheck.DefaultHold;

    /// <summary>Protocols 23 and 24: the one optimizer to run (--optimizer); null: every optimizer in the folder.</summary>
    public string? Optimizer { get; init; }

    /// <summary>Protocol 23: which runs of a cell are diverged and not fitted (--divergence-label 2x|gap).</summary>
    public SweepDivergenceLabel DivergenceLabel { get; init; } = LrSweepOptimizers.DefaultLabel;

    /// <summary>Protocol 17: protocol 17c, cross-size on the SlimPajama runs (--cross-size).</summary>
    public bool CrossSize { get; init; }

    /// <summary>Protocol 17: protocol 17r, ranking candidate schedules by the ensemble's members and the ensemble (--rank; <see cref="HyperLaws.Validation.LrScheduleRanking"/>).</summary>
    public bool Rank { get; init; }

    /// <summary>Protocols 3 and 17 with --rank: protocols 3h and 17h, ensemble-lr with one peak LR held out (--lr-holdout; <see cref="HyperLaws.Validation.LrHoldOut"/>).</summary>
    public bool LrHoldout { get; init; }

    /// <summary>Protocol 3: the declared ensemble of laws and its members instead of --laws (--ensemble; <see cref="HyperLaws.Validation.EnsembleGrid"/>).</summary>
    public bool Ensemble { get; init; }

    /// <summary>Protocol 17c: the laws' time axis (--axis; steps, as declared, unless tokens).</summary>
    public HyperLaws.Validation.TimeAxis Axis { get; init; }

    /// <summary>Protocol 2: the offset's size exponent given from another source (--size-exponent); null: protocol 2's own variants.</summary>
    public double? SizeExponent { get; init; }

    /// <summary>Protocol 2: the folder of protocol 17's runs for the size exponent pooled over sources (--size-exponent pooled=DIR); null: not pooled.</summary>
    public string? PooledSizeData { get; init; }

    /// <summary>Protocol 6: the plans' anchored loss (--plan-anchor on/off, <see cref="HyperLaws.Planning.PlanOptions.AnchoredLoss"/>); null: the planner's default.</summary>
    public bool? PlanAnchor { get; init; }

    /// <summary>Protocol 6: the anchored interval from every horizon pair (--plan-anchor pairs: true, nearest: false, <see cref="HyperLaws.Planning.PlanOptions.AnchoredIntervalPairs"/>); null: the planner's default.</summary>
    public bool? PlanAnchorPairs { get; init; }

    /// <summary>Protocol 6: "across" (anchored across peak LR where no run is within x2) or "cross-lr" (every anchor across peak LR: the declared variant); "": the planner's default.</summary>
    public string PlanAnchorAcrossLr { get; init; } = "";

    /// <summary>Protocol 6: the runs decide the peak of their own shape (--plan-runs-peak on/off, <see cref="HyperLaws.Planning.PlanOptions.PeakFromRunsEvidence"/>); null: the planner's default.</summary>
    public bool? PlanRunsPeak { get; init; }

    /// <summary>Protocol 6: where the runs' evidence does not decide, their best peak as measured where the law cannot tell it from its optimum (--plan-runs-peak best, <see cref="HyperLaws.Planning.PlanOptions.PeakFromRunsBest"/>); null: the planner's default.</summary>
    public bool? PlanRunsBest { get; init; }

    /// <summary>Protocol 6: the runs' evidence read on their final evaluations (--plan-runs-loss final; last: their last logged losses; <see cref="HyperLaws.Planning.PlanOptions.PeakFromFinalEvaluation"/>); null: the planner's default.</summary>
    public bool? PlanRunsFinal { get; init; }
}
