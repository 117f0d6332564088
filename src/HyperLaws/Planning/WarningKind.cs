namespace HyperLaws.Planning;

/// <summary>What a <see cref="PlanWarning"/> is about (its quantities are named in each value's documentation).</summary>
public enum WarningKind
{
    /// <summary>The runs do not give their model size.</summary>
    SizeUnknown,

    /// <summary>The runs do not give their batch; it was assumed. Quantities: batchTokens, steps. Labels: the anchor, then the other runs of the reference's size when they state different batches (each one's in Values, in order).</summary>
    RunsBatchAssumed,

    /// <summary>A note of the budget transfer (<see cref="Theory.BudgetTransfer"/>), in its words: <see cref="PlanWarning.Detail"/>.</summary>
    Transfer,

    /// <summary>The calibrated optimum is at the edge of the runs' LRs at some budgets. Quantities: count, budgets. Values: the budgets.</summary>
    CalibrationAtEdge,

    /// <summary>The LR and batch scaling are a published prior, not calibrated. Labels: the anchor. Detail: why no calibration.</summary>
    AnchorPrior,

    /// <summary>Rounding the batch to whole sequences moved it. Quantities: sequences, sequenceLength, from, to.</summary>
    BatchRounded,

    /// <summary>The runs do not name their optimizer. Labels: the plan's optimizer.</summary>
    OptimizerUnknown,

    /// <summary>The runs were trained with other optimizers. Labels: the plan's optimizer, then the runs'. Detail: how the LR is carried over.</summary>
    OptimizerMismatch,

    /// <summary>Every run is at another size than the target. Quantities: runsSize, size.</summary>
    RunsAtOtherSize,

    /// <summary>
    /// The runs state two or more batches (<see cref="RunReferences.StatedBatches"/>): the schedule laws count optimizer steps, so one
    /// law fitted across them takes a step of each batch for the same progress; the plan converts only its reference run's batch to
    /// its own. Values: the batches (tokens per step, ascending).
    /// </summary>
    RunsAtSeveralBatches,

    /// <summary>The target size is outside the runs' sizes. Quantities: size, lowest, highest.</summary>
    SizeExtrapolated,

    /// <summary>Too few runs to hold any out.</summary>
    NothingHeldOut,

    /// <summary>The plan's steps exceed the longest run's. Quantities: steps, longest.</summary>
    HorizonExtrapolated,

    /// <summary>
    /// The peak is held by a guard, not the law's optimum (see the peak LR decision's guard). Labels: the <see cref="GuardKind"/>; for
    /// <see cref="GuardKind.RunsEvidence"/> also the <see cref="PeakEvidenceKind"/>, the best run's name and the loss compared
    /// ("finalEvaluation", "validation" or "train": <see cref="PeakEvidence.FinalEvaluation"/>, <see cref="PeakEvidence.Split"/>). Quantities: optimum, chosen,
    /// atEdge (1/0); for RunsEvidence also runsBest (the runs' best peak), runsBestLoss (its final loss), lower and upper (its neighbouring
    /// peaks, NaN on the side without one), all peaks at the target (the runs' own LRs / units), units (the runs' LR units per target
    /// unit) and peaks (distinct peaks in the compared group). Values: the sweep's peaks at the target.
    /// </summary>
    PeakGuarded,

    /// <summary>The plan's batch differs from the runs'. Quantities: ratio; stepFactor (the runs' steps one plan step counts: 1, or the critical-batch equivalence) and bNoise (its B_noise, NaN without).</summary>
    BatchDiffers,

    /// <summary>No divergence guard.</summary>
    NotScreened,

    /// <summary>
    /// No divergence prior exists for the plan's optimizer (the prior was fitted on another's runs): the guard is the runs' own evidence
    /// (<see cref="EvidenceDivergenceGuard"/>). Labels: the plan's optimizer, the prior's. Quantities: highestTrained, lowestDiverged
    /// (target units; +infinity when none diverged), trained, diverged (run counts).
    /// </summary>
    NoDivergencePrior,

    /// <summary>Every schedule tried is predicted to diverge. Quantities: count.</summary>
    AllDiverge,

    /// <summary>A warmup or cooldown optimum is at the edge of its search. Labels: the axis. Quantities: value, edge.</summary>
    AxisAtEdge,

    /// <summary>
    /// The warmup is held by <see cref="WarmupGuard"/> above the law's optimum (no law here models what a warmup buys). Labels: the run
    /// whose warmup it is (none for the prior). Quantities: optimum, chosen (steps), supported (steps, before the search range), prior (1: no run
    /// carries a warmup), runPeak (runs' units), comparable (1/0), atEdge (1/0). Values: the warmups (steps) of the sweep that would settle it.
    /// </summary>
    WarmupGuarded,

    /// <summary>The runs cannot tell the LR axis (one peak LR): it comes from the LR-axis prior. Quantities: runsPeak, optimalLr (the prior's at the target), cells.</summary>
    LrAxisFromPrior,

    /// <summary>
    /// The runs cannot tell the LR axis (one peak LR) and the LR-axis prior's joint fit on them is not physical at the target (its final
    /// loss on the prior's reference schedule at the prior's optimum is not a plausible cross-entropy, <see cref="LossPlausibility.IsPhysical"/>):
    /// the plan does not use the prior's axis; the law plans alone, its peak held to what the runs support. Labels: the law.
    /// Quantities: referenceLoss (the joint fit's loss there), optimalLr (the prior's optimum at the target), runsPeak, curvature (the
    /// prior's k at the target), reachedCurvature (the joint fit's), lowestObserved, floor, highestObserved, ceiling.
    /// </summary>
    LrAxisPriorNotPhysical,

    /// <summary>
    /// A predicted loss is not physical (<see cref="LossPlausibility"/>: not finite, &lt;= 0, below half the runs' lowest logged loss or above twice their highest):
    /// the plan's loss prediction cannot be trusted. Labels: where ("target": the interval's lower end of a physical final loss;
    /// "held-out": every law tried predicted such losses on the held-out runs; "floor", then the law: the plan's law has a fitted
    /// irreducible loss L0 &lt; 0 and no law given is physical in both floor and target, with quantities L0, A, alpha, predicted and upper
    /// (the interval's raised upper end; NaN: not raised); "withheld", then the law: the plan's final loss is not
    /// physical, or no law fitted on the runs was, so the plan gives none, <see cref="LossPlausibility.Withheld"/>). Quantities: predicted,
    /// lower (NaN: none), lowestObserved, floor, highestObserved, ceiling ("withheld": lawLoss and L0 instead of predicted and lower).
    /// </summary>
    LossNotPhysical,

    /// <summary>
    /// The runs name several optimizers: their peak LRs are pooled on one LR axis though each optimizer has its own LR scale
    /// (Muon's 0.02 and Adam's 0.0018 on the same model, the modded-nanogpt record of 2024-10-29). Labels: the runs' optimizers.
    /// </summary>
    OptimizersMixed,

    /// <summary>
    /// The chosen law has a term the runs cannot identify (<see cref="Fitting.Identification"/>: e.g. no run's fitted part shows an
    /// LR decrement, so the decay's drop is held at <see cref="Fitting.DecayPrior"/>). Labels: the term, then its parameters;
    /// Detail: the sentence (reason, prior, the run that would identify it).
    /// </summary>
    TermUnidentified,

    /// <summary>
    /// A run had stopped improving where the chosen law still falls (<see cref="Fitting.StallCheck"/>: over the second half of its fitted
    /// steps the loss does not fall while the law's fit does, beyond the noise): the plan's loss assumes progress that run no longer shows;
    /// the plan itself is not changed. Labels: the run. Quantities: fromStep, toStep, observedChange, lawChange, noise, critical, level.
    /// Detail: the finding in words (<see cref="Fitting.CurveStall.Finding"/>).
    /// </summary>
    RunStalled,

    /// <summary>
    /// Some runs do not give their model size while others do: the law is fitted on the runs at the reference's size, so these
    /// are left out of it (they are not taken to be at any size). Labels: the runs left out. Quantities: size (the reference's).
    /// </summary>
    RunsSizeUnknownLeftOut,

    /// <summary>
    /// The reference run states no batch and none was given: the plan takes the batch every other run at its model size states (they
    /// all state the same one). Labels: the reference run, then the runs whose batch is taken. Quantities: batchTokens, steps.
    /// </summary>
    RunsBatchFromPeer,

    /// <summary>
    /// A law fitted on the runs is not physical and was passed over (one warning per law; <see cref="Planner.Make"/>): a fitted
    /// irreducible loss L0 &lt; 0 ("floor"), or its lowest final loss over the search's family stage at the target not physical
    /// ("target", <see cref="LossPlausibility.IsPhysical"/>). Labels: the law passed over, the plan's law, the reason. Quantities: L0,
    /// predicted (the passed-over law's lowest family-stage loss), bounded (1: its fit with the floor held to the physical range),
    /// planBounded (1: the plan's law is refitted so, <see cref="FloorBounded"/>).
    /// </summary>
    LawPassedOver,

    /// <summary>
    /// No law fitted freely on the runs is physical, so the plan's law was refitted with its floor L0 held to the physical range
    /// [lower, upper] (<see cref="Laws.PhysicalFloor"/>: 0 and the runs' lowest logged loss): the floor is then a prior, not a
    /// measurement, and the plan gives no interval (no held-out run calibrates a bounded fit). Labels: the law. Quantities: lower, upper,
    /// freeL0 (the free fit's floor), L0 (the bounded fit's), physical (0: not physical either; the loss is withheld).
    /// </summary>
    FloorBounded,

    /// <summary>
    /// No sequence length was given (<see cref="PlanRequest.SequenceLengthFromRuns"/>) and the runs do not settle one: they state
    /// different lengths, or some state one and others none. The plan keeps the default. Values: the lengths stated, ascending.
    /// Quantities: sequenceLength (kept), runs, unstated (the runs stating none).
    /// </summary>
    RunsSequenceLengthUnsettled,

    /// <summary>
    /// The plan's peak has a divergence probability at or above the plan's level (the CLI's plan: <see cref="PlanOptions.DivergenceRisk"/>,
    /// <see cref="PlanOptions.StatedDivergenceRisk"/> unless the user sets another level): the guard, which holds the peak under that
    /// level, did not hold this one (a kept schedule of the runs, or a guard given in its place);
    /// the warning does not change the peak. Quantities: probability, threshold, peak.
    /// </summary>
    DivergenceRisk,
}
