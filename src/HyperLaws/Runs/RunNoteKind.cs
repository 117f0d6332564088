namespace HyperLaws.Runs;

/// <summary>
/// What a reader noticed about a run it read, as a code (<see cref="RunNote"/>; the tag each comes from is named in
/// <see cref="RunNote.Of(TrainingRun)"/>). The quantities of each are named here; the planner's explainer words them
/// (<see cref="Planning.PlanExplainer.RunNote"/>).
/// </summary>
public enum RunNoteKind
{
    /// <summary>
    /// The file's last record was torn (a W&amp;B run file still being written, or cut when it was copied) and skipped: the run is read up
    /// to it and may be shorter than the job. Quantities: offset (the torn record's, bytes). Detail: what was torn, in the reader's words.
    /// </summary>
    TornTail,

    /// <summary>The model size is estimated (e.g. 12 n_layer n_embd^2 from the config), not stated. Quantities: parameters. Detail: from what.</summary>
    SizeEstimated,

    /// <summary>
    /// The LR was not logged at every step and the reader filled it in. Labels: "interpolated" (between the logged LRs) or "rebuilt"
    /// (from the trainer's settings). Detail: how, in the reader's words.
    /// </summary>
    LrFilledIn,

    /// <summary>Steps were logged twice with different values (a resumed job appending to its log); the later write of each was kept. Quantities: conflicts, resumes (NaN: not counted).</summary>
    ResumeConflicts,

    /// <summary>The run stopped before its planned steps (a stop line). Quantities: steps (the run's, as read), plannedSteps. Detail: why.</summary>
    StoppedEarly,

    /// <summary>The run's length is unknown (a log that ends without a stop line under a wallclock cap): it is read as its planned length. Detail: why.</summary>
    LengthUnknown,

    /// <summary>Losses logged before the first update with a nonzero LR (the initial model's) were left out. Quantities: count.</summary>
    UntrainedLeftOut,

    /// <summary>Training losses that no logged sample count places at a step were left out. Quantities: count.</summary>
    TrainLossesUnplaced,
}
