using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// MLflow file stores: two real ones (TestData/mlflow, see its README): a Hugging Face Trainer run logged by transformers'
/// MLflowCallback (its values checked by hand) and a run logged by hand without steps (refused); hand-made stores for the generic
/// producer and broken metric files.
/// </summary>
public sealed class MlflowReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", "mlflow", .. parts]);

    private static string DebertaRoot => Data("deberta_mlruns");

    private static string DebertaRun => Data("deberta_mlruns", "0", "11e8967b7ff2415885762e4af94da928");

    private static string ConvnextRun => Data("convnext_mlruns", "187479759740700411", "ea71e54bc850434eaa5170c17d564de6");

    [Fact]
    public void The_trainer_run_is_found_from_the_root_the_experiment_and_the_run_folder()
    {
        Assert.True(MlflowReader.IsRunFolder(DebertaRun));
        Assert.False(MlflowReader.IsRunFolder(DebertaRoot));
        Assert.Equal([DebertaRun], MlflowReader.FindRuns(DebertaRoot));
        Assert.Equal([DebertaRun], MlflowReader.FindRuns(Data("deberta_mlruns", "0")));
        Assert.Equal([DebertaRun], MlflowReader.FindRuns(DebertaRun));
        Assert.Equal("mlflow", RunReader.Read(DebertaRoot).Metadata.Tags["format"]);
        var set = RunReader.ReadDirectory(DebertaRoot);
        Assert.Empty(set.Failures);
        Assert.Single(set.Runs);
        // From the folder above, recursing: both stores' runs are met, each once (the step-less one fails).
        var all = RunReader.ReadDirectory(Data(), recursive: true);
        Assert.Single(all.Runs, r => r.Metadata.Tags.GetValueOrDefault("format") == "mlflow");
        Assert.Single(all.Failures, f => f.Message.Contains("step 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Three_rows_of_the_trainer_run_checked_by_hand()
    {
        var run = MlflowReader.Read(DebertaRun);
        Assert.Equal("hf-trainer", run.Metadata.Tags["producer"]);
        // metrics/eval_loss: "1743946057600 1.6068925857543945 1", "... 1.605746865272522 2", "... 1.6050137281417847 3":
        // the Trainer evaluates after k updates (eval_strategy=epoch, one update per epoch here).
        Assert.Equal([(1, 1.6068925857543945), (2, 1.605746865272522), (3, 1.6050137281417847)],
            run.Split(LossSplit.Validation).Select(o => (o.Step, o.Loss)));
        // metrics/train_loss "1743946071515 1.616029421488444 3" is the end-of-training summary (beside train_runtime): no curve.
        Assert.Empty(run.Split(LossSplit.Train));
        Assert.Equal("eval_loss", run.Metadata.Tags["validationLossKey"]);
        Assert.False(run.Metadata.Tags.ContainsKey("trainLossKey"));
        // S = the summary's global_step, 3. params: learning_rate 5e-05, lr_scheduler_type linear, warmup_steps 0, max_steps -1:
        // transformers' linear schedule, update k at (3 - (k - 1)) / 3 of the peak.
        Assert.Equal(3, run.Steps);
        Assert.Equal("linear(peak=5E-05,warmup=0,steps=3,offset=1)", run.Metadata.Schedule);
        Assert.Equal(5e-5, run.LearningRates[0], 1e-18);
        Assert.Equal(5e-5 * 2 / 3, run.LearningRates[1], 1e-18);
        Assert.Equal(5e-5 / 3, run.LearningRates[2], 1e-18);
        Assert.Equal("11e8967b7ff2415885762e4af94da928", run.Metadata.Tags["runId"]);
        Assert.Equal("model-11e8967b", run.Metadata.Name);
    }

    [Fact]
    public void A_run_logged_without_steps_is_refused_naming_the_metric_file()
    {
        // The ConvNeXt-V2-UNet notebook called mlflow.log_metric("loss", v) without step=: its 100 losses and 10 LRs are all at step 0.
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(ConvnextRun));
        Assert.Equal($"{Path.Combine(ConvnextRun, "metrics", "loss")}:1: every one of its 100 lines is at step 0: the values were logged without step= (mlflow.log_metric(key, value, step=...)), so they have no step axis.", e.Message);
        var set = RunReader.ReadDirectory(Data("convnext_mlruns"));
        Assert.Empty(set.Runs);
        Assert.Single(set.Failures);
    }

    /// <summary>A hand-made run folder: meta.yaml, and metric files given as (key, lines).</summary>
    private string Store(params (string Key, string Lines)[] metrics)
    {
        string run = Path.Combine(_tmp.Path, "mlruns", "1", "abc123");
        Directory.CreateDirectory(Path.Combine(run, "metrics"));
        File.WriteAllText(Path.Combine(_tmp.Path, "mlruns", "1", "meta.yaml"), "experiment_id: '1'\nname: test\n");
        File.WriteAllText(Path.Combine(run, "meta.yaml"), "run_id: abc123\nrun_name: hand\n");
        foreach (var (key, lines) in metrics)
        {
            string f = Path.Combine(run, "metrics", key.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(f)!);
            File.WriteAllText(f, lines);
        }
        return run;
    }

    [Fact]
    public void A_generic_producer_s_steps_are_updates_done_and_keys_with_slashes_are_folders()
    {
        string run = Store(("train/loss", "1 5.0 10\n2 4.0 20\n3 3.5 30\n"), ("lr-AdamW", "1 0.001 10\n2 0.002 20\n3 0.003 30\n"),
            ("val/loss", "4 4.2 30\n"));
        var r = RunReader.Read(Path.Combine(_tmp.Path, "mlruns"));
        Assert.Equal("generic", r.Metadata.Tags["producer"]);
        Assert.Equal([(10, 5.0), (20, 4.0), (30, 3.5)], r.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        Assert.Equal([(30, 4.2)], r.Split(LossSplit.Validation).Select(o => (o.Step, o.Loss)));
        Assert.Equal(30, r.Steps);
        Assert.Equal(0.001, r.LearningRates[9]);
        Assert.Equal(0.0015, r.LearningRates[14], 1e-15);
        Assert.Equal("lr-AdamW", r.Metadata.Tags["lrKey"]);
        Assert.Equal("hand", r.Metadata.Name);
        Assert.True(MlflowReader.IsRunFolder(run));
    }

    [Theory]
    [InlineData("1 5.0 1\nabc 4.0 2\n", 2, "timestamp 'abc' is not a whole number of milliseconds.")]
    [InlineData("1 5.0 1\n2 four 2\n", 2, "value 'four' is not a number.")]
    [InlineData("1 5.0 1\n2 4.0 2.5\n", 2, "step '2.5' is not a whole number.")]
    [InlineData("1 5.0 1\n2 4.0 -2\n", 2, "step -2 is out of range (steps count from 0).")]
    [InlineData("1 5.0 1\n2 4.0 2 9\n", 2, "not an MLflow metric line (expected 'TIMESTAMP VALUE STEP'): '2 4.0 2 9'.")]
    [InlineData("1 5.0 1\n2 -4.0 2\n", 2, "train loss at step 2 is negative (-4).")]
    public void A_broken_metric_line_is_one_error_naming_the_file_and_line(string lines, int line, string problem)
    {
        string run = Store(("loss", lines), ("lr", "1 0.001 1\n2 0.001 2\n"));
        var e = Assert.Throws<RunFormatException>(() => MlflowReader.Read(run));
        string file = Path.Combine(run, "metrics", "loss");
        Assert.Equal(problem.StartsWith("train loss", StringComparison.Ordinal) ? $"{run}:metrics/loss:{line}: {problem}" : $"{file}:{line}: {problem}", e.Message);
    }

    [Fact]
    public void No_loss_metric_and_no_lr_are_errors_listing_what_is_there()
    {
        string run = Store(("accuracy", "1 0.5 1\n"));
        var e = Assert.Throws<RunFormatException>(() => MlflowReader.Read(run));
        Assert.Contains("metrics logged: accuracy", e.Message);
        Assert.StartsWith(Path.Combine(run, "metrics") + ":0:", e.Message);
        Directory.Delete(Path.Combine(_tmp.Path, "mlruns"), true);
        string run2 = Store(("loss", "1 5.0 1\n2 4.0 2\n"));
        var e2 = Assert.Throws<RunFormatException>(() => MlflowReader.Read(run2));
        Assert.Contains("no learning rate is logged", e2.Message);
        var ok = MlflowReader.Read(run2, new RunReadOptions { Schedule = "constant(peak=1e-3,steps=2)" });
        Assert.Equal([1e-3, 1e-3], ok.LearningRates);
    }
}
