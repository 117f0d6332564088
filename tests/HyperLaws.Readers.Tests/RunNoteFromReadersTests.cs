using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// The run notes (<see cref="RunNote.Of(TrainingRun)"/>) of real fixtures read through <see cref="RunReader"/>, so that a tag a reader
/// sets and the note read back from it cannot drift apart (RunNoteTests builds its tags by hand): a W&amp;B run, whose <c>lr</c> tag is
/// the config's peak LR and whose LRs are logged, has no <see cref="RunNoteKind.LrFilledIn"/>; a Trainer state and a Megatron log
/// logged every few steps have it "interpolated"; a Parameter Golf log stopped at its wallclock cap has <see cref="RunNoteKind.StoppedEarly"/>.
/// </summary>
public sealed class RunNoteFromReadersTests
{
    private static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    [Fact]
    public void A_wandb_run_with_a_peak_lr_in_its_config_has_no_lr_filled_in_note()
    {
        string path = Directory.GetFiles(Data("horizon_transfer"), "slimpajama_*.json").Single();
        var run = RunReader.Read(path);
        Assert.Equal("0.001", run.Metadata.Tags["lr"]); // the config's peak LR: the tag that was taken for LRs filled in
        Assert.DoesNotContain(RunNote.Of(run), n => n.Kind == RunNoteKind.LrFilledIn);
    }

    [Theory]
    [InlineData("hf_trainer_state", "qlora.trainer_state.json")] // learning_rate logged every 10 steps
    [InlineData("megatron_log", "gpt3_125m_moe_kernel.head.log")] // the LR printed every 10 iterations
    public void A_run_whose_lrs_are_logged_every_few_steps_has_an_interpolated_note(string folder, string file)
    {
        var run = RunReader.Read(Data(folder, file));
        var note = Assert.Single(RunNote.Of(run), n => n.Kind == RunNoteKind.LrFilledIn);
        Assert.Equal(["interpolated"], note.Labels);
        Assert.StartsWith("interpolated linearly between", note.Detail, StringComparison.Ordinal);
        Assert.Equal(run.Metadata.Source ?? run.Name, note.Run);
    }

    [Fact]
    public void A_speedrun_log_stopped_at_its_wallclock_cap_has_a_stopped_early_note_and_no_lr_note()
    {
        var run = RunReader.Read(Data("parameter_golf", "naive_baseline.log"), new RunReadOptions { Schedule = "wsd(peak=0.04,steps=13780,cooldownSteps=1200)" });
        var notes = RunNote.Of(run).ToList();
        var stopped = Assert.Single(notes, n => n.Kind == RunNoteKind.StoppedEarly);
        Assert.Equal("wallclock_cap at step 13780 of 20000", stopped.Detail);
        Assert.Equal(13780, stopped.Q("steps"));
        Assert.Equal(20000, stopped.Q("plannedSteps"));
        Assert.DoesNotContain(notes, n => n.Kind == RunNoteKind.LrFilledIn); // the LRs come from the given schedule
    }
}
