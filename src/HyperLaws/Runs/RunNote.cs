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
        if (Text("parametersEstimated") == "true") yield return Note(RunNoteKind.SizeEstimated, Text("parametersSource"), ("parameters", run.Metadata.Parameters ?? double.NaN));
        if (tags.TryGetValue(LrFilledInTag, out var lr))
            yield return Note(RunNoteKind.LrFilledIn, lr) with { Labels = [lr.StartsWith("interpolated", StringComparison.Ordinal) ? "interpolated" : "rebuilt"] };
        if (Number("resumeConflicts") > 0) yield return Note(RunNoteKind.ResumeConflicts, "", ("conflicts", Number("resumeConflicts")), ("resumes", Number("resumes")));
        if (tags.TryGetValue("stoppedEarly", out var stopped)) yield return Note(RunNoteKind.StoppedEarly, stopped, ("steps", run.Steps), ("plannedSteps", Number("plannedSteps")));
        if (tags.TryGetValue("lengthUnknown", out var length)) yield return Note(RunNoteKind.LengthUnknown, length);
        if (Number("untrainedObservations") > 0) yield return Note(RunNoteKind.UntrainedLeftOut, "", ("count", Number("untrainedObservations")));
        if (Number("trainLossesWithoutSamplesCount") > 0) yield return Note(RunNoteKind.TrainLossesUnplaced, "", ("count", Number("trainLossesWithoutSamplesCount")));
    }
}
