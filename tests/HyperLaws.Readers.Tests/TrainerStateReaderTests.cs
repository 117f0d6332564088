using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// Hugging Face Trainer <c>trainer_state.json</c>: three real files from three producers (TestData/hf_trainer_state, see its
/// README) and hand-made variants for what they do not show (eval losses, NaN, resumed logs, a folder of checkpoints).
/// </summary>
public sealed class TrainerStateReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    internal static string Real(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "hf_trainer_state", name + ".trainer_state.json");

    /// <summary>The (step, loss) and (step, learning_rate) pairs of a file, in file order, read with System.Text.Json's node API.</summary>
    private static (List<(int Step, double Loss)> Losses, List<(int Step, double Lr)> Lrs, int GlobalStep) Logged(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var losses = new List<(int, double)>();
        var lrs = new List<(int, double)>();
        foreach (var e in root["log_history"]!.AsArray())
        {
            var o = e!.AsObject();
            int step = o["step"]!.GetValue<int>();
            if (o["loss"] is { } l) losses.Add((step, l.GetValue<double>()));
            if (o["learning_rate"] is { } lr) lrs.Add((step, lr.GetValue<double>()));
        }
        return (losses, lrs, root["global_step"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("stanford_alpaca", 1218, 1)]
    [InlineData("metamath", 128, 1)]
    [InlineData("qlora", 10000, 10)]
    public void Real_files_give_the_files_losses_and_lrs(string name, int globalStep, int every)
    {
        string path = Real(name);
        var (losses, lrs, gs) = Logged(path);
        Assert.Equal(globalStep, gs);
        var run = RunReader.Read(path);
        Assert.Equal("hf-trainer-state", run.Metadata.Tags["format"]);
        Assert.Equal(globalStep, run.Steps);
        Assert.False(run.Diverged, run.Metadata.Tags.GetValueOrDefault("divergenceReason"));
        Assert.All(run.Observations, o => Assert.Equal(LossSplit.Train, o.Split));

        // Losses: the loss logged at step k sits at the middle of its window, floor((p + k - 1) / 2); at step 0 it is the tag.
        int expectedCount = every == 1 ? losses.Count - 1 : losses.Count;
        Assert.Equal(expectedCount, run.Observations.Count);
        var firstKept = every == 1 ? losses[1] : losses[0];
        Assert.Equal(firstKept.Loss, run.Observations[0].Loss);
        Assert.Equal(every == 1 ? 1 : (every - 1) / 2, run.Observations[0].Step);
        Assert.Equal(losses[^1].Loss, run.Observations[^1].Loss);
        Assert.Equal(globalStep - (every + 2) / 2, run.Observations[^1].Step);
        if (every == 1) Assert.Equal(losses[0].Loss, double.Parse(run.Metadata.Tags["initialLoss"], CultureInfo.InvariantCulture));

        // LRs: the LR logged at step k is eta_{k+1}; exact at every logged step, eta_1 held from eta_2.
        foreach (var (step, lr) in lrs.Where(l => l.Step < globalStep)) Assert.Equal(lr, run.LearningRates[step]);
        Assert.Equal(lrs[0].Lr, run.LearningRates[0]);
        Assert.Equal(lrs.Last(l => l.Step < globalStep).Lr, run.LearningRates[^1]);
        Assert.Contains("interpolated", run.Metadata.Tags[ReaderTags.LrFilledIn], StringComparison.Ordinal);
    }

    [Fact]
    public void Stanford_alpaca_warmup_shows_the_lr_logged_at_step_k_is_that_of_update_k_plus_1()
    {
        // 2e-5 peak, warmup ceil(0.03 x 1218) = 37 steps, transformers' linear warmup k/W from 0: update 1 uses 0 and the
        // value logged at step 1 is 2e-5/37, the LR of update 2; at the last step the logged 0 is that of update 1219.
        var run = RunReader.Read(Real("stanford_alpaca"));
        Assert.Equal(2e-5 / 37, run.LearningRates[1], 1e-18);
        Assert.Equal(2e-5 * 2 / 37, run.LearningRates[2], 1e-18);
        Assert.True(run.LearningRates[^1] > 0);
        Assert.Equal("1.5021", run.Metadata.Tags["initialLoss"]);
        Assert.Equal("stanford_alpaca.trainer_state", run.Name);
    }

    [Fact]
    public void Stanford_alpaca_matches_transformers_cosine_with_warmup_indexed_from_0_at_every_logged_lr()
    {
        // get_cosine_schedule_with_warmup: update t uses lambda(t - 1) (offset=1); the 1,217 LRs logged at steps 1..1217 are
        // checked against it (1e-6 relative); without the offset (eta_t = lambda(t)) the first logged LR already disagrees.
        var run = RunReader.Read(Real("stanford_alpaca"), new RunReadOptions { Schedule = "cosine(peak=2e-5,warmup=37,steps=1218,offset=1)" });
        Assert.Equal(0, run.LearningRates[0]);
        Assert.Equal(2e-5, run.LearningRates[37]);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(Real("stanford_alpaca"), new RunReadOptions { Schedule = "cosine(peak=2e-5,warmup=37,steps=1218)" }));
        Assert.Contains(":log_history[0]: logged learning rate 5.405405405405406E-07 at step 2 disagrees", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metamath_records_the_newer_fields()
    {
        var run = RunReader.Read(Real("metamath"));
        Assert.Equal("1", run.Metadata.Tags["loggingSteps"]);
        Assert.Equal("1", run.Metadata.Tags["trainBatchSizePerDevice"]);
        Assert.Equal("128", run.Metadata.Tags["maxSteps"]);
    }

    [Fact]
    public void A_wrong_schedule_is_refused_at_the_first_logged_lr_it_contradicts()
    {
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(Real("qlora"), new RunReadOptions { Schedule = "constant(peak=1e-3,steps=10000)" }));
        Assert.StartsWith(Real("qlora") + ":log_history[0]: logged learning rate 0.0002 at step 11 disagrees with the schedule", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matching_schedule_is_used_and_checked()
    {
        var run = RunReader.Read(Real("qlora"), new RunReadOptions { Schedule = "constant(peak=2e-4,steps=10000)" });
        Assert.Equal("constant(peak=2e-4,steps=10000)", run.Metadata.Schedule);
        Assert.All(run.LearningRates, lr => Assert.Equal(2e-4, lr));
        Assert.False(run.Metadata.Tags.ContainsKey(ReaderTags.LrFilledIn));
    }

    [Fact]
    public void A_run_folder_reads_its_latest_checkpoint_by_number()
    {
        string run = Path.Combine(_tmp.Path, "my-run");
        string text = File.ReadAllText(Real("metamath"));
        foreach (int n in new[] { 900, 1218 })
        {
            Directory.CreateDirectory(Path.Combine(run, $"checkpoint-{n}"));
            // checkpoint-900 gets a shorter history: the later (larger N) must be the one read, not the lexicographic last.
            string body = n == 900 ? Cut(text, 64) : text;
            File.WriteAllText(Path.Combine(run, $"checkpoint-{n}", "trainer_state.json"), body);
        }
        var read = RunReader.Read(run);
        Assert.Equal("checkpoint-1218/trainer_state.json", read.Metadata.Tags["checkpoint"]);
        Assert.Equal("my-run/checkpoint-1218", read.Name);
        Assert.Equal(128, read.Steps);

        var set = RunReader.ReadDirectory(_tmp.Path, recursive: true);
        Assert.Empty(set.Failures);
        Assert.Equal("my-run/checkpoint-1218", Assert.Single(set.Runs).Name);

        // The run's own trainer_state.json (written at the end) wins over its checkpoints.
        File.WriteAllText(Path.Combine(run, "trainer_state.json"), text);
        Assert.False(RunReader.Read(run).Metadata.Tags.ContainsKey("checkpoint"));
        Assert.Single(RunReader.ReadDirectory(_tmp.Path, recursive: true).Runs);
    }

    /// <summary>The metamath file with its log history cut to the first <paramref name="entries"/> entries and global_step set to match.</summary>
    internal static string Cut(string text, int entries)
    {
        var root = JsonNode.Parse(text)!.AsObject();
        var h = root["log_history"]!.AsArray();
        while (h.Count > entries) h.RemoveAt(h.Count - 1);
        root["global_step"] = entries;
        return root.ToJsonString();
    }

    private string Synthetic(string name, string entries, int globalStep) =>
        _tmp.File(name, $"{{\"global_step\": {globalStep}, \"logging_steps\": 10, \"log_history\": [{entries}], \"max_steps\": {globalStep}}}");

    private static string Train(int step, string loss, double lr = 1e-3) =>
        $"{{\"epoch\": 0.1, \"learning_rate\": {lr.ToString("R", CultureInfo.InvariantCulture)}, \"loss\": {loss}, \"step\": {step}}}";

    private static string Eval(int step, string loss) => $"{{\"epoch\": 0.1, \"eval_loss\": {loss}, \"eval_runtime\": 1.5, \"step\": {step}}}";

    [Fact]
    public void Eval_loss_is_selected_by_the_loss_column_and_is_a_validation_point_at_its_step()
    {
        string path = Synthetic("state.json", string.Join(",", Train(10, "3.0"), Eval(10, "2.9"), Train(20, "2.5"), Eval(20, "2.4"), Train(30, "2.2"), Eval(30, "2.1")), 30);
        var train = RunReader.Read(path);
        Assert.Equal([4, 14, 24], train.Observations.Select(o => o.Step));
        var eval = RunReader.Read(path, new RunReadOptions { LossColumn = "eval_loss" });
        Assert.Equal([10, 20, 30], eval.Observations.Select(o => o.Step));
        Assert.Equal([2.9, 2.4, 2.1], eval.Observations.Select(o => o.Loss));
        Assert.All(eval.Observations, o => Assert.Equal(LossSplit.Validation, o.Split));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path, new RunReadOptions { LossColumn = "eval_accuracy" }));
        Assert.Contains("'eval_accuracy' is not a loss", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void A_python_non_finite_token_after_finite_losses_marks_the_run_diverged(string token)
    {
        string path = Synthetic("state.json", string.Join(",", Train(10, "3.0"), Train(20, "2.5"), Train(30, token), Train(40, token)), 40);
        var run = RunReader.Read(path);
        Assert.True(run.Diverged);
        Assert.Equal("24", run.Metadata.Tags["divergedAt"]);
        Assert.Equal(2, run.Observations.Count);
    }

    [Fact]
    public void A_loss_that_rises_and_stays_up_diverges_a_single_spike_does_not()
    {
        var steady = Enumerable.Range(1, 40).Select(i => Train(10 * i, (3.0 - 0.01 * i).ToString("R", CultureInfo.InvariantCulture))).ToList();
        var spike = steady.ToList();
        spike[30] = Train(310, "9.0");
        Assert.False(RunReader.Read(Synthetic("spike.json", string.Join(",", spike), 400)).Diverged);
        var blowup = steady.Take(20).Concat(Enumerable.Range(21, 20).Select(i => Train(10 * i, "8.0"))).ToList();
        var run = RunReader.Read(Synthetic("blowup.json", string.Join(",", blowup), 400));
        Assert.True(run.Diverged);
        Assert.Contains("median", run.Metadata.Tags["divergenceReason"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_logged_again_keeps_the_later_entry_unless_strict()
    {
        string path = Synthetic("state.json", string.Join(",", Train(10, "3.0"), Train(20, "2.5"), Train(20, "2.6"), Train(30, "2.2")), 30);
        var run = RunReader.Read(path);
        Assert.Equal("1", run.Metadata.Tags["resumeConflicts"]);
        Assert.Equal(2.6, run.Observations[1].Loss);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path, new RunReadOptions { StrictDuplicates = true }));
        Assert.StartsWith(path + ":log_history[2]: step 20 has loss 2.6 here and 2.5 at log_history[1].", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_learning_rates_a_schedule_is_asked_for_and_used()
    {
        string path = Synthetic("state.json", "{\"loss\": 3.0, \"step\": 10}, {\"loss\": 2.0, \"step\": 20}", 20);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path));
        Assert.Equal($"{path}:log_history: no entry logs 'learning_rate': give the run's schedule to reconstruct the learning rates: hyperlaws import FILE --schedule SPEC --out RUN.csv.", e.Message);
        var run = RunReader.Read(path, new RunReadOptions { Schedule = "constant(peak=1e-3,steps=20)" });
        Assert.Equal(20, run.Steps);
    }
}
