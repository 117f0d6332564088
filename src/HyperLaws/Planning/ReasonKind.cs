namespace HyperLaws.Planning;

/// <summary>What a <see cref="PlanReason"/> decides and by which route (each kind has its own quantities, see <see cref="PlanReason"/>).</summary>
public enum ReasonKind
{
    /// <summary>Batch by the calibrated LMO transfer. Quantities: fittedExponent (NaN: none), c, r, sequences, sequenceLength, batchTokens, referenceBatch, referenceTokens.</summary>
    BatchCalibrated,

    /// <summary>Batch by a published anchor's ratio. Quantities: exponent, ratio, referenceBatch, r, batchTokens.</summary>
    BatchAnchor,

    /// <summary>Batch fixed by the request; the LR follows as sqrt(batch). Quantities: batchTokens, ratio (to the rule's), ruleBatch, lrFactor.</summary>
    BatchFixed,

    /// <summary>LR across budgets by the calibrated transfer. Quantities: referencePeak, r, exponent, learningRate.</summary>
    LrCalibrated,

    /// <summary>LR across budgets by an anchor's ratio. Quantities: referencePeak, ratio, learningRate, anchorAlone.</summary>
    LrAnchor,

    /// <summary>The runs' LR exponent against the theory's. Quantities: fitted, theory.</summary>
    LrCalibrationCheck,

    /// <summary>The anchor's LR rises with the budget while the theory's falls. Quantities: exponent.</summary>
    LrTheoryDisagrees,

    /// <summary>LR across model sizes by Step Law's N exponent. Quantities: referenceSize, size, exponent, factor.</summary>
    LrAcrossSize,

    /// <summary>Momentum on the ridge path. Quantities: c, from, to, assumed (1: the runs do not give theirs).</summary>
    Momentum,

    /// <summary>Steps = budget / batch. Quantities: tokens, batchTokens, steps.</summary>
    Steps,

    /// <summary>
    /// The sequence length (tokens per sequence, the unit the batch is rounded to) taken from the runs, which all state the same one,
    /// as none was given (<see cref="PlanRequest.SequenceLengthFromRuns"/>). Chosen: the length. Quantities: runs (how many state it),
    /// default (the length kept otherwise).
    /// </summary>
    SequenceLength,

    /// <summary>The schedule-to-loss law: the smallest worst held-out final-loss error. Considered: each law, Loss = its error.</summary>
    Law,

    /// <summary>The schedule family. Considered: each family's best (Value = its peak, Loss = its final loss). Labels: the families that cannot be built at the warmup (not compared).</summary>
    Family,

    /// <summary>
    /// The peak LR: see <see cref="PlanReason.Axis"/>. When the schedule-regret rule keeps the runs' best schedule and the peak is decided
    /// again for it (<see cref="PlanOptions.PeakForKeptSchedule"/>), Quantities: redecided (1), pickPeak and pickLoss (the law's pick's peak and loss).
    /// </summary>
    PeakLr,

    /// <summary>
    /// The warmup: see <see cref="PlanReason.Axis"/> (its <see cref="AxisDecision.WarmupGuard"/> when guarded). Quantities: given (1: the
    /// user's warmup, no search, no axis); when the schedule-regret rule keeps the runs' best schedule and its run has a warmup (else
    /// the plan's decision stands, unmarked), redecided (1), pickWarmup (the law's pick's), fromRun (1: the kept run's own warmup,
    /// Labels[0] the run), runWarmup, and heldAtLimit (1: the run's own below the warmup guard's limit, held there; the axis keeps
    /// the guard) or capped (1: held at the search's top).
    /// </summary>
    Warmup,

    /// <summary>The wsd cooldown: see <see cref="PlanReason.Axis"/>.</summary>
    Cooldown,

    /// <summary>The final LR as a fraction of the peak. Considered: each floor (Value) and its loss.</summary>
    FinalLr,

    /// <summary>
    /// The LR axis from the LR-axis prior (the runs have one peak LR). Chosen: the prior's optimum for its reference schedule at
    /// the target. Quantities: ratio (x*), curvature (k, the prior's), reachedCurvature, etaRef, kappa, cost, costClipped (1/0),
    /// runsPeak, supportLow, supportHigh, cells, combined (1: with the chosen law, <see cref="LrAxisPlanLaw"/>; 0: the joint law plans), referencePeak.
    /// </summary>
    LrAxisPrior,

    /// <summary>
    /// The predicted final loss corrected by the bias of the horizon extrapolation within the runs (<see cref="Planning.HorizonBias"/>).
    /// Chosen: the bias b (a fraction). Quantities: residuals, peakLr (NaN: all pooled), finalEvaluation (1: on the runs' final
    /// evaluations), applied (1/0), lawLoss, correctedLoss.
    /// </summary>
    HorizonBias,

    /// <summary>
    /// The schedule-regret rule (<see cref="Planning.ObservedBest"/>): the law's pick against the schedule the runs show best.
    /// ChosenLabel: the <see cref="ObservedBestOutcome"/>. Chosen: the predicted gain. Labels: the best run, the incumbent's schedule at
    /// the target (at the pick's warmup, as decided), and, when the kept schedule is it rebuilt at its run's warmup, that schedule.
    /// Quantities: gain, threshold (tau; NaN: unmeasured), comparisons, pickLoss, incumbentLoss, runLoss, runsCompared,
    /// shapeMismatch, applied (1/0), kept (1: the plan's schedule is the incumbent), pickPeak, incumbentPeak (the incumbent's peak at the target),
    /// ownPeak (1: the incumbent at its own peak, the planner's peak decision for its shape; 0: at the pick's), keptLoss (only when rebuilt: its loss).
    /// </summary>
    ObservedBest,

    /// <summary>The divergence guard's verdict on the plan. Quantities: etaL, peak, areaRatio, probability, diverges (1/0), safePeak (NaN: not sought), risk (the guard's level, PlanOptions.DivergenceRisk; NaN for a guard without one).</summary>
    Divergence,

    /// <summary>
    /// The plan's loss anchored on a run of its shape (<see cref="Planning.AnchoredLoss"/>). ChosenLabel and Labels: the anchor run ("": none).
    /// Chosen: the anchored loss. Quantities: observed, finalEvaluation (1/0), tail (1: observed is the tail estimate, AnchoredLoss.TailEstimate), lastLogged (with tail: the last logged loss it replaced; NaN otherwise), lawOnRun, lawAtTarget, ratio, predicted, lower, upper, residuals,
    /// calibrated (1/0), runSteps, runPeak, distance, withoutLoss, withoutLower, withoutUpper (the plan's numbers without it), applied (1/0).
    /// </summary>
    AnchoredLoss,
}
