using System.Globalization;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// Megatron training logs: a real Megatron-DeepSpeed log (TestData/megatron_log, see its README), every value checked against the
/// file parsed here independently by splitting its lines at '|', three rows by hand, and hand-made variants for what it does
/// not show (newer Megatron-LM's timestamp prefix, rank tags, skipped windows, resumed logs, broken lines).
/// </summary>
public sealed class MegatronLogReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Real => Path.Combine(AppContext.BaseDirectory, "TestData", "megatron_log", "gpt3_125m_moe_kernel.head.log");

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>(iteration, learning rate, lm loss) of every line starting " iteration ", split at '|' (no regex shared with the reader).</summary>
    private static List<(int K, double Lr, double Loss)> IterationLines(string path)
    {
        var list = new List<(int, double, double)>();
        foreach (string line in File.ReadLines(path))
        {
            if (!line.StartsWith(" iteration ", StringComparison.Ordinal)) continue;
            var parts = line.Split('|');
            int k = int.Parse(parts[0].Trim()["iteration".Length..].Split('/')[0], CultureInfo.InvariantCulture);
            string Field(string key) => parts.Single(p => p.Trim().StartsWith(key + ":", StringComparison.Ordinal)).Split(':')[1].Trim();
            list.Add((k, D(Field("learning rate")), D(Field("lm loss"))));
        }
        return list;
    }

    [Fact]
    public void The_real_log_is_recognised_by_content_and_read_by_RunReader()
    {
        Assert.True(MegatronLogReader.Recognizes(Real));
        Assert.False(LlmcLogReader.Recognizes(Real));
        Assert.False(SpeedrunLogReader.Recognizes(Real));
        var run = RunReader.Read(Real);
        Assert.Equal("megatron-log", run.Metadata.Tags["format"]);
        var set = RunReader.ReadDirectory(Path.GetDirectoryName(Real)!);
        Assert.Empty(set.Failures);
        Assert.Single(set.Runs);
    }

    [Fact]
    public void Three_rows_checked_by_hand()
    {
        var run = MegatronLogReader.Read(Real);
        // Line 2721: " iteration 10/ 1716613 | ... | learning rate: 5.308E-07 | ... | lm loss: 1.069056E+01 |": the mean loss of
        // updates 1..10 (computed after 0..9 updates) at floor((0 + 10 - 1) / 2) = 4; the LR of update 11.
        Assert.Equal(10.69056, run.Observations.Single(o => o.Step == 4 && o.Split == LossSplit.Train).Loss, 12);
        Assert.Equal(5.308e-7, run.LearningRates[10], 15);
        // DeepSpeed's own line 2718 prints that LR at full precision after its scheduler step 10: 5.308416e-07.
        Assert.Equal(5.308416e-7, run.LearningRates[10], 5e-4 * 5.308416e-7);
        // Line 2725: iteration 20, lm loss 1.062032E+01: window 11..20, step floor((10 + 20 - 1) / 2) = 14.
        Assert.Equal(10.62032, run.Observations.Single(o => o.Step == 14 && o.Split == LossSplit.Train).Loss, 12);
        Assert.Equal(1.121e-6, run.LearningRates[20], 15);
        // Line 2760: "validation loss at iteration 100 | lm loss value: 9.082616E+00": after 100 updates.
        Assert.Equal(9.082616, run.Observations.Single(o => o.Step == 100 && o.Split == LossSplit.Validation).Loss, 12);
        // Line 3297, the last: iteration 1280 (S), lm loss 5.087354E+00 at floor((1270 + 1280 - 1) / 2) = 1274.
        Assert.Equal(1280, run.Steps);
        Assert.Equal(5.087354, run.Observations.Single(o => o.Step == 1274).Loss, 12);
    }

    [Fact]
    public void Every_loss_and_lr_of_the_real_log_is_at_its_documented_step()
    {
        var lines = IterationLines(Real);
        Assert.Equal(128, lines.Count);
        var run = MegatronLogReader.Read(Real);
        Assert.False(run.Diverged, run.Metadata.Tags.GetValueOrDefault("divergenceReason"));
        var train = run.Split(LossSplit.Train).ToList();
        var expected = lines.Select((l, i) => ((i == 0 ? 0 : lines[i - 1].K) + l.K - 1) / 2).ToList();
        Assert.Equal(expected, train.Select(o => o.Step));
        Assert.Equal(lines.Select(l => l.Loss), train.Select(o => o.Loss));
        // The LR printed at iteration k is eta_{k+1} (index k); the one printed at S is beyond the run.
        foreach (var (k, lr, _) in lines.Where(l => l.K < run.Steps)) Assert.Equal(lr, run.LearningRates[k]);
        // Between two printed LRs, linear interpolation: eta_16 is the middle of eta_11 and eta_21.
        Assert.Equal(0.5 * (lines[0].Lr + lines[1].Lr), run.LearningRates[15], 1e-18);
        Assert.Equal(lines[0].Lr, run.LearningRates[0]); // before the first printed LR: held
        Assert.Contains("interpolated", run.Metadata.Tags[ReaderTags.LrFilledIn]);
        var val = run.Split(LossSplit.Validation).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => 100 * i), val.Select(o => o.Step));
        Assert.Equal(5.155525, val[^1].Loss, 12);
        Assert.Equal("1716613", run.Metadata.Tags["trainIters"]);
        Assert.Equal("256", run.Metadata.Tags["globalBatchSize"]);
        Assert.Equal("0", run.Metadata.Tags["skippedIterations"]);
        Assert.Equal("0", run.Metadata.Tags["nanIterations"]);
        Assert.Equal("batch", run.Metadata.Tags["trainLosses"]);
    }

    [Fact]
    public void A_schedule_is_checked_against_every_printed_lr_within_the_printed_digits()
    {
        // The run's LR is Megatron-DeepSpeed's token-based warmup (lr-warmup-tokens, on consumed tokens): no spec reproduces it,
        // so a constant schedule must be refused at the first printed LR, naming its line.
        var e = Assert.Throws<RunFormatException>(() => MegatronLogReader.Read(Real, new RunReadOptions { Schedule = "constant(peak=3e-4,steps=1280)" }));
        Assert.StartsWith(Real + ":2721:", e.Message);
        Assert.Contains("disagrees", e.Message);
        // A schedule shorter than the log is refused too.
        var e2 = Assert.Throws<RunFormatException>(() => MegatronLogReader.Read(Real, new RunReadOptions { Schedule = "constant(peak=3e-4,steps=100)" }));
        Assert.Contains("1280", e2.Message);
    }

    private const string NewHead = "[2025-08-01 07:19:37] iteration";

    private static string NewLine(int k, int n, string lr, string loss) =>
        $" {NewHead} {k,8}/{n,8} | consumed samples: {128 * k,12} | elapsed time per iteration (ms): 13065.4 | throughput per GPU (TFLOP/s/GPU): 117.6 | learning rate: {lr} | global batch size:   128 | {loss}loss scale: 1.0 | grad norm: 23.632 | number of skipped iterations:   0 | number of nan iterations:   0 |\n";

    [Fact]
    public void Newer_megatron_lm_lines_with_timestamps_and_six_digit_lrs_are_read()
    {
        // The line format of Megatron-LM 2025 (timestamp, throughput, {:.6E} LRs), logged at every iteration.
        string text = "Number of parameters in transformer layers in billions:  3.24\n"
            + NewLine(1, 5, "6.976744E-08", "lm loss: 1.043863E+01 | ")
            + NewLine(2, 5, "1.395349E-07", "lm loss: 1.044022E+01 | ")
            + NewLine(3, 5, "2.093023E-07", "lm loss: 1.044375E+01 | ");
        string path = _tmp.File("new.log", text);
        var run = RunReader.Read(path);
        Assert.Equal(3, run.Steps);
        // log interval 1: the loss printed at k is the loss after k - 1 updates; k = 1 is the untrained model's.
        Assert.Equal("10.43863", run.Metadata.Tags["initialLoss"]);
        Assert.Equal([(1, 10.44022), (2, 10.44375)], run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        // eta_2, eta_3 as printed; eta_1 (never printed) held at eta_2; the LR printed at 3 (of update 4) is beyond.
        Assert.Equal([6.976744e-8, 6.976744e-8, 1.395349e-7], run.LearningRates);
        // These values are those of a Megatron-LM run of 2025 (3e-4 * k / 4300 printed at iteration k): Megatron's scheduler gives
        // update k the warmup LR of k - 1 scheduler steps, the spec's offset=1; without it the check refuses the first line.
        var ok = MegatronLogReader.Read(path, new RunReadOptions { Schedule = "constant(peak=3e-4,warmup=4300,steps=5000,offset=1)" });
        Assert.Equal(3e-4 * 1 / 4300, ok.LearningRates[1], 1e-15);
        var off = Assert.Throws<RunFormatException>(() => MegatronLogReader.Read(path, new RunReadOptions { Schedule = "constant(peak=3e-4,warmup=4300,steps=5000)" }));
        Assert.StartsWith(path + ":2:", off.Message);
    }

    [Fact]
    public void Rank_tags_skipped_windows_and_resumed_logs()
    {
        string L(int k, string loss, string pre = " ") =>
            $"{pre}iteration {k,8}/     100 | consumed samples: {k * 8} | learning rate: {1e-4 * k / 100:0.000E+00} | global batch size:     8 | {loss}loss scale: 1.0 | number of skipped iterations: {(loss.Length == 0 ? 10 : 0),3} | number of nan iterations:   0 |\n";
        string text = L(10, "lm loss: 5.000000E+00 | ", "3: ") + L(20, "", "3: ") + L(30, "lm loss: 4.000000E+00 | ", "3: ")
            + "3: ------------------------------------------------------------\n"
            + "3:  validation loss at iteration 30 | lm loss value: 4.100000E+00 | lm loss PPL: 6.0E+01 | \n"
            + "Traceback (most recent call last):\n    iteration = train(forward_step_func,\n"
            // the run restarted from its iteration-20 checkpoint and appended to the same file
            + L(30, "lm loss: 3.900000E+00 | ") + L(40, "lm loss: 3.800000E+00 | ");
        string path = _tmp.File("resumed.log", text);
        var run = MegatronLogReader.Read(path);
        Assert.Equal(40, run.Steps);
        // 10 -> 4; 20 prints no loss (all 10 iterations skipped); 30 -> window 21..30 -> 24; the resumed 30 replaces it; 40 -> 34.
        Assert.Equal([(4, 5.0), (24, 3.9), (34, 3.8)], run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        Assert.Equal([(30, 4.1)], run.Split(LossSplit.Validation).Select(o => (o.Step, o.Loss)));
        Assert.Equal("10", run.Metadata.Tags["skippedIterations"]);
        Assert.NotEqual("0", run.Metadata.Tags["resumeConflicts"]);
        Assert.Throws<RunFormatException>(() => MegatronLogReader.Read(path, new RunReadOptions { StrictDuplicates = true }));
    }

    [Theory]
    [InlineData(" iteration       10/     100 | learning rate: banana | lm loss: 5.0E+00 |\n", ":1:", "learning rate 'banana' is not a number")]
    [InlineData(" iteration       10/     100 | learning rate: 1.0E-04 | lm loss: 5.0E+00 |\n iteration       20/     200 | learning rate: 1.0E-04 | lm loss: 4.0E+00 |\n", ":2:", "two runs in one file")]
    [InlineData(" iteration        0/     100 | learning rate: 1.0E-04 | lm loss: 5.0E+00 |\n", ":1:", "iteration 0")]
    [InlineData(" iteration       10/     100 | learning rate: -1.0E-04 | lm loss: 5.0E+00 |\n", ":1:", "negative")]
    [InlineData(" iteration       10/     100 | learning rate: 1.0E-04 | lm loss: -5.0E+00 |\n iteration       20/     100 | learning rate: 1.0E-04 | lm loss: 4.0E+00 |\n", ":1:", "negative")]
    [InlineData(" iteration       10/     100 | learning rate: 1.0E-04 | loss: 5.0E+00 |\n", ":1:", "no 'lm loss' is logged")]
    [InlineData(" iteration 99999999999999/ 99999999999999 | learning rate: 1.0E-04 | lm loss: 5.0E+00 |\n", ":1:", "absurdly large")]
    [InlineData(" iteration       10/     100 | learning rate: 1.0E-04 | lm loss: 5.0E+00 | lm loss: 4.0E+00 |\n", ":1:", "appears twice")]
    public void Broken_lines_are_one_error_naming_the_file_and_line(string text, string where, string problem)
    {
        string path = _tmp.File("broken.log", text);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path));
        Assert.StartsWith(path + where, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Another_loss_key_is_read_when_named_and_a_log_without_iteration_lines_is_not_megatron()
    {
        string text = " iteration       10/     100 | learning rate: 1.0E-04 | loss: 5.0E+00 |\n iteration       20/     100 | learning rate: 1.0E-04 | loss: 4.0E+00 |\n";
        string path = _tmp.File("mindspeed.log", text);
        var run = MegatronLogReader.Read(path, new RunReadOptions { LossColumn = "loss" });
        Assert.Equal([(4, 5.0), (14, 4.0)], run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        string other = _tmp.File("other.log", "epoch 1 | loss 5.0\nepoch 2 | loss 4.0\n");
        Assert.False(MegatronLogReader.Recognizes(other));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(other));
        Assert.Contains("Megatron", e.Message);
    }
}
