using System.Globalization;

namespace HyperLaws.Runs;

/// <summary>
/// One thing a reader noticed about a run (a torn tail, an estimated size, LRs filled in, ...), as data read back from the run's tags:
/// the plan's decision record carries them (<see cref="Planning.TrainingPlan.RunNotes"/>), so a script sees that a run was cut short or
/// its size guessed without reading stderr; <see cref="Planning.PlanExplainer.RunNote"/> words them.
/// </summary>
/// <param name="Kind">What was noticed.</param>
/// <param name="Run">The run's file (its <see cref="RunMetadata.Source"/>) or, without one, its name.</param>
public sealed record RunNote(RunNoteKind Kind, string Run)
{
    /// <summary>The tag of a torn tail: the reader's words (what was torn and at which offset).</summary>
    public const string TornTailTag = "tornTail";

    /// <summary>The tag of a torn tail's offset in bytes, a number.</summary>
    public const string TornTailOffsetTag = "tornTailOffset";

    /// <summary>
    /// The tag of LRs filled in (interpolated between logged ones, or rebuilt from the settings): how, in the reader's words. Only the
    /// readers that fill LRs in set it; the W&amp;B reader's <c>lr</c> tag is the config's peak LR, not this.
    /// </summary>
    public const string LrFilledInTag = "lrFilledIn";

    /// <summary>The tag saying the model size was estimated ("true"); <see cref="SizeSourceTag"/>: from what.</summary>
    public const string SizeEstimatedTag = "parametersEstimated";

    /// <summary>The tag of where the model size came from, in the reader's words.</summary>
    public const string SizeSourceTag = "parametersSource";

    /// <summary>The tag of how many logged steps a resume wrote twice with different values, a number.</summary>
    public const string ResumeConflictsTag = "resumeConflicts";

    /// <summary>The tag of how many times the run was resumed, a number.</summary>
    public const string ResumesTag = "resumes";

    /// <summary>The tag of a run that stopped before its planned steps: why and where, in the reader's words.</summary>
    public const string StoppedEarlyTag = "stoppedEarly";

    /// <summary>The tag of the steps a run stopped early had planned, a number.</summary>
    public const string PlannedStepsTag = "plannedSteps";

    /// <summary>The tag of a run whose planned length the log does not say: the reader's words.</summary>
    public const string LengthUnknownTag = "lengthUnknown";

    /// <summary>The tag of how many observations before the first update were left out, a number.</summary>
    public const string UntrainedTag = "untrainedObservations";

    /// <summary>The tag of how many training losses could not be placed at a step, a number.</summary>
    public const string TrainLossesUnplacedTag = "trainLossesWithoutSamplesCount";

    /// <summary>Its quantities by name (see <see cref="RunNoteKind"/>).</summary>
    public IReadOnlyDictionary<string, double> Quantities { get; init; } = new Dictionary<string, double>();

    /// <summary>Codes (see <see cref="RunNoteKind"/>).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>The reader's words passed through as they are ("" when none).</summary>
    public string Detail { get; init; } = "";

    /// <summary>A quantity by name, NaN when absent.</summary>
    public double Q(string name) => Quantities.TryGetValue(name, out double v) ? v : double.NaN;

    /// <summary>Every run's notes, run by run in the order given, each run's in the order of <see cref="RunNoteKind"/>.</summary>
    public static IReadOnlyList<RunNote> Of(IEnumerable<TrainingRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return [.. runs.SelectMany(Of)];
    }

    /// <summary>
    /// The run's notes, from the tags its reader set: <c>tornTail</c> (and <c>tornTailOffset</c>), <c>parametersEstimated</c> (and
    /// <c>parametersSource</c>), <c>lrFilledIn</c>, <c>resumeConflicts</c> above 0 (and <c>resumes</c>), <c>stoppedEarly</c> (and <c>plannedSteps</c>),
    /// <c>lengthUnknown</c>, <c>untrainedObservations</c>, <c>trainLossesWithoutSamplesCount</c>. A run with none of them has none.
    /// </summary>
    public static IEnumerable<RunNote> Of(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var tags = run.Metadata.Tags;
        string name = run.Metadata.Source ?? run.Name;
        string Text(string key) => tags.TryGetValue(key, out var v) ? v : "";
        double Number(string key) => tags.TryGetValue(key, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : double.NaN;
        RunNote Note(RunNoteKind kind, string detail, params (string Name, double Value)[] quantities) =>
            new(kind, name) { Detail = detail, Quantities = quantities.ToDictionary(q => q.Name, q => q.Value, StringComparer.Ordinal) };

        if (tags.TryGetValue(TornTailTag, out var torn)) yield return Note(RunNoteKind.TornTail, torn, ("offset", Number(TornTailOffsetTag)));
        if (Text(SizeEstimatedTag) == "true") yield return Note(RunNoteKind.SizeEstimated, Text(SizeSourceTag), ("parameters", run.Metadata.Parameters ?? double.NaN));
        if (tags.TryGetValue(LrFilledInTag, out var lr))
            yield return Note(RunNoteKind.LrFilledIn, lr) with { Labels = [lr.StartsWith("interpolated", StringComparison.Ordinal) ? "interpolated" : "rebuilt"] };
        if (Number(ResumeConflictsTag) > 0) yield return Note(RunNoteKind.ResumeConflicts, "", ("conflicts", Number(ResumeConflictsTag)), ("resumes", Number(ResumesTag)));
        if (tags.TryGetValue(StoppedEarlyTag, out var stopped)) yield return Note(RunNoteKind.StoppedEarly, stopped, ("steps", run.Steps), ("plannedSteps", Number(PlannedStepsTag)));
        if (tags.TryGetValue(LengthUnknownTag, out var length)) yield return Note(RunNoteKind.LengthUnknown, length);
        if (Number(UntrainedTag) > 0) yield return Note(RunNoteKind.UntrainedLeftOut, "", ("count", Number(UntrainedTag)));
        if (Number(TrainLossesUnplacedTag) > 0) yield return Note(RunNoteKind.TrainLossesUnplaced, "", ("count", Number(TrainLossesUnplacedTag)));
    }
}
