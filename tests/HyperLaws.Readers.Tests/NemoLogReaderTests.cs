using System.Globalization;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// NeMo 2.0 console logs: three real logs (TestData/nemo_log, see its README), every training line checked against the file split
/// here at " | " (no regex shared with the reader), rows checked by hand, the printed LRs against NeMo's schedule written out
/// independently, and hand-made variants for what the real logs do not show (a log interval above 1, resumed lines, broken lines).
/// </summary>
public sealed class NemoLogReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "nemo_log", name);

    private static string E5 => Data("e5_large_allnli_finetune.log");

    private static string Resiliency => Data("resiliency_pretrain_demo.log");

    private static string Aws => Data("aws_nemo2_llama_pretrain_skypilot.log");

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>(global_step, lr, reduced_train_loss, val_loss or null) of every line holding "Training epoch ", split at " | ".</summary>
    private static List<(int G, double Lr, double Loss, double? Val)> TrainingLines(string path)
    {
        var list = new List<(int, double, double, double?)>();
        foreach (string line in File.ReadLines(path))
        {
            if (!line.Contains("Training epoch ", StringComparison.Ordinal)) continue;
            var fields = line.Split(" | ").Skip(1).Select(p => p.Split(": ")).ToDictionary(kv => kv[0], kv => kv[1].Trim());
            list.Add((int.Parse(fields["global_step"], CultureInfo.InvariantCulture), D(fields["lr"]), D(fields["reduced_train_loss"]),
                fields.TryGetValue("val_loss", out string? v) ? D(v) : null));
        }
        return list;
    }

    [Fact]
    public void The_real_logs_are_recognised_by_content_and_by_no_other_reader()
    {
        foreach (string f in new[] { E5, Resiliency, Aws })
        {
            Assert.True(NemoLogReader.Recognizes(f), f);
            Assert.False(MegatronLogReader.Recognizes(f), f);
            Assert.False(TorchtitanLogReader.Recognizes(f), f);
            Assert.False(NanoGptLogReader.Recognizes(f), f);
            Assert.False(LlmcLogReader.Recognizes(f), f);
            Assert.False(SpeedrunLogReader.Recognizes(f), f);
            Assert.False(FairseqLogReader.Recognizes(f), f);
            Assert.False(MlperfLogReader.Recognizes(f), f);
            Assert.Equal("nemo-log", RunReader.Read(f).Metadata.Tags["format"]);
        }
        var set = RunReader.ReadDirectory(Path.GetDirectoryName(E5)!);
        Assert.Empty(set.Failures);
        Assert.Equal(3, set.Runs.Count);
        // The other readers' real text logs are not taken for NeMo's.
        foreach (string dir in new[] { "megatron_log", "torchtitan_log", "nanogpt_log", "fairseq_log", "mlperf_log", "modded_nanogpt", "parameter_golf" })
            foreach (string f in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData", dir)))
                Assert.False(NemoLogReader.Recognizes(f), f);
    }

    [Fact]
    public void Rows_of_the_fine_tune_checked_by_hand()
    {
        var run = NemoLogReader.Read(E5);
        // Line 461: "Training epoch 0, iteration 0/99 | lr: 9.804e-08 | global_batch_size: 64 | global_step: 0 | reduced_train_loss: 1.077 | ...":
        // the untrained model's loss, and the LR of update 1.
        Assert.Equal("1.077", run.Metadata.Tags["initialLoss"]);
        Assert.Equal(9.804e-8, run.LearningRates[0], 15);
        // Line 470: global_step 9, loss 0.9607 after 9 updates; lr 9.804e-07 is eta_10 (= 5e-06 x 10/51 = 9.8039e-07).
        Assert.Equal(0.9607, run.Observations.Single(o => o.Step == 9 && o.Split == LossSplit.Train).Loss, 12);
        Assert.Equal(9.804e-7, run.LearningRates[9], 15);
        // Line 475: the first line after the validation at update 10 prints val_loss 0.7394 (and the checkpoint's name val_loss=0.74-step=9).
        Assert.Equal(0.7394, run.Observations.Single(o => o.Step == 10 && o.Split == LossSplit.Validation).Loss, 12);
        // Line 670, the last: global_step 99, so S = 100 (= max_steps, iteration .../99); lr 5.044e-07 is eta_100.
        Assert.Equal(100, run.Steps);
        Assert.Equal(0.3124, run.Observations.Single(o => o.Step == 99 && o.Split == LossSplit.Train).Loss, 12);
        Assert.Equal(5.044e-7, run.LearningRates[99], 15);
        Assert.Equal("100", run.Metadata.Tags["maxSteps"]);
        Assert.Equal(64, run.Metadata.BatchSize);
        Assert.Equal("adam", run.Metadata.Optimizer);
        Assert.Equal("5e-06", run.Metadata.Tags["optimizerLr"]);
        Assert.False(run.Metadata.Tags.ContainsKey("logInterval"));
        Assert.False(run.Metadata.Tags.ContainsKey(ReaderTags.LrFilledIn)); // an LR on every line: none interpolated
    }

    [Theory]
    [InlineData("e5_large_allnli_finetune.log", 100, 9)]
    [InlineData("resiliency_pretrain_demo.log", 20, 0)]
    [InlineData("aws_nemo2_llama_pretrain_skypilot.log", 3, 0)]
    public void Every_training_line_of_the_real_logs_is_at_its_documented_step(string name, int count, int vals)
    {
        string f = Data(name);
        var lines = TrainingLines(f);
        Assert.Equal(count, lines.Count);
        var run = NemoLogReader.Read(f);
        Assert.Equal(lines[^1].G + 1, run.Steps);
        // The loss printed with global_step g is the loss after g updates; the LR, eta_{g+1}.
        Assert.Equal(lines.Where(l => l.G > 0).Select(l => (l.G, l.Loss)),
            run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        foreach (var l in lines) Assert.Equal(l.Lr, run.LearningRates[l.G], 15);
        // A validation loss at the first line printing each value.
        var firsts = lines.Where((l, i) => l.Val is not null && (i == 0 || lines[i - 1].Val != l.Val)).Select(l => (l.G, l.Val!.Value)).ToList();
        Assert.Equal(vals, firsts.Count);
        Assert.Equal(firsts, run.Split(LossSplit.Validation).Select(o => (o.Step, o.Loss)));
    }

    [Fact]
    public void The_printed_lrs_are_nemos_schedule_one_update_ahead()
    {
        // NeMo's CosineAnnealing of the fine-tune (warmup 50, max_steps 100, min_lr 5e-07): update t uses 5e-06 t/51 for t <= 51,
        // then 5e-07 + 4.5e-06 (1 + cos(pi (t - 51)/50))/2: the spec cosine(peak=5e-6,warmup=51,steps=101,floor=5e-7). Read with it,
        // every printed LR is checked at its update within half its fourth digit.
        var run = NemoLogReader.Read(E5, new RunReadOptions { Schedule = "cosine(peak=5e-6,warmup=51,steps=101,floor=5e-7)" });
        foreach (var l in TrainingLines(E5))
        {
            int t = l.G + 1;
            double nemo = t <= 51 ? 5e-6 * t / 51 : 5e-7 + 4.5e-6 * (1 + Math.Cos(Math.PI * (t - 51) / 50)) / 2;
            Assert.Equal(nemo, run.LearningRates[t - 1], 1e-18);
            Assert.InRange(Math.Abs(l.Lr - nemo), 0, 5e-4 * nemo);
        }
        // One update off (the printed LR read as the batch's own, eta_g): the warmup differs by 1/51 and the check refuses it.
        var e = Assert.Throws<RunFormatException>(() => NemoLogReader.Read(E5, new RunReadOptions { Schedule = "cosine(peak=5e-6,warmup=50,steps=100,floor=5e-7)" }));
        Assert.StartsWith(E5 + ":", e.Message, StringComparison.Ordinal);
        // The two pre-training logs: the first updates of a 2,000-update warmup to 3e-4 (eta_t = 3e-4 t/2001).
        foreach (string f in new[] { Resiliency, Aws })
            foreach (var l in TrainingLines(f))
                Assert.InRange(Math.Abs(l.Lr - 3e-4 * (l.G + 1) / 2001), 0, 5e-4 * 3e-4 * (l.G + 1) / 2001);
    }

    [Fact]
    public void Launcher_prefixes_epochs_and_lines_cut_from_the_file()
    {
        // NeMo-Run's and torchrun's prefixes; the mock data's epoch of 19 batches: "Training epoch 1, iteration 0/19" is global_step 19.
        var res = NemoLogReader.Read(Resiliency);
        Assert.Equal(20, res.Steps);
        Assert.Equal("20", res.Metadata.Tags["maxSteps"]);
        Assert.Equal(11.03, res.Observations.Single(o => o.Step == 19).Loss, 12);
        Assert.Equal("none printed", res.Metadata.Tags["valLosses"]);
        // SkyPilot's prefix; the README left out the line of global_step 47: its LR is interpolated, the interval stays 1.
        var aws = NemoLogReader.Read(Aws);
        Assert.Equal(49, aws.Steps);
        Assert.Equal("1000", aws.Metadata.Tags["maxSteps"]);
        Assert.Equal(512, aws.Metadata.BatchSize);
        Assert.False(aws.Metadata.Tags.ContainsKey("logInterval"));
        Assert.Equal([45, 46, 48], aws.Split(LossSplit.Train).Select(o => o.Step));
        Assert.Equal((7.046e-6 + 7.346e-6) / 2, aws.LearningRates[47], 15); // eta_48 between eta_47 and eta_49
        Assert.InRange(Math.Abs(aws.LearningRates[47] - 3e-4 * 48 / 2001), 0, 5e-4 * 3e-4 * 48 / 2001);
        Assert.StartsWith("interpolated linearly", aws.Metadata.Tags[ReaderTags.LrFilledIn], StringComparison.Ordinal);
    }

    private static string Line(int g, double lr, double loss, int total = 40, string extra = "") =>
        string.Create(CultureInfo.InvariantCulture, $"[default0]:Training epoch 0, iteration {g}/{total - 1} | lr: {lr} | global_batch_size: 8 | global_step: {g} | reduced_train_loss: {loss} | train_step_timing in s: 0.5{extra}\n");

    [Fact]
    public void A_log_interval_above_one_gives_window_means_at_their_middle()
    {
        // Hand-made: log_interval 4 (lines at g = 3, 7, 11): the loss printed with g is the mean of the losses after g-3..g updates,
        // at floor((2g - 3) / 2) = g - 2; the LR, the mean of eta_{g-2}..eta_{g+1}, at update floor((2g - 1) / 2) = g - 1. The printed
        // val_loss mixes values from before and after a validation: not read.
        string f = _tmp.File("interval.log", Line(3, 1e-4, 5.0) + Line(7, 2e-4, 4.0, extra: " | val_loss: 4.5") + Line(11, 3e-4, 3.0, extra: " | val_loss: 4.2"));
        var run = NemoLogReader.Read(f);
        Assert.Equal([(1, 5.0), (5, 4.0), (9, 3.0)], run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        Assert.Equal(1e-4, run.LearningRates[1], 15);
        Assert.Equal(2e-4, run.LearningRates[5], 15);
        Assert.Equal(3e-4, run.LearningRates[9], 15);
        Assert.Equal(12, run.Steps);
        Assert.StartsWith("4 (", run.Metadata.Tags["logInterval"], StringComparison.Ordinal);
        Assert.Empty(run.Split(LossSplit.Validation));
        Assert.StartsWith("not read", run.Metadata.Tags["valLosses"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_resumed_run_keeps_the_later_lines()
    {
        // Hand-made: the run resumed from the checkpoint at g = 2 and printed g = 2, 3 again, with other values.
        string f = _tmp.File("resumed.log", Line(0, 1e-4, 6.0) + Line(1, 2e-4, 5.5) + Line(2, 3e-4, 5.2) + Line(3, 4e-4, 5.0)
            + Line(2, 3e-4, 5.25) + Line(3, 4e-4, 5.05) + Line(4, 5e-4, 4.9));
        var run = NemoLogReader.Read(f);
        Assert.Equal([(1, 5.5), (2, 5.25), (3, 5.05), (4, 4.9)], run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        Assert.Equal("2", run.Metadata.Tags["resumeConflicts"]);
        Assert.False(run.Metadata.Tags.ContainsKey("logInterval"));
        Assert.Throws<RunFormatException>(() => NemoLogReader.Read(f, new RunReadOptions { StrictDuplicates = true }));
    }

    [Fact]
    public void Broken_lines_and_missing_values_are_named_with_file_and_line()
    {
        string head = Line(0, 1e-4, 6.0) + Line(1, 2e-4, 5.5);
        void Refused(string name, string content, string location, string problem)
        {
            string f = _tmp.File(name, content);
            var e = Assert.Throws<RunFormatException>(() => NemoLogReader.Read(f));
            Assert.Equal(location, e.Location);
            Assert.Contains(problem, e.Message, StringComparison.Ordinal);
            Assert.StartsWith($"{f}:{location}: ", e.Message, StringComparison.Ordinal);
        }
        Refused("cut.log", head + "[default0]:Training epoch 0, iteration 2/39 | lr: 3e-04 | global_batch_size: 8 | global_st\n", "3", "not 'key: value'");
        Refused("nostep.log", head + "Training epoch 0, iteration 2/39 | lr: 3e-04 | reduced_train_loss: 5.1\n", "3", "without 'global_step:'");
        Refused("badloss.log", head + Line(2, 3e-4, 5.1).Replace("5.1", "5.1x", StringComparison.Ordinal), "3", "reduced_train_loss '5.1x' is not a number");
        Refused("badbatch.log", head + Line(2, 3e-4, 5.1).Replace("global_batch_size: 8", "global_batch_size: 8.5", StringComparison.Ordinal), "3", "not a whole number");
        Refused("hugebatch.log", head + Line(2, 3e-4, 5.1).Replace("global_batch_size: 8", "global_batch_size: 1e20", StringComparison.Ordinal), "3", "global_batch_size '1e20' is too large (limit 2147483647 sequences).");
        // No lr printed: the hint names the schedule option and the OptimizerConfig's peak.
        string nolr = "[NeMo I 2025-03-07 22:33:59 utils:302] Setting up optimizer with config OptimizerConfig(optimizer='adam', lr=0.0003, min_lr=None)\n"
            + "Training epoch 0, iteration 0/9 | global_step: 0 | reduced_train_loss: 11.0\nTraining epoch 0, iteration 1/9 | global_step: 1 | reduced_train_loss: 10.9\n";
        Refused("nolr.log", nolr, "0", "--schedule SPEC");
        Assert.Contains("lr=0.0003", Assert.Throws<RunFormatException>(() => NemoLogReader.Read(_tmp.File("nolr2.log", nolr))).Message, StringComparison.Ordinal);
        var withSpec = NemoLogReader.Read(_tmp.File("nolr3.log", nolr), new RunReadOptions { Schedule = "constant(peak=3e-4,steps=10)" });
        Assert.Equal(10, withSpec.Steps);
        // A loss key the lines do not have.
        var e = Assert.Throws<RunFormatException>(() => NemoLogReader.Read(_tmp.File("key.log", head), new RunReadOptions { LossColumn = "lm loss" }));
        Assert.Contains("no 'lm loss' is printed", e.Message, StringComparison.Ordinal);
        Assert.Contains("reduced_train_loss", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nan_loss_after_finite_ones_marks_the_run_diverged()
    {
        string f = _tmp.File("nan.log", string.Concat(Enumerable.Range(0, 30).Select(g => Line(g, 1e-4, g < 25 ? 5.0 - 0.01 * g : double.NaN))));
        var run = NemoLogReader.Read(f);
        Assert.True(run.Diverged);
    }
}
