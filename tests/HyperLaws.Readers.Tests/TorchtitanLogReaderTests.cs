using System.Globalization;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// torchtitan console logs: three real logs of torchtitan runs (TestData/torchtitan_log, see its README), every loss checked
/// against the file parsed here independently (escapes dropped by hand, fields split at spaces), the printed settings by hand, and
/// hand-made variants for what they do not show (the 2024 line format, validation lines, resumed logs, broken lines, the scheduler's
/// settings from the launch command and the config dump, the real 1,000-step log with such lines added).
/// </summary>
public sealed class TorchtitanLogReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "TestData", "torchtitan_log");

    private static string Color => Path.Combine(Folder, "qwen3_14b_logfreq1_color.log");

    private static string Gbs2560 => Path.Combine(Folder, "qwen3_14b_gbs2560_gradacc2.log");

    private static string Glm5 => Path.Combine(Folder, "glm5_debugmodel_npu_1000steps.log");

    private const string Glm5Default = "linear(peak=0.0008,steps=1000,warmup=200)";

    private static readonly RunReadOptions Constant10 = new() { Schedule = "constant(peak=3e-4,steps=10)" };

    /// <summary>(step, loss) of every "step:" line of the file, its ANSI escapes (ESC '[' ... 'm') dropped by a loop, not a regex.</summary>
    private static List<(int K, double Loss)> StepLines(string path)
    {
        var list = new List<(int, double)>();
        foreach (string raw in File.ReadLines(path))
        {
            var sb = new System.Text.StringBuilder();
            for (int i = 0; i < raw.Length; i++)
            {
                if (raw[i] == '\x1b')
                {
                    while (i < raw.Length && raw[i] != 'm') i++;
                    continue;
                }
                sb.Append(raw[i]);
            }
            string line = sb.ToString();
            int at = line.IndexOf(" - INFO - step:", StringComparison.Ordinal);
            if (at < 0) continue;
            var words = line[(at + " - INFO - ".Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("step:", words[0]);
            Assert.Equal("loss:", words[2]);
            list.Add((int.Parse(words[1], CultureInfo.InvariantCulture), double.Parse(words[3], CultureInfo.InvariantCulture)));
        }
        return list;
    }

    [Fact]
    public void The_real_logs_are_recognised_by_content_and_read_by_RunReader()
    {
        foreach (string f in new[] { Color, Gbs2560, Glm5 })
        {
            Assert.True(TorchtitanLogReader.Recognizes(f));
            Assert.False(LlmcLogReader.Recognizes(f));
            Assert.False(SpeedrunLogReader.Recognizes(f));
            Assert.False(MegatronLogReader.Recognizes(f));
            Assert.False(FairseqLogReader.Recognizes(f));
            Assert.Equal("torchtitan-log", RunReader.Read(f, f == Glm5 ? new RunReadOptions { Schedule = Glm5Default } : Constant10).Metadata.Tags["format"]);
        }
        // Without a schedule every one is a failure naming it (no LR), none is skipped as not a run.
        var set = RunReader.ReadDirectory(Folder);
        Assert.Empty(set.Runs);
        Assert.Equal(3, set.Failures.Count);
        Assert.All(set.Failures, e => Assert.Contains("torchtitan prints no learning rate", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void No_other_fixture_is_taken_for_a_torchtitan_log()
    {
        // torchtitan is tried after every other text log reader, so a file none of this recognises is read as before.
        var files = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData"), "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Folder, StringComparison.Ordinal)).ToList();
        Assert.True(files.Count > 50);
        foreach (string f in files) Assert.False(TorchtitanLogReader.Recognizes(f), f);
    }

    [Fact]
    public void Every_loss_of_the_coloured_log_is_at_its_documented_step()
    {
        var lines = StepLines(Color);
        Assert.Equal(Enumerable.Range(1, 10), lines.Select(l => l.K));
        var run = TorchtitanLogReader.Read(Color, Constant10);
        // Line 41: "step:  1  loss: 12.58730": the untrained model's loss, after 0 updates.
        Assert.Equal("12.5873", run.Metadata.Tags["initialLoss"]);
        var train = run.Split(LossSplit.Train).ToList();
        Assert.Equal(lines.Skip(1).Select(l => l.K - 1), train.Select(o => o.Step));
        Assert.Equal(lines.Skip(1).Select(l => l.Loss), train.Select(o => o.Loss));
        // Line 53: "step: 10  loss:  5.55888": batch 10, computed after 9 updates.
        Assert.Equal(5.55888, train.Single(o => o.Step == 9).Loss, 12);
        Assert.Equal(10, run.Steps);
        Assert.Equal("batch", run.Metadata.Tags["trainLosses"]);
        Assert.Empty(run.Split(LossSplit.Validation));
    }

    [Fact]
    public void The_printed_settings_give_size_batch_and_warmup()
    {
        var run = TorchtitanLogReader.Read(Color, Constant10);
        // "Model qwen3 14B size: 14,768,307,200 total parameters" (coloured), and
        // "Trainer is initialized with local batch size 160, global batch size 1280, gradient accumulation steps 1, sequence length 128, total steps 10 (warmup 600)".
        Assert.Equal(14_768_307_200, run.Metadata.Parameters);
        Assert.Equal(1280, run.Metadata.BatchSize);
        Assert.Equal(128, run.Metadata.SequenceLength);
        Assert.Equal(1280 * 128, run.Metadata.TokensPerStep);
        Assert.Equal(10.0 * 1280 * 128, run.Metadata.TotalTokens);
        Assert.Equal("10", run.Metadata.Tags["trainSteps"]);
        // "Warmup steps (600) exceed total steps (10). Adjusting warmup steps to 10.": the warmup the run used.
        Assert.Equal("10", run.Metadata.Tags["warmupSteps"]);
        Assert.False(run.Metadata.Tags.ContainsKey("activeParameters")); // dense: active = total

        var other = TorchtitanLogReader.Read(Gbs2560, Constant10);
        Assert.Equal(2560 * 128, other.Metadata.TokensPerStep);
        Assert.Equal(2560, other.Metadata.BatchSize);
    }

    [Fact]
    public void A_log_every_ten_steps_gives_the_first_and_tenth_batches()
    {
        // metrics.log_freq 10: lines at steps 1 and 10 only (should_log: step == 1 or step % 10 == 0).
        var lines = StepLines(Gbs2560);
        Assert.Equal([1, 10], lines.Select(l => l.K));
        var run = TorchtitanLogReader.Read(Gbs2560, Constant10);
        Assert.Equal("12.27569", run.Metadata.Tags["initialLoss"]);
        var only = Assert.Single(run.Split(LossSplit.Train));
        Assert.Equal(9, only.Step);
        Assert.Equal(5.89456, only.Loss, 12);
    }

    [Fact]
    public void Without_a_schedule_the_error_names_the_file_and_gives_a_spec_with_the_printed_warmup()
    {
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(Color));
        Assert.StartsWith(Color + ":0:", e.Message, StringComparison.Ordinal);
        Assert.Contains("torchtitan prints no learning rate", e.Message, StringComparison.Ordinal);
        Assert.Contains("--schedule 'linear(peak=LR,steps=10,warmup=10)'", e.Message, StringComparison.Ordinal);
        Assert.Contains("(torchtitan from e7c0cae9, 2025-06-11; before it the warmup was peak t/(W+1)", e.Message, StringComparison.Ordinal);
        // A schedule shorter than the log is refused.
        var e2 = Assert.Throws<RunFormatException>(() => TorchtitanLogReader.Read(Color, new RunReadOptions { Schedule = "constant(peak=3e-4,steps=5)" }));
        Assert.Equal($"{Color}:0: the schedule constant(peak=3e-4,steps=5) has 5 steps but the log shows 10.", e2.Message);
    }

    private static string Line(string message, int second = 0) => $"2024-10-03 16:44:{second:00},481 - root - INFO - {message}\n";

    [Fact]
    public void The_2024_format_and_validation_lines_are_read()
    {
        // torchtitan 2024: no rank tag or [titan], "wps", no grad_norm; the newest init line prints tokens per train step.
        string text = "+ torchrun --nproc_per_node=8 train.py\n"
            + Line("Total parameter count: dense 100,000, sparse 900,000, active 200,000")
            + Line("Model llama3 debugmodel size: 1,000,000 total parameters")
            + Line("Trainer is initialized with 8192 tokens per DP rank, 65536 tokens per train step, gradient accumulation steps 1, maximum context length 2048, total steps 20 (warmup 2)")
            + Line("step:  1  loss: 10.8235  memory: 26.73GiB(60.17%)  wps: 1,176  mfu: 16.15%", 1)
            + Line("step: 10  loss:  6.1000  memory: 33.11GiB(74.54%)  wps: 1,962  mfu: 26.95%", 2)
            + Line("validate step: 10  loss:  6.5000  memory: 33.11GiB(74.54%)  tps: 3,000", 3)
            + Line("step: 20  loss:  5.2000  memory: 33.11GiB(74.54%)  wps: 1,954  mfu: 26.85%", 4)
            + Line("validate step: 20  loss:     nan  memory: 33.11GiB(74.54%)  tps: 3,000", 5);
        string f = _tmp.File("titan.log", text);
        Assert.True(TorchtitanLogReader.Recognizes(f));
        var run = RunReader.Read(f, new RunReadOptions { Schedule = "constant(peak=3e-4,steps=20)" });
        Assert.Equal(20, run.Steps);
        Assert.Equal([9, 19], run.Split(LossSplit.Train).Select(o => o.Step));
        var val = run.Split(LossSplit.Validation).ToList();
        Assert.Equal(10, val[0].Step);
        Assert.Equal(6.5, val[0].Loss);
        Assert.True(run.Diverged); // the validation loss after 20 updates is nan
        Assert.Equal(1_000_000, run.Metadata.Parameters);
        Assert.Equal("200000", run.Metadata.Tags["activeParameters"]);
        Assert.Equal(65536, run.Metadata.TokensPerStep);
        Assert.Equal(2048, run.Metadata.SequenceLength); // "maximum context length 2048"
        Assert.Null(run.Metadata.BatchSize);
        Assert.Equal("2", run.Metadata.Tags["warmupSteps"]);
    }

    [Fact]
    public void A_resumed_log_keeps_the_later_line()
    {
        string text = Line("step:  1  loss: 11.0") + Line("step:  2  loss: 10.0") + Line("step:  3  loss: 9.0")
            + Line("Training starts at step 3, with local batch size 1, global batch size 8, sequence length 4096, total steps 4 (warmup 1)")
            + Line("step:  3  loss: 9.5") + Line("step:  4  loss: 8.0");
        string f = _tmp.File("resumed.log", text);
        var run = TorchtitanLogReader.Read(f, new RunReadOptions { Schedule = "constant(peak=3e-4,steps=4)" });
        Assert.Equal(9.5, run.Split(LossSplit.Train).Single(o => o.Step == 2).Loss);
        Assert.Equal("1", run.Metadata.Tags["resumeConflicts"]);
        Assert.Equal(8 * 4096, run.Metadata.TokensPerStep);
        Assert.Throws<RunFormatException>(() => TorchtitanLogReader.Read(f, new RunReadOptions { Schedule = "constant(peak=3e-4,steps=4)", StrictDuplicates = true }));
    }

    [Theory]
    [InlineData("step:  2  loss: abc  memory: 1GiB", "loss 'abc' is not a number")]
    [InlineData("step:  2  loss:", "not of the form")]
    [InlineData("step:  0  loss: 9.0", "out of range")]
    public void A_broken_step_line_is_an_error_naming_its_line(string message, string problem)
    {
        string f = _tmp.File("broken.log", "launcher output\n" + Line("step:  1  loss: 10.0") + Line(message));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f, Constant10));
        Assert.StartsWith(f + ":3:", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_without_step_lines_is_not_recognised()
    {
        string f = _tmp.File("nosteps.log", Line("Training starts at step 1") + Line("Process group destroyed"));
        Assert.False(TorchtitanLogReader.Recognizes(f));
        Assert.Contains("no torchtitan step line", Assert.Throws<RunFormatException>(() => TorchtitanLogReader.Read(f)).Message, StringComparison.Ordinal);
        // Another logger's "step" prose is not a step line.
        Assert.False(TorchtitanLogReader.Recognizes(_tmp.File("prose.log", "step: 1 loss: 2\n2024-10-03 16:44:28,481 - root - INFO - step 1 done\n")));
    }

    [Fact]
    public void Another_loggers_step_lines_are_not_torchtitans()
    {
        // The Python logging cookbook's format from a script's own logger: torchtitan logs through the root logger only.
        string f = _tmp.File("cookbook.log", "2024-01-01 12:00:00,123 - __main__ - INFO - step: 100 loss: 2.3 lr: 1e-4\n"
            + "2024-01-01 12:00:01,123 - __main__ - INFO - step: 200 loss: 2.1 lr: 1e-4\n");
        Assert.False(TorchtitanLogReader.Recognizes(f));
        Assert.Contains("no torchtitan step line", Assert.Throws<RunFormatException>(() => TorchtitanLogReader.Read(f, Constant10)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hint_runs_the_planned_steps_when_the_log_stops_earlier()
    {
        // log_freq 10 with S = 25 (or a job stopped in its warmup): the last logged step is 20, the schedule still 25 steps long.
        string f = _tmp.File("short.log", Line("Trainer is initialized with local batch size 1, global batch size 8, sequence length 64, total steps 25 (warmup 22)")
            + Line("step:  1  loss: 10.0") + Line("step: 10  loss: 9.0") + Line("step: 20  loss: 8.0"));
        var e = Assert.Throws<RunFormatException>(() => TorchtitanLogReader.Read(f));
        Assert.Contains("--schedule 'linear(peak=LR,steps=25,warmup=22)'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_ascii_digits_are_not_read_and_an_overflowing_setting_is_refused()
    {
        // \d would match the Arabic-Indic digits and the invariant parse then throw a FormatException (exit 70, not a format error).
        string steps = Line("step:  1  loss: 10.0") + Line("step:  2  loss: 9.0");
        string f = _tmp.File("digits.log", Line("Trainer is initialized with 8192 tokens per DP rank, \u0666\u0665\u0665\u0663\u0666 tokens per train step, total steps 2") + steps);
        var run = TorchtitanLogReader.Read(f, new RunReadOptions { Schedule = "constant(peak=3e-4,steps=2)" });
        Assert.Null(run.Metadata.TokensPerStep);
        Assert.Equal("2", run.Metadata.Tags["trainSteps"]);
        string g = _tmp.File("overflow.log", steps + Line("Trainer is initialized with local batch size 1, global batch size 99999999999, sequence length 64, total steps 2"));
        var e = Assert.Throws<RunFormatException>(() => TorchtitanLogReader.Read(g, new RunReadOptions { Schedule = "constant(peak=3e-4,steps=2)" }));
        Assert.StartsWith(g + ":3:", e.Message, StringComparison.Ordinal);
        Assert.Contains("'99999999999' is too large a count", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_several_ranks_one_is_read_and_a_pipeline_stages_minus_one_is_explained()
    {
        static string R(int rank, string message) => $"[rank{rank}]:[titan] " + Line(message);
        var strict = new RunReadOptions { Schedule = "constant(peak=3e-4,steps=2)", StrictDuplicates = true };
        // Every rank prints each step (no --local-ranks-filter): not duplicates.
        string f = _tmp.File("ranks.log", R(1, "step:  1  loss: 10.0") + R(0, "step:  1  loss: 10.0") + R(1, "step:  2  loss: 9.0") + R(0, "step:  2  loss: 9.0"));
        var run = TorchtitanLogReader.Read(f, strict);
        Assert.Equal("0 (of 2 ranks logging steps)", run.Metadata.Tags["rank"]);
        Assert.Equal(9.0, Assert.Single(run.Split(LossSplit.Train)).Loss);
        // Pipeline parallel: rank 0 (first stage) prints -1.0, rank 1 (last stage) the loss.
        string pp = _tmp.File("pp.log", R(0, "step:  1  loss: -1.00000") + R(1, "step:  1  loss: 10.0") + R(0, "step:  2  loss: -1.00000") + R(1, "step:  2  loss: 9.0"));
        run = TorchtitanLogReader.Read(pp, strict);
        Assert.StartsWith("1 ", run.Metadata.Tags["rank"], StringComparison.Ordinal);
        Assert.Equal(9.0, Assert.Single(run.Split(LossSplit.Train)).Loss);
        // Only a first stage logged (LOG_RANK=0): the error says why.
        string first = _tmp.File("first.log", R(0, "step:  1  loss: -1.00000") + R(0, "step:  2  loss: -1.00000"));
        var e = Assert.Throws<RunFormatException>(() => TorchtitanLogReader.Read(first, strict));
        Assert.StartsWith(first + ":1:", e.Message, StringComparison.Ordinal);
        Assert.Contains("without the last pipeline-parallel stage", e.Message, StringComparison.Ordinal);
        Assert.Contains("LOG_RANK", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Warmup steps (600) exceed total steps (10). Adjusting warmup steps to 10.")]
    [InlineData("Warmup steps (600) exceed total training steps (10). Adjusting warmup steps to 10.")] // before torchtitan 40b54e47
    public void Both_wordings_of_the_warmup_warning_give_the_used_warmup(string warning)
    {
        string f = _tmp.File("warn.log", Line("Trainer is initialized with local batch size 1, global batch size 8, sequence length 64, total steps 10 (warmup 600)")
            + Line(warning).Replace(" - INFO - ", " - WARNING - ", StringComparison.Ordinal) + Line("step:  1  loss: 10.0") + Line("step: 10  loss: 9.0"));
        Assert.Equal("10", TorchtitanLogReader.Read(f, Constant10).Metadata.Tags["warmupSteps"]);
    }

    [Fact]
    public void Every_loss_of_the_1000_step_run_is_at_its_documented_step()
    {
        var lines = StepLines(Glm5);
        Assert.Equal(Enumerable.Range(1, 1000), lines.Select(l => l.K));
        var run = TorchtitanLogReader.Read(Glm5, new RunReadOptions { Schedule = Glm5Default });
        Assert.Equal(1000, run.Steps);
        Assert.Equal("8.10081", run.Metadata.Tags["initialLoss"]);
        var train = run.Split(LossSplit.Train).ToList();
        Assert.Equal(Enumerable.Range(1, 999), train.Select(o => o.Step));
        Assert.Equal(lines.Skip(1).Select(l => l.Loss), train.Select(o => o.Loss));
        // Line 1066: "step: 1000  loss:  2.69432": batch 1000, computed after 999 updates.
        Assert.Equal(2.69432, train[^1].Loss, 12);
        Assert.False(run.Diverged, run.Metadata.Tags.GetValueOrDefault("divergenceReason"));
    }

    [Fact]
    public void The_1000_step_run_gives_its_moe_size_batch_and_optimizer()
    {
        var run = TorchtitanLogReader.Read(Glm5, new RunReadOptions { Schedule = Glm5Default });
        // "Total parameter count: dense 3,251,712, sparse 5,314,560, vision 0, active 5,027,328",
        // "Model glm5 debugmodel size: 8,566,272 total parameters".
        Assert.Equal(8_566_272, run.Metadata.Parameters);
        Assert.Equal("8566272", run.Metadata.Tags["totalParameters"]);
        Assert.Equal("5027328", run.Metadata.Tags["activeParameters"]);
        var active = TorchtitanLogReader.Read(Glm5, new RunReadOptions { Schedule = Glm5Default, MoeSize = MoeParameterCount.Active });
        Assert.Equal(5_027_328, active.Metadata.Parameters);
        // "Trainer is initialized with local batch size 2, global batch size 16, gradient accumulation steps 8, sequence length 128, total steps 1000 (warmup 200)".
        Assert.Equal(16 * 128, run.Metadata.TokensPerStep);
        Assert.Equal("1000", run.Metadata.Tags["trainSteps"]);
        Assert.Equal("200", run.Metadata.Tags["warmupSteps"]);
        // "Optimizer AdamW (model_part=0): 83 params [.*] {'fused': True, 'foreach': False, 'lr': 0.0008, ...}".
        Assert.Equal("adamw", run.Metadata.Optimizer);
        Assert.Equal("0.0008", run.Metadata.Tags["optimizerLr"]);
        var e = Assert.Throws<RunFormatException>(() => TorchtitanLogReader.Read(Glm5));
        Assert.Contains($"--schedule '{Glm5Default}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_suggested_spec_is_torchtitans_schedule_within_one_decay_step()
    {
        // The LRs torchtitan logged for this run (lr/AdamW of metrics.jsonl beside the log, same commit; see the README): the LR of
        // update t, captured before its scheduler step. The warmup is the spec's exactly; the decay one step later (at most peak/800).
        var logged = new (int T, double Lr)[]
        {
            (1, 4.000000000000001e-06), (2, 8.000000000000001e-06), (199, 0.000796), (200, 0.0008), (201, 0.0008), (202, 0.000799),
            (501, 0.0005), (801, 0.0002), (998, 3.000000000000025e-06), (1000, 9.999999999999788e-07),
        };
        var run = TorchtitanLogReader.Read(Glm5, new RunReadOptions { Schedule = Glm5Default });
        foreach (var (t, lr) in logged)
        {
            double spec = run.LearningRates[t - 1];
            if (t <= 200) Assert.Equal(lr, spec, 1e-15);
            else Assert.InRange(lr - spec, 0, 0.0008 / 800 + 1e-15);
        }
    }

    /// <summary>
    /// torchtitan's LR of update t (1-based): optimizer lr x <c>linear_warmup_stable_decay(t - 1, ...)</c>, ported line by line from
    /// torchtitan/components/optimizer/lr_scheduler.py (pytorch/torchtitan @ b5bcd76c; LambdaLR gives update t the factor at
    /// last_epoch t - 1), independent of the reader's spec.
    /// </summary>
    private static double Titan(int t, double lr, int total, int warmupSteps, double? decayRatio, string decayType, double minLrFactor)
    {
        int warmup = Math.Min(warmupSteps, total);
        int decay = total - warmup;
        if (decayRatio is { } r)
        {
            decay = (int)Math.Round(total * r, MidpointRounding.ToEven); // Python 3's round()
            if (warmup + decay > total) decay = total - warmup;
        }
        int stable = total + 1 - warmup - decay;
        int current = t - 1;
        if (current < warmup) return lr * ((current + 1) / (double)warmup);
        if (current < warmup + stable) return lr;
        current += 1;
        double progress = (current - (warmup + stable)) / (double)decay;
        double adjustment = decayType switch
        {
            "linear" => 1 - progress,
            "sqrt" => 1 - Math.Sqrt(progress),
            "cosine" => 0.5 * (1.0 + Math.Cos(Math.PI * progress)),
            _ => throw new ArgumentException(decayType),
        };
        return lr * (minLrFactor + (1 - minLrFactor) * adjustment);
    }

    /// <summary>The spec the no-LR error of <paramref name="file"/> suggests.</summary>
    private static string SuggestedSpec(string file)
    {
        var e = Assert.Throws<RunFormatException>(() => TorchtitanLogReader.Read(file));
        var m = System.Text.RegularExpressions.Regex.Match(e.Message, "--schedule '(?<spec>[^']+)'");
        Assert.True(m.Success, e.Message);
        return m.Groups["spec"].Value;
    }

    /// <summary>
    /// The suggested spec read with the log gives torchtitan's LRs: the same through the warmup and the stable phase, and in the decay
    /// the spec's LR one step earlier (torchtitan's decay runs one step later: progress (t - 1 - (T - D))/D against (t - (T - D))/D).
    /// </summary>
    private static TrainingRun AssertTorchtitansSchedule(string file, double lr, int total, int warmup, double? decayRatio, string decayType, double minLrFactor)
    {
        string spec = SuggestedSpec(file);
        var run = TorchtitanLogReader.Read(file, new RunReadOptions { Schedule = spec });
        Assert.Equal(total, run.Steps);
        int w = Math.Min(warmup, total);
        int decay = decayRatio is { } r ? Math.Min((int)Math.Round(total * r, MidpointRounding.ToEven), total - w) : total - w;
        for (int t = 1; t <= total; t++)
        {
            double expected = Titan(t, lr, total, warmup, decayRatio, decayType, minLrFactor);
            double got = t <= total - decay ? run.LearningRates[t - 1] : run.LearningRates[t - 2];
            Assert.True(Math.Abs(expected - got) <= 1e-12 * lr, $"{spec}: update {t}: torchtitan {expected}, spec {got}");
        }
        return run;
    }

    /// <summary>The real 1,000-step log with <paramref name="command"/> appended to its launch command and <paramref name="after"/>'s lines after its line 39 (the trainer's start-up line).</summary>
    private string Glm5With(string name, string command = "", string after = "")
    {
        var lines = File.ReadAllLines(Glm5).ToList();
        Assert.StartsWith("Command: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("Trainer is initialized with", lines[38], StringComparison.Ordinal);
        lines[0] += command;
        if (after.Length > 0) lines.InsertRange(39, after.TrimEnd('\n').Split('\n'));
        return _tmp.File(name, string.Join('\n', lines) + "\n");
    }

    [Fact]
    public void The_warmup_warning_gives_the_schedules_length()
    {
        // The two Qwen3 logs: "Warmup steps (600) exceed total steps (10). Adjusting warmup steps to 10.": the scheduler ran 10 steps.
        foreach (string f in new[] { Color, Gbs2560 })
        {
            var run = TorchtitanLogReader.Read(f, Constant10);
            Assert.Equal("10", run.Metadata.Tags["scheduleSteps"]);
            Assert.StartsWith("torchtitan's warning", run.Metadata.Tags["scheduleStepsSource"], StringComparison.Ordinal);
            Assert.False(run.Metadata.Tags.ContainsKey("decayRatio"));
        }
        // The 1,000-step log gives no scheduler setting beyond the start-up line: no tag, the hint as before.
        Assert.False(TorchtitanLogReader.Read(Glm5, new RunReadOptions { Schedule = Glm5Default }).Metadata.Tags.ContainsKey("scheduleSteps"));
        Assert.Equal(Glm5Default, SuggestedSpec(Glm5));
        AssertTorchtitansSchedule(Glm5, 0.0008, 1000, 200, null, "linear", 0);
    }

    [Theory]
    [InlineData(" --lr_scheduler.total_steps=4000")]
    [InlineData(" --lr_scheduler.total_steps 4000")]
    public void A_total_steps_override_on_the_launch_command_sets_the_hints_length(string command)
    {
        // The run stopped at training.steps = 1000 on a 4,000-step schedule (torchtitan's use of lr_scheduler.total_steps).
        string f = Glm5With("glm5_total.log", command);
        Assert.Equal("linear(peak=0.0008,steps=4000,warmup=200)", SuggestedSpec(f));
        var run = AssertTorchtitansSchedule(f, 0.0008, 4000, 200, null, "linear", 0);
        Assert.Equal("4000", run.Metadata.Tags["scheduleSteps"]);
        Assert.Equal("the launch command's --lr_scheduler.total_steps", run.Metadata.Tags["scheduleStepsSource"]);
        Assert.Contains("(steps: the launch command's --lr_scheduler.total_steps; ", Assert.Throws<RunFormatException>(() => TorchtitanLogReader.Read(f)).Message, StringComparison.Ordinal);
        Assert.Equal("1000", run.Metadata.Tags["trainSteps"]);
        // The losses are the log's, its last at update 999 of the 4,000.
        Assert.Equal(999, run.Split(LossSplit.Train).Last().Step);
    }

    [Fact]
    public void The_config_dump_gives_the_configured_schedule_and_wins_over_the_command()
    {
        // "Running with configs: {json.dumps(config.to_dict(), indent=2)}" (job.print_config), torchrun's "[rank0]:" on every line;
        // a rank-1 line in between is not part of it. The command's 1,500 is overridden by the dump's 2,000 (the config as run).
        static string R(string text) => "[rank0]:" + text + "\n";
        string dump = "[rank0]:[titan] 2026-08-13 22:49:17,237 - root - INFO - Running with configs: {\n"
            + R("  \"job\": {") + R("    \"dump_folder\": \"./outputs\",") + R("    \"print_config\": true") + R("  },")
            + "[rank1]:[titan] 2026-08-13 22:49:17,237 - root - INFO - Preparing c4_test dataset from tests/assets/c4_test\n"
            + R("  \"optimizer\": {") + R("    \"name\": \"AdamW\",") + R("    \"lr\": 0.0008,") + R("    \"eps\": 1e-08") + R("  },")
            + R("  \"lr_scheduler\": {") + R("    \"warmup_steps\": 200,") + R("    \"total_steps\": 2000,") + R("    \"decay_ratio\": 0.2,")
            + R("    \"decay_type\": \"cosine\",") + R("    \"min_lr_factor\": 0.1") + R("  },")
            + R("  \"training\": {") + R("    \"steps\": 1000") + R("  }") + R("}");
        string f = Glm5With("glm5_dump.log", " --lr_scheduler.total_steps=1500 --lr_scheduler.decay_type=linear", dump);
        Assert.Equal("wsd(peak=0.0008,steps=2000,warmup=200,cooldownSteps=400,shape=cosine,floor=8e-05)", SuggestedSpec(f));
        var run = AssertTorchtitansSchedule(f, 0.0008, 2000, 200, 0.2, "cosine", 0.1);
        Assert.Equal("2000", run.Metadata.Tags["scheduleSteps"]);
        Assert.Equal("the config dump's lr_scheduler.total_steps", run.Metadata.Tags["scheduleStepsSource"]);
        Assert.Equal("0.2", run.Metadata.Tags["decayRatio"]);
        Assert.Equal("cosine", run.Metadata.Tags["decayType"]);
        Assert.Equal("0.1", run.Metadata.Tags["minLrFactor"]);
        // The losses are read as without the dump.
        Assert.Equal(StepLines(Glm5).Skip(1).Select(l => l.Loss), run.Split(LossSplit.Train).Select(o => o.Loss));
    }

    [Fact]
    public void The_2024_args_dump_and_the_decay_warning_give_the_wsd_schedule()
    {
        // torchtitan before 755ce8ff prints the config as a Python dict on one line ("lr_min", the same factor, before 881f0ca4).
        string steps = string.Concat(Enumerable.Range(1, 20).Select(k => Line($"step: {k,2}  loss: {10 - 0.1 * k:F4}  memory: 1GiB", k)));
        string args = Line("Running with args: {'job': {'config_file': 'train_configs/debug_model.toml', 'dump_folder': './outputs'}, "
            + "'optimizer': {'name': 'AdamW', 'lr': 0.0003, 'eps': 1e-08}, "
            + "'lr_scheduler': {'warmup_steps': 2, 'decay_ratio': 0.5, 'decay_type': 'sqrt', 'lr_min': 0.0}, 'training': {'steps': 20}}");
        string init = Line("Training starts at step 1, with local batch size 8, global batch size 64, sequence length 2048, total steps 20 (warmup 2)");
        string f = _tmp.File("args.log", args + init + steps);
        Assert.Equal("wsd(peak=0.0003,steps=20,warmup=2,cooldownSteps=10,shape=sqrt)", SuggestedSpec(f));
        AssertTorchtitansSchedule(f, 0.0003, 20, 2, 0.5, "sqrt", 0);

        // Only torchtitan's warning says R is set: "Warmup (15) + decay (10) steps exceed total steps (20). Adjusting decay steps to 5."
        string warned = _tmp.File("warned.log", Line("Trainer is initialized with local batch size 8, global batch size 64, sequence length 2048, total steps 20 (warmup 15)")
            + Line("Warmup (15) + decay (10) steps exceed total steps (20). Adjusting decay steps to 5.").Replace(" - INFO - ", " - WARNING - ", StringComparison.Ordinal)
            + steps);
        Assert.Equal("wsd(peak=LR,steps=20,warmup=15,cooldownSteps=5,shape=linear)", SuggestedSpec(warned));
        Assert.Equal("20", TorchtitanLogReader.Read(warned, new RunReadOptions { Schedule = "constant(peak=3e-4,steps=20)" }).Metadata.Tags["scheduleSteps"]);
    }

    /// <summary>The 2026 dump of <see cref="The_config_dump_gives_the_configured_schedule_and_wins_over_the_command"/>, its job section's lines given.</summary>
    private static string Dump(string jobLine, bool closed)
    {
        static string R(string text) => "[rank0]:" + text + "\n";
        return "[rank0]:[titan] 2026-08-13 22:49:17,237 - root - INFO - Running with configs: {\n"
            + R("  \"job\": {") + R("    \"dump_folder\": \"./outputs\",") + R(jobLine) + R("    \"print_config\": true") + R("  },")
            + R("  \"optimizer\": {") + R("    \"name\": \"AdamW\",") + R("    \"lr\": 0.0008,") + R("    \"eps\": 1e-08") + R("  },")
            + R("  \"lr_scheduler\": {") + R("    \"warmup_steps\": 200,") + R("    \"total_steps\": 2000,") + R("    \"decay_ratio\": 0.2,")
            + R("    \"decay_type\": \"cosine\",") + R("    \"min_lr_factor\": 0.1") + R("  },")
            + (closed ? R("  \"training\": {") + R("    \"steps\": 1000") + R("  }") + R("}") : "");
    }

    [Theory]
    [InlineData("    \"description\": \"sweep {lr, left open\",", true)] // a brace in a string value: text, not the dump's
    [InlineData("    \"description\": \"a run\",", false)] // the dump cut short: never closed
    [InlineData("    \"description\": \"a } and a \\\" {\",", false)] // both, an escaped quote in the string
    public void A_dump_left_open_or_with_braces_in_its_strings_loses_no_step_line(string jobLine, bool closed)
    {
        // Hand-made variants of the real 1,000-step log (its lines as committed, a dump inserted as in the test above): before the
        // review's fix every later [rank0] line was taken for the dump, its 1,000 step lines with them.
        string f = Glm5With("glm5_open_dump.log", "", Dump(jobLine, closed));
        Assert.Equal("wsd(peak=0.0008,steps=2000,warmup=200,cooldownSteps=400,shape=cosine,floor=8e-05)", SuggestedSpec(f));
        var run = TorchtitanLogReader.Read(f, new RunReadOptions { Schedule = Glm5Default });
        Assert.Equal(StepLines(Glm5).Skip(1).Select(l => l.Loss), run.Split(LossSplit.Train).Select(o => o.Loss));
        Assert.Equal("2000", run.Metadata.Tags["scheduleSteps"]);
    }

    [Fact]
    public void A_brace_in_a_string_of_the_args_dump_does_not_end_its_section()
    {
        // Hand-made: a 2024 one-line dict whose lr_scheduler holds a string with a '}' before its settings.
        string steps = string.Concat(Enumerable.Range(1, 20).Select(k => Line($"step: {k,2}  loss: {10 - 0.1 * k:F4}  memory: 1GiB", k)));
        string args = Line("Running with args: {'job': {'description': '{ open'}, 'optimizer': {'name': 'AdamW', 'lr': 0.0003}, "
            + "'lr_scheduler': {'note': 'a } here', 'warmup_steps': 2, 'decay_ratio': 0.5, 'decay_type': 'sqrt'}, 'training': {'steps': 20}}");
        string f = _tmp.File("args_brace.log", args + steps);
        Assert.Equal("wsd(peak=0.0003,steps=20,warmup=2,cooldownSteps=10,shape=sqrt)", SuggestedSpec(f));
    }

    [Fact]
    public void A_decay_ratio_rounding_to_no_decay_step_gives_a_constant_schedule()
    {
        // D = round(1000 x 0.0004) = 0: torchtitan's stable phase runs to the end, the peak held after the warmup (not a linear decay).
        string f = Glm5With("glm5_no_decay.log", " --lr_scheduler.decay_ratio=0.0004");
        Assert.Equal("constant(peak=0.0008,steps=1000,warmup=200)", SuggestedSpec(f));
        AssertTorchtitansSchedule(f, 0.0008, 1000, 200, 0.0004, "linear", 0);
    }
}
