using System.Globalization;
using System.Text;
using HyperLaws.Readers;
using HyperLaws.Schedules;

namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary>
/// <c>hyperlaws import</c>: a tracker's export (reproduced in the exact layout W&amp;B writes) becomes a run file the other
/// commands read, with the LR of every step.
/// </summary>
public sealed class ImportCommandTests
{
    private const string Cosine = "cosine(peak=0.001,warmup=20,steps=300,floor=0.0001)";

    private static string S(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static double Loss(int step) => 3 + 5 / Math.Sqrt(step);

    [Fact]
    public void A_wandb_ui_export_with_a_schedule_becomes_a_run_that_fit_reads()
    {
        using var tmp = new TempDir();
        var sb = new StringBuilder("\uFEFF\"Step\",\"glad-sun-3 - train/loss\",\"glad-sun-3 - train/loss__MIN\",\"glad-sun-3 - train/loss__MAX\"\r\n");
        for (int s = 0; s <= 300; s += 10) sb.Append(CultureInfo.InvariantCulture, $"\"{s}\",\"{S(s == 0 ? 11 : Loss(s))}\",\"\",\"\"\r\n");
        string export = Path.Combine(tmp.Path, "wandb_export_2025-03-01.csv");
        File.WriteAllText(export, sb.ToString());
        string runFile = Path.Combine(tmp.Path, "runs", "glad-sun-3.csv");
        var r = Cli.Run("import", export, "--metric", "train/loss", "--schedule", Cosine, "--params", "125M", "--out", runFile, "--json");
        var o = r.Json();
        Assert.Equal("glad-sun-3", o["run"]!.GetValue<string>());
        Assert.Equal(300, o["steps"]!.GetValue<int>());
        Assert.Equal(30, o["losses"]!.GetValue<int>());

        var run = RunReader.Read(runFile);
        Assert.Equal(LrSchedule.Parse(Cosine).Evaluate(), run.LearningRates);
        Assert.Equal(1.25e8, run.Metadata.Parameters);
        Assert.Equal(Loss(150), run.Observations[14].Loss);
        var fit = Cli.Run("fit", "--law", "tissue", "--runs", runFile, "--out", Path.Combine(tmp.Path, "LAW.json"), "--json", "--quiet");
        Assert.True(fit.ExitCode == 0, fit.Stderr);
    }

    [Fact]
    public void A_history_export_with_lrs_every_50_steps_is_interpolated()
    {
        using var tmp = new TempDir();
        double[] lrs = LrSchedule.Parse(Cosine).Evaluate();
        var sb = new StringBuilder(",_step,train/loss,lr,_runtime\n");
        int i = 0;
        for (int s = 0; s <= 300; s += 5)
            sb.Append(CultureInfo.InvariantCulture, $"{i++},{s},{S(s == 0 ? 11 : Loss(s))},{(s > 0 && s % 50 == 0 ? S(lrs[s - 1]) : "")},{S(s * 0.1)}\n");
        string export = Path.Combine(tmp.Path, "history.csv");
        File.WriteAllText(export, sb.ToString());
        string runFile = Path.Combine(tmp.Path, "run.csv");

        // Without a schedule or --interpolate-lr: one line naming the file, exit 2.
        string line = Cli.Run("import", export, "--out", runFile).AssertUsageError();
        Assert.Contains(export, line, StringComparison.Ordinal);
        Assert.Contains("--interpolate-lr", line, StringComparison.Ordinal);
        Assert.False(File.Exists(runFile));

        var o = Cli.Run("import", export, "--interpolate-lr", "--out", runFile, "--json").Json();
        Assert.Contains("interpolated", o["lr"]!.GetValue<string>(), StringComparison.Ordinal);
        var run = RunReader.Read(runFile);
        for (int s = 50; s <= 300; s += 50) Assert.Equal(lrs[s - 1], run.LearningRates[s - 1]);
        Assert.Equal((lrs[99] + lrs[149]) / 2, run.LearningRates[124], 15);
    }

    [Fact]
    public void Named_columns_and_a_bad_cell()
    {
        using var tmp = new TempDir();
        var sb = new StringBuilder("iteration,lm loss,learning-rate\n");
        for (int s = 1; s <= 30; s++) sb.Append(CultureInfo.InvariantCulture, $"{s},{(s == 12 ? "n/a" : S(Loss(s)))},0.0003\n");
        string log = Path.Combine(tmp.Path, "megatron.csv");
        File.WriteAllText(log, sb.ToString());
        string line = Cli.Run("import", log, "--step-column", "iteration", "--lr-column", "learning-rate", "--out", Path.Combine(tmp.Path, "run.csv")).AssertUsageError();
        Assert.Equal($"hyperlaws: error: {log}:13: column 'lm loss': 'n/a' is not a number.", line);
    }

    [Fact]
    public void A_jsonl_metric_log_with_named_keys_becomes_a_run_file()
    {
        using var tmp = new TempDir();
        var sb = new StringBuilder();
        for (int s = 0; s <= 30; s++) sb.Append(CultureInfo.InvariantCulture, $"{{\"it\": {s}, \"metrics\": {{\"ce\": {S(s == 0 ? 11 : Loss(s))}, \"eta\": 0.0003}}}}\n");
        string log = Path.Combine(tmp.Path, "metrics.jsonl");
        File.WriteAllText(log, sb.ToString());
        string runFile = Path.Combine(tmp.Path, "run.csv");
        string line = Cli.Run("import", log, "--out", runFile).AssertUsageError();
        Assert.Equal($"hyperlaws: error: {log}:1: no step key among the keys seen ('it', 'metrics/ce', 'metrics/eta'): name it with --step-column.", line);

        Cli.Run("import", log, "--step-column", "it", "--loss-column", "metrics/ce", "--lr-column", "metrics/eta", "--out", runFile, "--json").Json();
        var run = RunReader.Read(runFile);
        Assert.Equal(30, run.Steps);
        Assert.Equal(Loss(17), run.Observations[16].Loss);
        Assert.All(run.LearningRates, lr => Assert.Equal(0.0003, lr));
    }
}
