using System.Globalization;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// llm.c <c>main.log</c> and modded-nanogpt speedrun logs: real files (TestData/modded_nanogpt, see its README), each value checked
/// against the file parsed here independently by splitting its lines, and hand-made variants for what they do not show.
/// </summary>
public sealed class TextLogReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    internal static string Real(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "modded_nanogpt", name);

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>The llm.c records of a file: (step, key, value) for every key:value field of every line.</summary>
    private static List<(int Step, string Key, double Value)> LlmcRecords(string path)
    {
        var list = new List<(int, string, double)>();
        foreach (string line in File.ReadLines(path))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int step = int.Parse(parts[0][2..], CultureInfo.InvariantCulture);
            foreach (string p in parts.Skip(1))
            {
                int c = p.IndexOf(':');
                list.Add((step, p[..c], D(p[(c + 1)..])));
            }
        }
        return list;
    }

    [Fact]
    public void Llmc_main_log_losses_and_lrs_are_the_files_at_the_documented_steps()
    {
        string path = Real("llmc_gpt2_124m.head.log");
        var rec = LlmcRecords(path);
        var trl = rec.Where(r => r.Key == "trl").ToList();
        var tel = rec.Where(r => r.Key == "tel").ToList();
        var lr = rec.Where(r => r.Key == "lr").ToList();
        var run = RunReader.Read(path);
        Assert.Equal("llm.c", run.Metadata.Tags["format"]);
        Assert.False(run.Diverged, run.Metadata.Tags.GetValueOrDefault("divergenceReason"));
        Assert.Equal(trl[^1].Step + 1, run.Steps); // the cut log ends on a trl line: S = its step + 1
        // trl at s:k is the loss after k updates; k = 0 is the tag.
        var train = run.Split(LossSplit.Train);
        Assert.Equal(trl.Skip(1).Select(t => (t.Step, t.Value)), train.Select(o => (o.Step, o.Loss)));
        Assert.Equal(trl[0].Value, D(run.Metadata.Tags["initialLoss"]));
        var val = run.Split(LossSplit.Validation);
        Assert.Equal(tel.Skip(1).Select(t => (t.Step, t.Value)), val.Select(o => (o.Step, o.Loss)));
        Assert.Equal([250, 500, 750], val.Select(o => o.Step));
        Assert.Equal(tel[0].Value, D(run.Metadata.Tags["initialValLoss"]));
        // lr at s:k is the LR of update k + 1, used as printed at every step.
        Assert.Equal(lr.Select(l => l.Value), run.LearningRates);
        Assert.Equal(0.000001, run.LearningRates[0]);
        Assert.False(run.Metadata.Tags.ContainsKey(ReaderTags.LrFilledIn));
    }

    [Fact]
    public void Llmc_lrs_match_llmcs_cosine_schedule_to_the_printed_digits_and_a_wrong_schedule_names_the_line()
    {
        string path = Real("llmc_gpt2_124m.head.log");
        // llm.c's get_learning_rate: warmup max_lr (step + 1) / 700 for update step + 1, then cosine to 0 over 19,560 steps.
        var run = RunReader.Read(path, new RunReadOptions { Schedule = "cosine(peak=6e-4,warmup=700,steps=19560)" });
        Assert.Equal(19560, run.Steps);
        Assert.Equal("cosine(peak=6e-4,warmup=700,steps=19560)", run.Metadata.Schedule);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path, new RunReadOptions { Schedule = "cosine(peak=6e-4,warmup=600,steps=19560)" }));
        Assert.StartsWith(path + ":", e.Message, StringComparison.Ordinal);
        // The first disagreement: update 2 logs 0.000002 (6e-4 * 2 / 700 = 1.7e-6); 6e-4 * 2 / 600 = 2e-6 agrees; update 4 (line 5)
        // logs 0.000003 (3.4e-6) against 4e-6.
        Assert.Contains("disagrees with the schedule", e.Message, StringComparison.Ordinal);
        Assert.Matches(@":\d+: logged learning rate", e.Message);
    }

    [Fact]
    public void Llmc_python_log_without_lrs_needs_a_schedule()
    {
        string path = Real("adamw_baseline.head.log");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path));
        Assert.Equal($"{path}:0: no learning rate is logged: this llm.c log has no 'lr:' fields (the PyTorch train_gpt2.py writes 's:k trl:X' alone); give the run's schedule: hyperlaws import FILE --schedule SPEC --out RUN.csv.", e.Message);
        var rec = LlmcRecords(path);
        const string spec = "wsd(peak=0.0018,warmup=250,steps=9536,cooldownSteps=2000)";
        var run = RunReader.Read(path, new RunReadOptions { Schedule = spec });
        Assert.Equal(9536, run.Steps); // the schedule's length, beyond the cut log
        Assert.Equal(rec.Where(r => r.Key == "trl" && r.Step > 0).Select(r => (r.Step, r.Value)), run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        Assert.Equal([128, 256, 384], run.Split(LossSplit.Validation).Select(o => o.Step));
    }

    /// <summary>The event lines of a speedrun log: (k, key, value) for train_loss and val_loss.</summary>
    private static List<(int K, int S, string Key, double Value)> SpeedrunEvents(string path)
    {
        var list = new List<(int, int, string, double)>();
        foreach (string line in File.ReadLines(path))
        {
            if (!line.StartsWith("step:", StringComparison.Ordinal) || !char.IsAsciiDigit(line[5])) continue;
            var parts = line.Split(' ');
            var ks = parts[0][5..].Split('/');
            foreach (string p in parts.Skip(1).Where(p => p.StartsWith("train_loss:", StringComparison.Ordinal) || p.StartsWith("val_loss:", StringComparison.Ordinal)))
                list.Add((int.Parse(ks[0], CultureInfo.InvariantCulture), int.Parse(ks[1], CultureInfo.InvariantCulture), p[..p.IndexOf(':')], D(p[(p.IndexOf(':') + 1)..])));
        }
        return list;
    }

    [Fact]
    public void Speedrun_log_train_loss_at_k_is_after_k_minus_1_updates_and_val_loss_after_k()
    {
        string path = Real("optimizers_adam.head.txt");
        var ev = SpeedrunEvents(path);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path));
        Assert.StartsWith($"{path}:0: no learning rate is logged: a speedrun log has none;", e.Message, StringComparison.Ordinal);
        const string spec = "wsd(peak=0.0018,steps=5100,warmup=250,cooldownSteps=1450)";
        var run = RunReader.Read(path, new RunReadOptions { Schedule = spec });
        Assert.Equal("modded-nanogpt", run.Metadata.Tags["format"]);
        Assert.Equal(5100, run.Steps);
        Assert.All(ev, x => Assert.Equal(5100, x.S));
        var train = ev.Where(x => x.Key == "train_loss").ToList();
        Assert.Equal(train.Skip(1).Select(x => (x.K - 1, x.Value)), run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        Assert.Equal(train[0].Value, D(run.Metadata.Tags["initialLoss"]));
        var val = ev.Where(x => x.Key == "val_loss").ToList();
        Assert.Equal(val.Skip(1).Select(x => (x.K, x.Value)), run.Split(LossSplit.Validation).Select(o => (o.Step, o.Loss)));
        Assert.Equal(val[0].Value, D(run.Metadata.Tags["initialValLoss"]));
        Assert.False(run.Diverged, run.Metadata.Tags.GetValueOrDefault("divergenceReason"));
    }

    [Fact]
    public void One_odd_batch_in_a_real_speedrun_log_is_not_a_divergence_but_a_sustained_rise_is()
    {
        string path = Real("optimizers_adam.head.txt");
        var train = SpeedrunEvents(path).Where(x => x.Key == "train_loss" && x.K > 1).ToList();
        // The raw rule would fire: the rank-0 batch loss at step:947 is over 1.5x the running minimum of the losses before it.
        int odd = train.FindIndex(x => x.K == 947);
        double minBefore = train.Take(odd).Min(x => x.Value);
        Assert.True(train[odd].Value > 1.5 * minBefore, $"{train[odd].Value} vs {minBefore}");
        var options = new RunReadOptions { Schedule = "wsd(peak=0.0018,steps=5100,warmup=250,cooldownSteps=1450)" };
        Assert.False(RunReader.Read(path, options).Diverged);

        // The same log with the losses from step:900 on doubled for good: diverged, by the trailing median, 11 logs later.
        var lines = File.ReadAllLines(path).Select(l =>
        {
            if (!l.StartsWith("step:", StringComparison.Ordinal) || !l.Contains("train_loss:", StringComparison.Ordinal)) return l;
            int k = int.Parse(l[5..l.IndexOf('/')], CultureInfo.InvariantCulture);
            if (k < 900) return l;
            int a = l.IndexOf("train_loss:", StringComparison.Ordinal) + "train_loss:".Length, b = l.IndexOf(' ', a);
            return l[..a] + (2 * D(l[a..b])).ToString("R", CultureInfo.InvariantCulture) + l[b..];
        });
        string risen = _tmp.File("risen.txt", string.Join('\n', lines) + "\n");
        var run = RunReader.Read(risen, options);
        Assert.True(run.Diverged);
        Assert.StartsWith("train loss median", run.Metadata.Tags["divergenceReason"], StringComparison.Ordinal);
    }

    [Fact]
    public void Speedrun_log_with_validation_losses_only_reads_a_whole_run()
    {
        string path = Real("track3_adam_5625.txt");
        var ev = SpeedrunEvents(path);
        var run = RunReader.Read(path, new RunReadOptions { Schedule = "wsd(peak=0.0015,steps=5625,warmup=250,cooldown=0.7)" });
        Assert.Equal(5625, run.Steps);
        Assert.Empty(run.Split(LossSplit.Train));
        var val = run.Split(LossSplit.Validation).ToList();
        Assert.Equal(ev.Count - 1, val.Count);
        Assert.Equal((5625, 3.27903), (val[^1].Step, val[^1].Loss));
        Assert.Equal("5625", run.Metadata.Tags["lastLoggedStep"]);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("mean", true)]
    [InlineData("batch", false)]
    public void A_generic_run_file_of_batch_losses_keeps_the_median_rule(string? kind, bool diverged)
    {
        // 40 decreasing losses with one odd batch at 1.6x the running minimum (as the speedrun's step 946).
        var lines = new List<string> { "# schedule: constant(peak=0.001,steps=40)" };
        if (kind is not null) lines.Add("# train_losses: " + kind);
        lines.Add("step,loss");
        for (int s = 1; s <= 40; s++) lines.Add(string.Create(CultureInfo.InvariantCulture, $"{s},{(s == 30 ? 1.6 * (3 + 1.0 / 29) : 3 + 1.0 / s):R}"));
        var run = RunReader.Read(_tmp.File("run.csv", string.Join('\n', lines) + "\n"));
        Assert.Equal(diverged, run.Diverged);
    }

    [Fact]
    public void A_generic_train_losses_kind_other_than_batch_or_mean_is_refused()
    {
        string path = _tmp.File("run.csv", "# train_losses: minibatch\n# schedule: constant(peak=0.001,steps=2)\nstep,loss\n1,3\n2,2.9\n");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path));
        Assert.Equal($"{path}:1: train_losses must be 'batch' (single-batch losses) or 'mean', found 'minibatch'.", e.Message);
    }

    [Fact]
    public void A_folder_of_logs_is_read_and_other_text_files_are_skipped()
    {
        string dir = Path.Combine(_tmp.Path, "logs");
        Directory.CreateDirectory(dir);
        File.Copy(Real("llmc_gpt2_124m.head.log"), Path.Combine(dir, "main.log"));
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "step: see the README\n");
        var set = RunReader.ReadDirectory(dir);
        Assert.Empty(set.Failures);
        Assert.Equal("logs", Assert.Single(set.Runs).Name); // llm.c's main.log is named by its folder (-o DIR)
    }

    [Fact]
    public void Llmc_main_logs_are_named_by_their_folders_so_a_folder_of_runs_gives_distinct_runs()
    {
        // llm.c writes every run's log as DIR/main.log (-o DIR): named by the file, every run was "main".
        string root = Path.Combine(_tmp.Path, "runs");
        foreach (string run in new[] { "gpt2_124m_lr6e-4", "gpt2_124m_lr1e-3" })
        {
            Directory.CreateDirectory(Path.Combine(root, run));
            File.Copy(Real("llmc_gpt2_124m.head.log"), Path.Combine(root, run, "main.log"));
        }
        File.Copy(Real("llmc_gpt2_124m.head.log"), Path.Combine(root, "llmc-124m.log"));
        var set = RunReader.ReadDirectory(root, recursive: true);
        Assert.Empty(set.Failures);
        Assert.Equal(["gpt2_124m_lr1e-3", "gpt2_124m_lr6e-4", "llmc-124m"], set.Runs.Select(r => r.Name).Order(StringComparer.Ordinal));
        // main.log states no batch (llm.c prints its settings to stdout only): unknown, as before.
        Assert.All(set.Runs, r => Assert.Null(r.Metadata.TokensPerStep));
    }

    [Theory]
    // 2024: Hyperparameters batch_size "in sequences, across all devices" x sequence_length.
    [InlineData("optimizers_adam.head.txt", "wsd(peak=0.0018,steps=5100,warmup=250,cooldownSteps=1450)", 524288.0,
        "the script's Hyperparameters: batch_size 512 sequences x sequence_length 1024 = 524288 tokens per step", "250", "1450", null)]
    [InlineData("scaleup1b_muon_short.head.txt", "wsd(peak=0.00018,steps=15258,cooldownSteps=4359)", 491520.0,
        "the script's Hyperparameters: batch_size 480 sequences x sequence_length 1024 = 491520 tokens per step", "0", "4359", null)]
    // January 2025: batch_size "in tokens".
    [InlineData("softcap_1390.head.txt", "wsd(peak=0.05,steps=1390,cooldown=0.4)", 524288.0,
        "the script's Hyperparameters: batch_size 524288 (\"batch size in tokens\") tokens per step", null, null, "0.4")]
    // 2025-2026: the token loader's batch, literal or world_size (assert world_size == 8) x train_seq_len.
    [InlineData("track3_adam_5625.txt", "wsd(peak=0.0015,steps=5625,warmup=250,cooldown=0.7)", 524288.0,
        "the script's train loader: distributed_data_generator(..., batch_size) = 524288 tokens per step", null, null, "0.7")]
    [InlineData("stabletorch_1770.txt", "wsd(peak=0.05,steps=1770,cooldown=0.4)", 393216.0,
        "the script's train loader: distributed_data_generator(..., world_size * args.train_seq_len) = 393216 tokens per step", null, null, "0.4")]
    public void Speedrun_logs_give_the_batch_and_schedule_their_own_script_states(string file, string spec, double tokens, string source,
        string? warmup, string? cooldownSteps, string? cooldownFraction)
    {
        var run = RunReader.Read(Real(file), new RunReadOptions { Schedule = spec });
        Assert.Equal(tokens, run.Metadata.TokensPerStep);
        Assert.Equal(tokens * run.Steps, run.Metadata.TotalTokens);
        Assert.Equal(source, run.Metadata.Tags["tokensPerStepSource"]);
        Assert.Equal(warmup, run.Metadata.Tags.GetValueOrDefault("scriptWarmupSteps"));
        Assert.Equal(cooldownSteps, run.Metadata.Tags.GetValueOrDefault("scriptCooldownSteps"));
        Assert.Equal(cooldownFraction, run.Metadata.Tags.GetValueOrDefault("scriptCooldownFraction"));
    }

    [Fact]
    public void Speedrun_log_without_a_schedule_is_told_the_script_s_own()
    {
        string path = Real("optimizers_adam.head.txt");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path));
        Assert.Equal($"{path}:0: no learning rate is logged: a speedrun log has none; the schedule is in the training script at the top of the log (get_lr or set_hparams), which states wsd(peak=LR,steps=5100,warmup=250,cooldownSteps=1450) (LR: the peak LR of the parameter group to plan for; check the warmup in the script): hyperlaws import FILE --schedule 'wsd(peak=LR,steps=5100,warmup=250,cooldownSteps=1450)' --out RUN.csv.", e.Message);
        var t3 = Assert.Throws<RunFormatException>(() => RunReader.Read(Real("track3_adam_5625.txt")));
        Assert.Contains("--schedule 'wsd(peak=LR,steps=5625,cooldown=0.7)'", t3.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_that_changes_its_batch_or_states_none_gives_no_batch()
    {
        // The 2025 log with a batch schedule added (as the later records send the loader a new batch size): no one batch.
        var lines = File.ReadAllLines(Real("stabletorch_1770.txt")).ToList();
        int loader = lines.FindIndex(l => l.StartsWith("train_loader = distributed_data_generator(", StringComparison.Ordinal));
        lines.Insert(loader + 1, "train_loader.send((2 * world_size * args.train_seq_len, rank, world_size))");
        const string spec = "wsd(peak=0.05,steps=1770,cooldown=0.4)";
        var run = RunReader.Read(_tmp.File("sends.txt", string.Join('\n', lines) + "\n"), new RunReadOptions { Schedule = spec });
        Assert.Null(run.Metadata.TokensPerStep);
        Assert.StartsWith("the script changes its batch during the run", run.Metadata.Tags["tokensPerStepSource"], StringComparison.Ordinal);
        // Without the assert the world size is not stated: the loader's batch cannot be evaluated.
        lines = [.. File.ReadAllLines(Real("stabletorch_1770.txt")).Where(l => !l.StartsWith("assert world_size == 8", StringComparison.Ordinal))];
        run = RunReader.Read(_tmp.File("noworld.txt", string.Join('\n', lines) + "\n"), new RunReadOptions { Schedule = spec });
        Assert.Null(run.Metadata.TokensPerStep);
        Assert.Contains("'world_size * args.train_seq_len'", run.Metadata.Tags["tokensPerStepSource"], StringComparison.Ordinal);
        // July 2025: the loader takes each rank's sequence (def distributed_data_generator(filename_pattern: str, seq_len: int, ...),
        // the world size not asserted): no batch, rather than 49,152 tokens (one rank's).
        run = RunReader.Read(Real("tritonmuon_1750.head.txt"), new RunReadOptions { Schedule = "wsd(peak=0.05,steps=1750,cooldown=0.45)" });
        Assert.Null(run.Metadata.TokensPerStep);
        Assert.Equal("the script's train loader takes 'seq_len', not the tokens of a step across all devices: its batch is not read", run.Metadata.Tags["tokensPerStepSource"]);
        Assert.Equal("0.45", run.Metadata.Tags["scriptCooldownFraction"]);
        // The event lines alone (no script at the top): not stated.
        var events = File.ReadAllLines(Real("optimizers_adam.head.txt")).Where(l => l.StartsWith("step:", StringComparison.Ordinal));
        run = RunReader.Read(_tmp.File("events.txt", string.Join('\n', events) + "\n"), new RunReadOptions { Schedule = "wsd(peak=0.0018,steps=5100,warmup=250,cooldownSteps=1450)" });
        Assert.Null(run.Metadata.TokensPerStep);
        Assert.StartsWith("not stated in the log", run.Metadata.Tags["tokensPerStepSource"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_asserted_world_size_wins_over_a_literal_assignment()
    {
        // A fallback "world_size = 1" (as a script run without torchrun sets) beside "assert world_size == 8": the loader's
        // world_size * args.train_seq_len is the 8 GPUs' batch, not one rank's 49,152 tokens.
        var lines = File.ReadAllLines(Real("stabletorch_1770.txt")).ToList();
        int assert = lines.FindIndex(l => l.StartsWith("assert world_size == 8", StringComparison.Ordinal));
        lines.Insert(assert, "world_size = 1");
        var run = RunReader.Read(_tmp.File("fallback.txt", string.Join('\n', lines) + "\n"), new RunReadOptions { Schedule = "wsd(peak=0.05,steps=1770,cooldown=0.4)" });
        Assert.Equal(393216, run.Metadata.TokensPerStep);
        Assert.Equal("the script's train loader: distributed_data_generator(..., world_size * args.train_seq_len) = 393216 tokens per step", run.Metadata.Tags["tokensPerStepSource"]);
    }

    [Fact]
    public void A_resumed_llmc_log_keeps_the_later_lines()
    {
        string text = "s:0 tel:11.0\ns:0 trl:11.0 lr:0.000100 norm:1.0\ns:1 trl:10.0 lr:0.000200 norm:1.0\ns:2 trl:9.0 lr:0.000300 norm:1.0\n"
            + "s:1 trl:9.9 lr:0.000200 norm:1.0\ns:2 trl:8.9 lr:0.000300 norm:1.0\ns:3 tel:8.5\n";
        string path = _tmp.File("main.log", text);
        var run = RunReader.Read(path);
        Assert.Equal(3, run.Steps);
        Assert.Equal([(1, 9.9), (2, 8.9)], run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        Assert.Equal("2", run.Metadata.Tags["resumeConflicts"]);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path, new RunReadOptions { StrictDuplicates = true }));
        Assert.Equal($"{path}:5: the training loss after 1 updates is 9.9 here and 10 at line 3.", e.Message);
    }

    [Fact]
    public void A_nan_after_finite_losses_marks_the_run_diverged()
    {
        string path = _tmp.File("main.log", "s:0 trl:11.0 lr:0.1 norm:1\ns:1 trl:10.0 lr:0.1 norm:1\ns:2 trl:-nan lr:0.1 norm:nan\ns:3 trl:nan lr:0.1 norm:nan\n");
        var run = RunReader.Read(path);
        Assert.True(run.Diverged);
        Assert.Equal("2", run.Metadata.Tags["divergedAt"]);
        path = _tmp.File("run.txt", "code\nstep:0/4 val_loss:11.0 train_time:0ms\nstep:1/4 train_loss:10.5 train_time:1ms\nstep:2/4 train_loss:9.0 train_time:1ms\nstep:3/4 train_loss:nan train_time:1ms\n");
        run = RunReader.Read(path, new RunReadOptions { Schedule = "constant(peak=0.01,steps=4)" });
        Assert.True(run.Diverged);
        Assert.Equal("2", run.Metadata.Tags["divergedAt"]);
    }

    [Fact]
    public void A_log_file_that_is_neither_format_is_refused_by_name()
    {
        string path = _tmp.File("train.log", "epoch 1 loss 3.2\n");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path));
        Assert.StartsWith($"{path}:1: a .log file that is neither an llm.c main.log", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A line past the readers' bound after a recognised start (a log with a binary tail) is refused at its line, not read whole.</summary>
    [Fact]
    public void A_line_without_end_after_a_recognised_start_is_refused_at_its_line()
    {
        string tail = new('x', HyperLaws.Readers.Internal.BoundedText.MaxLine + 1);
        string path = _tmp.File("main.log", "s:0 tel:11.0\ns:0 trl:11.0 lr:0.000100 norm:1.0\n" + tail);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path));
        Assert.StartsWith($"{path}:3: line longer than", e.Message, StringComparison.Ordinal);
        Assert.Contains("not an llm.c log", e.Message, StringComparison.Ordinal);
        path = _tmp.File("run.txt", "code\nstep:0/4 val_loss:11.0 train_time:0ms\nstep:1/4 train_loss:10.5 train_time:1ms\n" + tail);
        e = Assert.Throws<RunFormatException>(() => RunReader.Read(path, new RunReadOptions { Schedule = "constant(peak=0.01,steps=4)" }));
        Assert.StartsWith($"{path}:4: line longer than", e.Message, StringComparison.Ordinal);
        Assert.Contains("not a speedrun log", e.Message, StringComparison.Ordinal);
    }
}
