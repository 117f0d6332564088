using System.Globalization;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// MaxText console logs: two real logs committed to AI-Hypercomputer/maxtext (TestData/maxtext_log, see its README), a pre-training
/// run (steps from 0) and a DPO post-training run (steps from 1), every step line checked against the file split here at ", " (no
/// regex shared with the reader), rows by hand, and hand-made variants for what they do not show (a pre-training evaluation, a resumed
/// log, broken lines).
/// </summary>
public sealed class MaxtextLogReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "maxtext_log", name);

    private static string Pretrain => Data("deepseek2_16b_synthetic_10steps.log");

    private static string Dpo => Data("dpo_qwen3_demo.log");

    /// <summary>(step, loss) of every line holding "completed step: ", split at ", ".</summary>
    private static List<(int K, double Loss)> StepLines(string path)
    {
        var list = new List<(int, double)>();
        foreach (string line in File.ReadLines(path))
        {
            int at = line.IndexOf("completed step: ", StringComparison.Ordinal);
            if (at < 0) continue;
            var fields = line[at..].Split(", ").Select(p => p.Split(": ")).ToDictionary(kv => kv[0], kv => kv[1]);
            list.Add((int.Parse(fields["completed step"], CultureInfo.InvariantCulture), double.Parse(fields["loss"], CultureInfo.InvariantCulture)));
        }
        return list;
    }

    [Fact]
    public void The_real_logs_are_recognised_by_content_and_by_no_other_reader()
    {
        foreach (string f in new[] { Pretrain, Dpo })
        {
            Assert.True(MaxtextLogReader.Recognizes(f), f);
            Assert.False(NemoLogReader.Recognizes(f), f);
            Assert.False(MegatronLogReader.Recognizes(f), f);
            Assert.False(TorchtitanLogReader.Recognizes(f), f);
            Assert.False(NanoGptLogReader.Recognizes(f), f);
            Assert.False(LlmcLogReader.Recognizes(f), f);
            Assert.False(SpeedrunLogReader.Recognizes(f), f);
            Assert.False(FairseqLogReader.Recognizes(f), f);
            Assert.False(MlperfLogReader.Recognizes(f), f);
            Assert.Equal("maxtext-log", RunReader.Read(f, new RunReadOptions { Schedule = "constant(peak=1e-4,steps=500)" }).Metadata.Tags["format"]);
        }
        var set = RunReader.ReadDirectory(Path.GetDirectoryName(Pretrain)!, new RunReadOptions { Schedule = "constant(peak=1e-4,steps=500)" });
        Assert.Empty(set.Failures);
        Assert.Equal(2, set.Runs.Count);
        foreach (string dir in new[] { "megatron_log", "torchtitan_log", "nanogpt_log", "fairseq_log", "mlperf_log", "modded_nanogpt", "parameter_golf", "nemo_log" })
            foreach (string f in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData", dir)))
                Assert.False(MaxtextLogReader.Recognizes(f), f);
    }

    [Fact]
    public void The_pretraining_log_counts_from_zero()
    {
        var lines = StepLines(Pretrain);
        Assert.Equal(Enumerable.Range(0, 10), lines.Select(l => l.K));
        var run = MaxtextLogReader.Read(Pretrain, new RunReadOptions { Schedule = "constant(peak=1e-4,steps=10)" });
        // "completed step: 0, ..., loss: 12.038": before any update; step k's loss is the loss after k updates.
        Assert.Equal("12.038", run.Metadata.Tags["initialLoss"]);
        Assert.Equal(lines.Skip(1).Select(l => (l.K, l.Loss)), run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        // By hand: line 2 "completed step: 1, ..., loss: 12.038" (the warmup's first update has LR 0), line 10 "completed step: 9, ..., loss: 10.374".
        Assert.Equal(12.038, run.Observations.Single(o => o.Step == 1).Loss, 12);
        Assert.Equal(10.374, run.Observations.Single(o => o.Step == 9).Loss, 12);
        Assert.Equal(10, run.Steps);
        Assert.Equal("196608", run.Metadata.Tags["totalWeights"]);
        Assert.StartsWith("0 (", run.Metadata.Tags["stepBase"], StringComparison.Ordinal);
        Assert.Equal("none printed", run.Metadata.Tags["evalLosses"]);
    }

    [Fact]
    public void The_dpo_log_counts_from_one()
    {
        var lines = StepLines(Dpo);
        Assert.Equal(Enumerable.Range(1, 500), lines.Select(l => l.K));
        var run = MaxtextLogReader.Read(Dpo, new RunReadOptions { Schedule = "constant(peak=3e-6,steps=500)" });
        // Line 59 "completed step: 1, ..., loss: 0.693": ln 2, DPO's loss before any update; step k's loss is after k - 1 updates.
        Assert.Equal("0.693", run.Metadata.Tags["initialLoss"]);
        Assert.Equal(lines.Skip(1).Select(l => (l.K - 1, l.Loss)), run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        // Line 559 "completed step: 250, ..., loss: 0.621": after 249 updates; line 1072, step 500: 0.624 after 499, S = 500.
        Assert.Equal(0.621, run.Observations.Single(o => o.Step == 249 && o.Split == LossSplit.Train).Loss, 12);
        Assert.Equal(0.624, run.Observations.Single(o => o.Step == 499 && o.Split == LossSplit.Train).Loss, 12);
        Assert.Equal(500, run.Steps);
        // Line 1069 "Completed eval after train step 500, loss=0.516": after the 500 updates.
        Assert.Equal(0.516, run.Split(LossSplit.Validation).Single(o => o.Step == 500).Loss, 12);
        Assert.StartsWith("1 (", run.Metadata.Tags["stepBase"], StringComparison.Ordinal);
        Assert.Equal("6121", run.Metadata.Tags["totalWeights"]);
    }

    private static string Step(int k, double loss, string head = "") =>
        string.Create(CultureInfo.InvariantCulture, $"{head}completed step: {k}, seconds: 0.500, TFLOP/s/device: 100.000, Tokens/s/device: 8000.000, total_weights: 4096, loss: {loss:F3}\n");

    private const string Config = "Config param learning_rate: 3e-05\nConfig param warmup_steps_fraction: 0.1\nConfig param learning_rate_schedule_steps: 20\n"
        + "Config param steps: 20\nConfig param opt_type: adamw\nnumber parameters: 1.234 billion\n";

    [Fact]
    public void A_pretraining_evaluation_comes_after_the_update_of_its_step_and_the_config_goes_to_the_hint()
    {
        // Hand-made (the real pre-training log has no evaluation): eval after train step 4 is after 5 updates.
        string f = _tmp.File("pre.log", Config + string.Concat(Enumerable.Range(0, 10).Select(k => Step(k, 10 - 0.1 * k, "I0101 00:00:00.000000 1 metric_logger.py:214] ")))
            + "I0101 00:00:00.000000 1 metric_logger.py:237] Completed eval after train step 4, loss=9.450, perplexity=12700.000, total_weights=8192.0, avg_z_loss=0.000\n");
        var e = Assert.Throws<RunFormatException>(() => MaxtextLogReader.Read(f));
        Assert.StartsWith($"{f}:0: no learning rate is logged: MaxText prints no learning rate on the console", e.Message, StringComparison.Ordinal);
        Assert.Contains("learning_rate = 3e-05, warmup_steps_fraction = 0.1, learning_rate_schedule_steps = 20, steps = 20", e.Message, StringComparison.Ordinal);
        var run = MaxtextLogReader.Read(f, new RunReadOptions { Schedule = "constant(peak=3e-5,steps=20)" });
        Assert.Equal(9.45, run.Split(LossSplit.Validation).Single().Loss, 12);
        Assert.Equal(5, run.Split(LossSplit.Validation).Single().Step);
        Assert.Equal(20, run.Steps); // the schedule's length
        Assert.Equal(1.234e9, run.Metadata.Parameters);
        Assert.Equal("adamw", run.Metadata.Optimizer);
        Assert.Equal("3e-05", run.Metadata.Tags["learning_rate"]);
    }

    [Fact]
    public void A_log_starting_past_step_one_is_read_as_pretraining_and_says_so_and_a_resume_keeps_the_later_lines()
    {
        string f = _tmp.File("resumed.log", Step(100, 5.0) + Step(101, 4.9) + Step(102, 4.8) + Step(101, 4.95) + Step(102, 4.85) + Step(103, 4.7));
        var run = MaxtextLogReader.Read(f, new RunReadOptions { Schedule = "constant(peak=1e-4,steps=104)" });
        Assert.Equal([(100, 5.0), (101, 4.95), (102, 4.85), (103, 4.7)], run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        Assert.StartsWith("0, guessed", run.Metadata.Tags["stepBase"], StringComparison.Ordinal);
        Assert.Equal("2", run.Metadata.Tags["resumeConflicts"]);
        Assert.Equal(104, run.Steps);
    }

    [Fact]
    public void Broken_lines_are_named_with_file_and_line()
    {
        string head = Step(0, 10.0) + Step(1, 9.9);
        var opts = new RunReadOptions { Schedule = "constant(peak=1e-4,steps=10)" };
        void Refused(string name, string content, string location, string problem)
        {
            string f = _tmp.File(name, content);
            var e = Assert.Throws<RunFormatException>(() => MaxtextLogReader.Read(f, opts));
            Assert.Equal(location, e.Location);
            Assert.Contains(problem, e.Message, StringComparison.Ordinal);
            Assert.StartsWith($"{f}:{location}: ", e.Message, StringComparison.Ordinal);
        }
        Refused("cut.log", head + "completed step: 2, seconds: 0.500, TFLOP/s/device: 100.000, total_wei\n", "3", "not 'key: value'");
        Refused("noloss.log", head + "completed step: 2, seconds: 0.500, total_weights: 4096\n", "3", "without 'loss:'");
        Refused("badloss.log", head + Step(2, 9.8).Replace("9.800", "9.8x", StringComparison.Ordinal), "3", "loss '9.8x' is not a number");
        Refused("badeval.log", head + "Completed eval after train step 1, loss=\n", "3", "not of the form");
        // Another loss field by name (MoE and MTP runs print main_model_loss); one the lines do not have is named.
        string f = _tmp.File("key.log", head);
        var e = Assert.Throws<RunFormatException>(() => MaxtextLogReader.Read(f, new RunReadOptions { Schedule = "constant(peak=1e-4,steps=10)", LossColumn = "lm_loss" }));
        Assert.Contains("without 'lm_loss:'", e.Message, StringComparison.Ordinal);
    }
}
