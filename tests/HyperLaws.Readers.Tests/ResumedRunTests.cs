using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// Crash-and-resume in the generic CSV/JSONL logs (docs/RUN-FORMATS.md, "Resumed runs"): a jump back to a step already logged is a
/// restart, and the later write of each step wins (tag <c>resumeConflicts</c>), as in the text logs. The fixture
/// (TestData/resumed_jsonl, see its README) is the real llm.c log of TestData/modded_nanogpt written as generic JSONL with a crash
/// at step 640 and a resume from the checkpoint of step 500 by llm.c's rule; the abandoned segment's losses 501..640 differ.
/// </summary>
public class ResumedRunTests
{
    private static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    [Fact]
    public void A_resumed_real_log_reads_as_the_real_log_with_the_resumed_segment_winning()
    {
        var run = RunReader.Read(Data("resumed_jsonl", "llmc_resumed.jsonl"));
        var real = LlmcLogReader.Read(Data("modded_nanogpt", "llmc_gpt2_124m.head.log"));
        Assert.Equal(995, run.Steps);
        Assert.Equal("1", run.Metadata.Tags["resumes"]);
        Assert.Equal("140", run.Metadata.Tags["resumeConflicts"]); // the training losses of steps 501..640; LRs and the val at 500 agree
        Assert.False(run.Metadata.Tags.ContainsKey("branchPointRepeats"));
        Assert.False(run.Diverged);
        // Every observation and every LR as llm.c's reader reads the uninterrupted real log (its S is 996: the LR of update 996).
        Assert.Equal(real.Observations, run.Observations);
        Assert.Equal(real.LearningRates.Take(995), run.LearningRates);
        Assert.Equal(4.9918, run.Observations.Single(o => o.Step == 640 && o.Split == LossSplit.Train).Loss);
    }

    [Fact]
    public void StrictDuplicates_makes_a_rewrite_with_another_value_an_error_naming_both_lines()
    {
        string f = Data("resumed_jsonl", "llmc_resumed.jsonl");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f, new RunReadOptions { StrictDuplicates = true }));
        Assert.Equal($"{f}:646: the train loss at step 501 is 5.3831 here and 5.3931 at line 504.", e.Message);
    }

    [Theory]
    [InlineData("run.csv", "step,loss,lr\n1,5,0.1\n2,4,0.1\n3,3.5,0.1\n2,4.2,0.1\n3,3.4,0.1\n4,3.2,0.1\n")]
    [InlineData("run.jsonl", "{\"step\": 1, \"loss\": 5, \"lr\": 0.1}\n{\"step\": 2, \"loss\": 4, \"lr\": 0.1}\n{\"step\": 3, \"loss\": 3.5, \"lr\": 0.1}\n{\"step\": 2, \"loss\": 4.2, \"lr\": 0.1}\n{\"step\": 3, \"loss\": 3.4, \"lr\": 0.1}\n{\"step\": 4, \"loss\": 3.2, \"lr\": 0.1}\n")]
    public void Csv_and_jsonl_keep_the_later_write_after_a_jump_back(string name, string content)
    {
        using var tmp = new TempDir();
        var run = RunReader.Read(tmp.File(name, content));
        Assert.Equal([5, 4.2, 3.4, 3.2], run.Observations.Select(o => o.Loss));
        Assert.Equal("2", run.Metadata.Tags["resumeConflicts"]);
        Assert.Equal("1", run.Metadata.Tags["resumes"]);
    }

    [Fact]
    public void A_resume_that_changes_the_lr_keeps_the_resumed_lr()
    {
        using var tmp = new TempDir();
        var run = RunReader.Read(tmp.File("run.csv", "step,loss,lr\n1,5,0.1\n2,4,0.1\n3,3.5,0.1\n2,4,0.05\n3,3.4,0.05\n"));
        Assert.Equal([0.1, 0.05, 0.05], run.LearningRates);
        Assert.Equal("3", run.Metadata.Tags["resumeConflicts"]); // two LRs and the loss at 3
    }

    [Theory]
    // a jump back to a step never logged: rows out of order, not a resume
    [InlineData("step,loss,lr\n1,5,0.1\n3,4,0.1\n2,3.5,0.1\n", ":4: steps are not sorted (2 after 3): step 2 was not logged before")]
    // two losses at one step with no restart between them (a loss per micro-batch?): still a duplicate
    [InlineData("step,loss,lr\n1,5,0.1\n2,4,0.1\n2,3.9,0.1\n", ":4: step 2 is duplicated (train).")]
    // two LRs at one step with no restart between them
    [InlineData("step,loss,lr\n1,5,0.1\n2,4,0.1\n2,4,0.2\n", ":4: step 2 has lr 0.2 here and 0.1 at 3.")]
    // after a resume, a jump back to a step that no segment logged
    [InlineData("step,loss,lr\n1,5,0.1\n2,4,0.1\n4,3.5,0.1\n2,4.1,0.1\n5,3.4,0.1\n3,3.3,0.1\n", ":7: steps are not sorted (3 after 5): step 3 was not logged before")]
    public void What_is_not_a_resume_is_still_an_error(string content, string problem)
    {
        using var tmp = new TempDir();
        string f = tmp.File("run.csv", content);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.StartsWith(f + problem, e.Message);
    }
}
