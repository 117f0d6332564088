using HyperLaws.Planning;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// What the readers noticed about a run, as data (<see cref="RunNote.Of(TrainingRun)"/> from the tags the readers set), in the plan's
/// decision record (<see cref="TrainingPlan.RunNotes"/>) without changing the plan, and in words (<see cref="PlanExplainer.RunNote"/>).
/// </summary>
public sealed class RunNoteTests
{
    private static TrainingRun Tagged(string name, Dictionary<string, string> tags, double? parameters = null) =>
        new(new RunMetadata(name) { Source = $"/runs/{name}.log", Tags = tags, Parameters = parameters }, Enumerable.Repeat(1e-3, 120).ToArray(),
            [new LossObservation(60, 3.5, LossSplit.Train), new LossObservation(120, 3.2, LossSplit.Train)], false);

    [Fact]
    public void Each_tag_a_reader_sets_is_one_note_with_its_numbers_in_the_kinds_order()
    {
        var run = Tagged("a", new()
        {
            ["trainLossesWithoutSamplesCount"] = "4", ["untrainedObservations"] = "2", ["lengthUnknown"] = "the run's length is unknown: ...",
            ["plannedSteps"] = "500", ["stoppedEarly"] = "the wallclock cap at step 120 of 500", ["resumes"] = "1", ["resumeConflicts"] = "3",
            [RunNote.LrFilledInTag] = "interpolated linearly between 7 logged LRs", ["parametersSource"] = "12 n_layer n_embd^2", ["parametersEstimated"] = "true",
            [RunNote.TornTailTag] = "the file ends inside a chunk at offset 234: the last record of a run still being written, skipped", [RunNote.TornTailOffsetTag] = "234",
            ["family"] = "wsd",
        }, parameters: 1.2e8);
        var notes = RunNote.Of([run]);
        Assert.Equal([RunNoteKind.TornTail, RunNoteKind.SizeEstimated, RunNoteKind.LrFilledIn, RunNoteKind.ResumeConflicts, RunNoteKind.StoppedEarly,
            RunNoteKind.LengthUnknown, RunNoteKind.UntrainedLeftOut, RunNoteKind.TrainLossesUnplaced], notes.Select(n => n.Kind));
        Assert.All(notes, n => Assert.Equal("/runs/a.log", n.Run));
        Assert.Equal(234, notes[0].Q("offset"));
        Assert.Equal(1.2e8, notes[1].Q("parameters"));
        Assert.Equal("12 n_layer n_embd^2", notes[1].Detail);
        Assert.Equal(["interpolated"], notes[2].Labels);
        Assert.Equal((3, 1), (notes[3].Q("conflicts"), notes[3].Q("resumes")));
        Assert.Equal((120, 500), (notes[4].Q("steps"), notes[4].Q("plannedSteps")));
        Assert.Equal(2, notes[6].Q("count"));
        Assert.Equal(4, notes[7].Q("count"));
        // The words keep what every command printed for a torn tail before the notes were data.
        Assert.Equal("/runs/a.log: read up to its torn tail (the file ends inside a chunk at offset 234: the last record of a run still being written, skipped)", PlanExplainer.RunNote(notes[0]));
        Assert.All(notes, n => Assert.StartsWith("/runs/a.log: ", PlanExplainer.RunNote(n), StringComparison.Ordinal));
        Assert.DoesNotContain("NaN", string.Join(" ", notes.Select(PlanExplainer.RunNote)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_such_tags_or_with_zero_counts_has_none()
    {
        Assert.Empty(RunNote.Of([Tagged("b", new() { ["resumeConflicts"] = "0", ["resumes"] = "0", ["untrainedObservations"] = "0", ["family"] = "cosine" })]));
        var rebuilt = Assert.Single(RunNote.Of([Tagged("c", new() { [RunNote.LrFilledInTag] = "rebuilt from the Trainer's params (learning_rate, lr_scheduler_type, warmup, max_steps)" })]));
        Assert.Equal(["rebuilt"], rebuilt.Labels);
        // A torn tail without its offset (a run file imported before the offset was a tag) keeps the words; its offset is NaN, null in JSON.
        Assert.True(double.IsNaN(Assert.Single(RunNote.Of([Tagged("d", new() { [RunNote.TornTailTag] = "cut" })])).Q("offset")));
    }

    [Fact]
    public void The_plan_carries_the_runs_notes_and_is_otherwise_the_same_plan()
    {
        var request = new PlanRequest(SyntheticRuns.N, 4e8, TrainingOptimizer.AdamW);
        var options = new PlanOptions { Laws = ["tissue"], ObservedBest = false, BatchSteps = BatchSteps.Steps };
        var runs = SyntheticRuns.Plannable();
        var plain = Planner.Make(request, runs, options);
        runs[1] = runs[1] with { Metadata = runs[1].Metadata with { Tags = new Dictionary<string, string>(runs[1].Metadata.Tags) { [RunNote.TornTailTag] = "torn", [RunNote.TornTailOffsetTag] = "99" } } };
        var noted = Planner.Make(request, runs, options);
        Assert.Empty(plain.RunNotes);
        var note = Assert.Single(noted.RunNotes);
        Assert.Equal((RunNoteKind.TornTail, runs[1].Metadata.Source ?? runs[1].Name, 99.0), (note.Kind, note.Run, note.Q("offset")));
        static IEnumerable<(string, double, double, double, double)> Schedules(TrainingPlan p) =>
            p.RunnerUps.Prepend(p.Best).Select(s => (s.Schedule.ToSpec(), s.PredictedLoss, s.Lower, s.Upper, s.DivergenceProbability));
        Assert.Equal(Schedules(plain), Schedules(noted));
        Assert.Equal(plain.Hyperparameters, noted.Hyperparameters);
        Assert.Equal(plain.Warnings.Select(PlanExplainer.Warning), noted.Warnings.Select(PlanExplainer.Warning));
    }
}
