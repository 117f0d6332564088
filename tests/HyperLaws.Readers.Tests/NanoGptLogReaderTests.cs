using System.Globalization;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// nanoGPT stdout logs: a real 6,000-iteration run (TestData/nanogpt_log, see its README), every loss checked against the file
/// parsed here independently (split at spaces and commas), the settings and the suggested schedule (against nanoGPT's get_lr written
/// out here), and hand-made variants for what it does not show (the lecture script's eval-only lines, resumed logs, broken lines).
/// </summary>
public sealed class NanoGptLogReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "TestData", "nanogpt_log");

    private static string Real => Path.Combine(Folder, "tinystories_50m_train.log");

    private const string Spec = "cosine(peak=6e-4,warmup=101,steps=6001,floor=6e-5)";

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>(k, loss) of the "iter k: loss X, ..." lines and (k, val loss) of the "step k: ..." lines, split by hand.</summary>
    private static (List<(int K, double Loss)> Iters, List<(int K, double Val)> Evals) Lines(string path)
    {
        var iters = new List<(int, double)>();
        var evals = new List<(int, double)>();
        foreach (string line in File.ReadLines(path))
        {
            var w = line.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
            if (w.Length > 3 && w[0] == "iter" && w[2] == "loss") iters.Add((int.Parse(w[1].TrimEnd(':'), CultureInfo.InvariantCulture), D(w[3])));
            if (w.Length > 7 && w[0] == "step" && w[2] == "train" && w[5] == "val") evals.Add((int.Parse(w[1].TrimEnd(':'), CultureInfo.InvariantCulture), D(w[7])));
        }
        return (iters, evals);
    }

    [Fact]
    public void The_real_log_is_recognised_by_content_and_read_by_RunReader()
    {
        Assert.True(NanoGptLogReader.Recognizes(Real));
        Assert.False(LlmcLogReader.Recognizes(Real));
        Assert.False(SpeedrunLogReader.Recognizes(Real));
        Assert.False(MegatronLogReader.Recognizes(Real));
        Assert.False(FairseqLogReader.Recognizes(Real));
        Assert.False(TorchtitanLogReader.Recognizes(Real));
        var options = new RunReadOptions { Schedule = Spec };
        Assert.Equal("nanogpt-log", RunReader.Read(Real, options).Metadata.Tags["format"]);
        var set = RunReader.ReadDirectory(Folder, options);
        Assert.Empty(set.Failures);
        Assert.Single(set.Runs);
    }

    [Fact]
    public void No_other_fixture_is_taken_for_a_nanogpt_log()
    {
        // nanoGPT is tried after every other text log reader, so a file none of this recognises is read as before.
        var files = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData"), "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Folder, StringComparison.Ordinal)).ToList();
        Assert.True(files.Count > 50);
        foreach (string f in files) Assert.False(NanoGptLogReader.Recognizes(f), f);
    }

    [Fact]
    public void Every_loss_of_the_real_log_is_at_its_documented_step()
    {
        var (iters, evals) = Lines(Real);
        Assert.Equal(Enumerable.Range(0, 601).Select(i => 10 * i), iters.Select(l => l.K));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => 250 * i), evals.Select(l => l.K));
        var run = NanoGptLogReader.Read(Real, new RunReadOptions { Schedule = Spec });
        // Line 65: "iter 0: loss 10.9409": the untrained model's batch loss; line 63: "step 0: ... val loss 10.9386".
        Assert.Equal("10.9409", run.Metadata.Tags["initialLoss"]);
        Assert.Equal("10.9386", run.Metadata.Tags["initialValLoss"]);
        var train = run.Split(LossSplit.Train).ToList();
        Assert.Equal(iters.Skip(1).Select(l => l.K), train.Select(o => o.Step));
        Assert.Equal(iters.Skip(1).Select(l => l.Loss), train.Select(o => o.Loss));
        var val = run.Split(LossSplit.Validation).ToList();
        Assert.Equal(evals.Skip(1).Select(l => l.K), val.Select(o => o.Step));
        Assert.Equal(evals.Skip(1).Select(l => l.Val), val.Select(o => o.Loss));
        // Lines 724-725: "step 6000: ... val loss 1.3023", "iter 6000: loss 1.2711": after 6,000 updates; the iteration then
        // makes update 6,001 and the loop stops (iter_num > max_iters).
        Assert.Equal(1.3023, val[^1].Loss, 12);
        Assert.Equal(1.2711, train[^1].Loss, 12);
        Assert.Equal(6001, run.Steps);
        Assert.False(run.Diverged, run.Metadata.Tags.GetValueOrDefault("divergenceReason"));
    }

    [Fact]
    public void The_printed_settings_give_size_batch_and_the_config()
    {
        var run = NanoGptLogReader.Read(Real, new RunReadOptions { Schedule = Spec });
        Assert.Equal(50.93e6, run.Metadata.Parameters); // "number of parameters: 50.93M"
        Assert.Equal(262_144, run.Metadata.TokensPerStep); // "tokens per iteration will be: 262,144"
        Assert.Equal(512, run.Metadata.SequenceLength); // "block_size = 512 # context of ..."
        Assert.Equal(512, run.Metadata.BatchSize); // 262,144 / 512 (8 accumulation steps x 64)
        Assert.Equal(262_144.0 * 6001, run.Metadata.TotalTokens);
        Assert.Equal("6e-4", run.Metadata.Tags["learningRate"]);
        Assert.Equal("100", run.Metadata.Tags["warmupIters"]);
        Assert.Equal("6000", run.Metadata.Tags["lrDecayIters"]);
        Assert.Equal("6e-5", run.Metadata.Tags["minLr"]);
        Assert.Equal("6000", run.Metadata.Tags["maxIters"]);
        Assert.Equal("adamw", run.Metadata.Optimizer); // "using fused AdamW: True"
    }

    [Fact]
    public void The_suggested_spec_is_nanogpts_get_lr_exactly()
    {
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(Real));
        Assert.StartsWith(Real + ":0:", e.Message, StringComparison.Ordinal);
        Assert.Contains($"--schedule '{Spec}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("train.py from dc81cb36, 2024-12-09: before it the warmup was peak it/W", e.Message, StringComparison.Ordinal);
        // train.py's get_lr(it) (the fork's, as karpathy/nanoGPT's), used for update t = it + 1.
        static double GetLr(int it)
        {
            const double lr = 6e-4, min = 6e-5;
            const int warmup = 100, decay = 6000;
            if (it < warmup) return lr * (it + 1) / (warmup + 1);
            if (it > decay) return min;
            double ratio = (it - warmup) / (double)(decay - warmup);
            return min + 0.5 * (1.0 + Math.Cos(Math.PI * ratio)) * (lr - min);
        }
        var run = NanoGptLogReader.Read(Real, new RunReadOptions { Schedule = Spec });
        for (int t = 1; t <= 6001; t++) Assert.Equal(GetLr(t - 1), run.LearningRates[t - 1], 1e-15);
    }

    [Fact]
    public void The_lecture_scripts_eval_lines_and_a_resumed_log_are_read()
    {
        // ng-video-lecture's gpt.py: "step k: train loss A, val loss B" alone, no config echo.
        string f = _tmp.File("gpt.log", "Running on cuda\nstep 0: train loss 4.2849, val loss 4.2824\nstep 500: train loss 2.0056, val loss 2.0907\n"
            + "step 1000: train loss 1.6010, val loss 1.7806\nstep 1000: train loss 1.6010, val loss 1.7900\n");
        Assert.True(NanoGptLogReader.Recognizes(f));
        var e = Assert.Throws<RunFormatException>(() => NanoGptLogReader.Read(f));
        Assert.Contains("the log echoes no config", e.Message, StringComparison.Ordinal);
        var run = NanoGptLogReader.Read(f, new RunReadOptions { Schedule = "constant(peak=3e-4,steps=1000)" });
        Assert.Equal(1000, run.Steps);
        Assert.Equal([500, 1000], run.Split(LossSplit.Validation).Select(o => o.Step));
        Assert.Equal(1.79, run.Split(LossSplit.Validation).Last().Loss); // logged twice: the later line
        Assert.Equal("1", run.Metadata.Tags["resumeConflicts"]);
        Assert.Null(run.Metadata.TokensPerStep);
    }

    [Theory]
    [InlineData("iter 20: loss abc, time 1.00ms, mfu 1.00%", "loss 'abc' is not a number")]
    [InlineData("iter 20: loss 3.2", "not of the form")]
    [InlineData("step 20: train loss 3.1, val loss", "not of the form")]
    public void A_broken_loop_line_is_an_error_naming_its_line(string text, string problem)
    {
        string f = _tmp.File("broken.log", "tokens per iteration will be: 1,024\niter 10: loss 3.5000, time 1.00ms, mfu 1.00%\n" + text + "\n");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f, new RunReadOptions { Schedule = "constant(peak=3e-4,steps=30)" }));
        Assert.StartsWith(f + ":3:", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_loop_line_with_non_ascii_digits_is_not_a_loop_line()
    {
        // "iter \u0661\u0660:" (Arabic-Indic 10): \d would take it as a step and the invariant parse refuse it as "absurdly large".
        string f = _tmp.File("digits.log", "iter 0: loss 4.0000, time 1.00ms, mfu -100.00%\niter \u0661\u0660: loss 3.0000, time 1.00ms, mfu 1.00%\n"
            + "iter 10: loss 3.0000, time 1.00ms, mfu 1.00%\n");
        var run = NanoGptLogReader.Read(f, new RunReadOptions { Schedule = "constant(peak=3e-4,steps=11)" });
        Assert.Equal([10], run.Split(LossSplit.Train).Select(o => o.Step));
    }

    [Fact]
    public void Decay_lr_false_and_a_short_decay_are_in_the_hint()
    {
        string body = "iter 0: loss 4.0000, time 1.00ms, mfu -100.00%\niter 10: loss 3.0000, time 1.00ms, mfu 1.00%\n";
        string f1 = _tmp.File("const.log", "Overriding: learning_rate = 1e-3\nOverriding: decay_lr = False\nOverriding: max_iters = 10\n" + body);
        Assert.Contains("--schedule 'constant(peak=1e-3,steps=11)'", Assert.Throws<RunFormatException>(() => NanoGptLogReader.Read(f1)).Message, StringComparison.Ordinal);
        string f2 = _tmp.File("short.log", "Overriding config with config/x.py:\nlearning_rate = 1e-3 # peak\nmax_iters = 10\nlr_decay_iters = 8\nmin_lr = 1e-4\nwarmup_iters = 2\n" + body);
        string m2 = Assert.Throws<RunFormatException>(() => NanoGptLogReader.Read(f2)).Message;
        Assert.Contains("--schedule 'cosine(peak=1e-3,warmup=3,steps=11,floor=1e-4)'", m2, StringComparison.Ordinal);
        Assert.Contains("lr_decay_iters (8) is below max_iters (10): the LR stays at min_lr", m2, StringComparison.Ordinal);
        // Compared as numbers: 1e1 = 10, no warning.
        string f3 = _tmp.File("same.log", "Overriding: max_iters = 10\nOverriding: lr_decay_iters = 1e1\n" + body);
        Assert.DoesNotContain("beware", Assert.Throws<RunFormatException>(() => NanoGptLogReader.Read(f3)).Message, StringComparison.Ordinal);
        // A decay longer than the run: the other direction.
        string f4 = _tmp.File("long.log", "Overriding: max_iters = 10\nOverriding: lr_decay_iters = 20\n" + body);
        Assert.Contains("lr_decay_iters (20) exceeds max_iters (10): the run stopped before its cosine reached min_lr",
            Assert.Throws<RunFormatException>(() => NanoGptLogReader.Read(f4)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_values_that_are_no_plain_numbers_keep_their_placeholders()
    {
        // Python text from a config file: an expression and a digit separator are not pasted into the spec.
        string f = _tmp.File("expr.log", "Overriding config with config/x.py:\nlearning_rate = 6e-4\nmin_lr = learning_rate / 10\nmax_iters = 600_000\nwarmup_iters = 2000\n"
            + "iter 0: loss 4.0000, time 1.00ms, mfu -100.00%\niter 10: loss 3.0000, time 1.00ms, mfu 1.00%\n");
        string m = Assert.Throws<RunFormatException>(() => NanoGptLogReader.Read(f)).Message;
        Assert.Contains("--schedule 'cosine(peak=6e-4,warmup=2001,steps=11,floor=MIN_LR)'", m, StringComparison.Ordinal);
        Assert.Contains("not plain numbers, left as placeholders: max_iters = 600_000, min_lr = learning_rate / 10", m, StringComparison.Ordinal);
    }
}
