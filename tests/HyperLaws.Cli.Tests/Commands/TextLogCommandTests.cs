using System.Globalization;
using HyperLaws.Readers;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// The commands on llm.c and modded-nanogpt logs (tests/HyperLaws.Readers.Tests/TestData/modded_nanogpt, real files) and on laws
/// that predict a non-physical (negative) loss, which a law fitted where a term is not identified does.
/// </summary>
public sealed class TextLogCommandTests
{
    private static string Real(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "modded_nanogpt", name);

    [Fact]
    public void Fit_reads_a_real_llmc_log_and_import_a_speedrun_log_with_its_schedule()
    {
        using var tmp = new TempDir();
        var r = Cli.Run("fit", "--law", "tissue", "--runs", Real("llmc_gpt2_124m.head.log"), "--out", Path.Combine(tmp.Path, "LAW.json"), "--json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Single(r.Json()["training"]!.AsArray());

        string runFile = Path.Combine(tmp.Path, "adam.csv");
        const string spec = "wsd(peak=0.0018,steps=5100,warmup=250,cooldownSteps=1450)";
        var o = Cli.Run("import", Real("optimizers_adam.head.txt"), "--schedule", spec, "--optimizer", "adam", "--out", runFile, "--json").Json();
        Assert.Equal(5100, o["steps"]!.GetValue<int>());
        var direct = RunReader.Read(Real("optimizers_adam.head.txt"), new RunReadOptions { Schedule = spec });
        var imported = RunReader.Read(runFile);
        Assert.Equal(direct.LearningRates, imported.LearningRates);
        Assert.Equal(direct.Observations, imported.Observations);
        // The log's training losses are single batches (one odd batch at step 946 is 1.54x the running minimum): the run file
        // says so, and keeps the reader's trailing-median divergence rule, so fit reads it as not diverged.
        Assert.Contains("# train_losses: batch", File.ReadAllText(runFile), StringComparison.Ordinal);
        Assert.Equal("adam", imported.Metadata.Optimizer);
        Assert.False(imported.Diverged, imported.Metadata.Tags.GetValueOrDefault("divergenceReason"));
        r = Cli.Run("fit", "--law", "tissue", "--runs", runFile, "--out", Path.Combine(tmp.Path, "LAW2.json"), "--json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    /// <summary>
    /// The README's flow for a log without LRs: <c>import --out runs/a.csv</c> (which writes the LRs beside it as runs/a.lr.csv),
    /// then any command on the folder <c>runs/</c>. The LR table is the run's schedule, not a run: the folder gives the imported
    /// runs only (before the fix every command on the folder stopped with "runs/a.lr.csv:1: missing column loss").
    /// </summary>
    [Fact]
    public void A_folder_of_imported_speedrun_logs_reads_the_runs_not_their_lr_tables()
    {
        using var tmp = new TempDir();
        string runs = Path.Combine(tmp.Path, "runs");
        Directory.CreateDirectory(runs);
        var i = Cli.Run("import", Real("optimizers_adam.head.txt"), "--schedule", "wsd(peak=0.0018,steps=5100,warmup=250,cooldownSteps=1450)",
            "--params", "124M", "--out", Path.Combine(runs, "adam.csv"));
        Assert.True(i.ExitCode == 0, i.Stderr);
        i = Cli.Run("import", Real("adamw_baseline.head.log"), "--schedule", "wsd(peak=0.0018,warmup=250,steps=9536,cooldownSteps=2000)",
            "--params", "124M", "--out", Path.Combine(runs, "adamw.csv"));
        Assert.True(i.ExitCode == 0, i.Stderr);
        Assert.True(File.Exists(Path.Combine(runs, "adam.lr.csv")));
        Assert.Equal(2, RunReader.ReadDirectory(runs).Runs.Count);
        var r = Cli.Run("fit", "--law", "tissue", "--runs", runs, "--out", Path.Combine(tmp.Path, "LAW.json"), "--json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(2, r.Json()["training"]!.AsArray().Count);
    }

    [Fact]
    public void A_speedrun_log_without_a_schedule_and_a_broken_llmc_log_are_one_line_exit_2()
    {
        using var tmp = new TempDir();
        string line = Cli.Run("fit", "--law", "mpl", "--runs", Real("track3_adam_5625.txt"), "--out", Path.Combine(tmp.Path, "LAW.json")).AssertUsageError();
        Assert.StartsWith($"hyperlaws: error: {Real("track3_adam_5625.txt")}:0: no learning rate is logged: a speedrun log has none;", line, StringComparison.Ordinal);
        string broken = Path.Combine(tmp.Path, "main.log");
        File.WriteAllText(broken, "s:0 trl:11.0 lr:0.0001 norm:1\ns:1 trl:oops lr:0.0001 norm:1\n");
        line = Cli.Run("import", broken, "--out", Path.Combine(tmp.Path, "run.csv")).AssertUsageError();
        Assert.Equal($"hyperlaws: error: {broken}:2: trl 'oops' is not a number.", line);
        line = Cli.Run("import", Real("llmc_gpt2_124m.head.log"), "--optimizer", "ad\tam", "--out", Path.Combine(tmp.Path, "run.csv")).AssertUsageError();
        Assert.StartsWith("hyperlaws: error: --optimizer: 'ad\\x09am' contains", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(tmp.Path, "run.csv")));
        Assert.False(File.Exists(Path.Combine(tmp.Path, "run.csv")));
        line = Cli.Run("import", Real("llmc_gpt2_124m.head.log"), "--optimizer", "-1", "--out", Path.Combine(tmp.Path, "run.csv")).AssertUsageError();
        Assert.Equal("hyperlaws: error: --optimizer: '-1' is not an optimizer this tool knows (adamw, muon, signsgd, nsgd, adam, sgd, shampoo, soap, lion, adafactor).", line);
        Assert.False(File.Exists(Path.Combine(tmp.Path, "run.csv")));
    }

    [Fact]
    public void A_log_of_validation_losses_only_is_fitted_with_validation_and_the_error_says_so()
    {
        using var tmp = new TempDir();
        string runFile = Path.Combine(tmp.Path, "t3.csv");
        var i = Cli.Run("import", Real("track3_adam_5625.txt"), "--schedule", "wsd(peak=0.0015,steps=5625,warmup=250,cooldown=0.7)", "--out", runFile);
        Assert.True(i.ExitCode == 0, i.Stderr);
        string line = Cli.Run("fit", "--law", "tissue", "--runs", runFile, "--out", Path.Combine(tmp.Path, "LAW.json")).AssertUsageError();
        Assert.Equal($"hyperlaws: error: {runFile}: no train losses to use (it has 45 validation losses: fit them with --validation).", line);
        var r = Cli.Run("fit", "--law", "tissue", "--runs", runFile, "--validation", "--out", Path.Combine(tmp.Path, "LAW.json"), "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        // compare takes the same --validation (logs of evaluations only: MLPerf's, speedruns').
        line = Cli.Run("compare", "--train", runFile, "--test", runFile).AssertUsageError();
        Assert.Equal($"hyperlaws: error: {runFile}: no train losses to use (it has 45 validation losses: fit them with --validation).", line);
        r = Cli.Run("compare", "--train", runFile, "--test", runFile, "--validation", "--laws", "tissue", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json();
        Assert.Equal("validation", json["split"]!.GetValue<string>());
        var law = Assert.Single(json["laws"]!.AsArray())!;
        var curve = Assert.Single(law["curves"]!.AsArray())!;
        Assert.Equal("track3_adam_5625", curve["run"]!.GetValue<string>());
        // In sample (the 45 fitted evaluations themselves): tissue follows them to under 2%, not exactly (45 points, 4 parameters).
        Assert.InRange(JsonAssert.Number(curve, "predE"), 1e-5, 0.02);
        Assert.Equal(JsonAssert.Number(law, "predE"), JsonAssert.Number(curve, "predE"), 12);
        Assert.True(law["supported"]!.GetValue<bool>());
    }

    /// <summary>
    /// A hand-written MPL LAW.json whose level L0 is negative and whose loss drop B is large: at a constant 1e-3 the warmup-free
    /// start's term B eta G lifts it to 3, a decay to 0 (linear, cosine, wsd) gives that back and predicts -1.8 to -2.
    /// </summary>
    private static string NegativeOnDecay(string dir)
    {
        string path = Path.Combine(dir, "LAW.json");
        File.WriteAllText(path, """
            {"format": "hyperlaws-law", "version": 1, "law": "mpl",
             "parameters": {"L0": -3, "A": 1, "alpha": 0.3, "B": 5000, "C": 1e6, "beta": 1, "gamma": 0}, "runs": []}
            """);
        return path;
    }

    [Fact]
    public void Predict_refuses_a_negative_loss_and_rank_puts_such_candidates_last()
    {
        using var tmp = new TempDir();
        string law = NegativeOnDecay(tmp.Path);
        // A constant LR has no decay, so no drop: a positive loss.
        var ok = Cli.Run("predict", "--law", law, "--schedule", "constant(peak=1e-3,steps=1000)", "--steps", "1000", "--json");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        string line = Cli.Run("predict", "--law", law, "--schedule", "linear(peak=1e-3,steps=1000)", "--steps", "1000").AssertUsageError();
        Assert.StartsWith($"hyperlaws: error: --law: {law} predicts a non-physical loss (", line, StringComparison.Ordinal);
        Assert.Contains("a cross-entropy is positive) at step 1000", line, StringComparison.Ordinal);

        var r = Cli.Run("rank", "--law", law, "--steps", "1000", "--peaks", "1e-3", "--top", "100", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var o = r.Json();
        var losses = o["candidates"]!.AsArray().Select(c => c!["predictedLoss"]!.GetValue<double>()).ToList();
        int firstBad = losses.FindIndex(x => x <= 0);
        Assert.True(firstBad > 0, "a physical candidate ranks first");
        Assert.All(losses.Skip(firstBad), x => Assert.True(x <= 0, x.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal("constant", o["candidates"]![0]!["family"]!.GetValue<string>());
        Assert.Contains(o["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("non-physical loss (<= 0; ranked last)", StringComparison.Ordinal));

        line = Cli.Run("rank", "--law", law, "--steps", "1000", "--peaks", "1e-3", "--families", "linear").AssertUsageError();
        Assert.Contains("predicts a non-physical loss (<= 0, a cross-entropy is positive) for every candidate", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crafted_MLPerf_log_whose_run_stop_is_too_long_to_hold_is_one_line_exit_2_and_writes_nothing()
    {
        // run_stop at 32 x 10^9 samples of batch 32: 10^9 updates, whose LRs alone take 8 GB (the reader exited 70 out of memory).
        if (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >= 128e9) return; // ScheduleMemory allows it there
        using var tmp = new TempDir();
        static string Ev(string key, string value, string meta = "") => $":::MLLOG {{\"key\": \"{key}\", \"value\": {value}, \"metadata\": {{\"file\": \"x.py\"{meta}}}}}";
        string log = Path.Combine(tmp.Path, "result_0.txt");
        File.WriteAllLines(log, [
            Ev("submission_benchmark", "\"llama31_8b\""), Ev("global_batch_size", "32"), Ev("opt_base_learning_rate", "0.0008"),
            Ev("opt_learning_rate_warmup_steps", "128"), Ev("opt_learning_rate_decay_steps", "1199872"), Ev("opt_end_learning_rate", "8e-05"),
            Ev("opt_learning_rate_decay_schedule", "\"cosine with linear warmup\""), Ev("eval_accuracy", "5.5", ", \"samples_count\": 12288"),
            Ev("run_stop", "null", ", \"samples_count\": 32000000000, \"status\": \"success\""),
        ]);
        string run = Path.Combine(tmp.Path, "run.csv");
        string line = Cli.Run("import", log, "--out", run).AssertUsageError();
        Assert.StartsWith($"hyperlaws: error: {log}:9: the run's 1000000000 steps: steps=1000000000 needs about 64 GB of memory", line, StringComparison.Ordinal);
        Assert.False(File.Exists(run));
    }
}
