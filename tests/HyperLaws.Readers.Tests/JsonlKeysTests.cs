using HyperLaws.Runs;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// The generic JSONL reader resolves its keys as the CSV exports do (<see cref="MetricNames"/>, --step-column/--loss-column/
/// --lr-column). The fixture (TestData/nanogpt_jsonl, see its README) is the W&amp;B history nanoGPT's train.py logs
/// (<c>iter</c>, <c>train/loss</c>, <c>val/loss</c>, <c>lr</c>, <c>mfu</c>, W&amp;B's <c>_step</c>) with the values of the real llm.c log.
/// </summary>
public class JsonlKeysTests
{
    private static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    [Fact]
    public void NanoGpt_wandb_history_reads_iter_as_the_step_and_both_losses()
    {
        string f = Data("nanogpt_jsonl", "nanogpt_wandb_history.jsonl");
        var run = RunReader.Read(f, new RunReadOptions { InterpolateLr = true });
        // iter, not W&B's _step (0..3, the count of wandb.log calls); iter 0 (the untrained model) is no step of the run.
        Assert.Equal(750, run.Steps);
        Assert.Equal("step=iter, train=train/loss, val=val/loss, lr=lr", run.Metadata.Tags["keys"]);
        Assert.Equal([(250, 6.1818), (500, 5.51), (750, 4.7292)], Losses(run, LossSplit.Train));
        Assert.Equal([(250, 6.171), (500, 5.3743), (750, 4.7097)], Losses(run, LossSplit.Validation));
        // The logged LRs at their iters (nanoGPT's get_lr(iter), read as eta_iter), interpolated between them.
        Assert.Equal(0.000215, run.LearningRates[249]);
        Assert.Equal(0.000429, run.LearningRates[499]);
        Assert.Equal(0.0006, run.LearningRates[749]);
        Assert.Equal((0.000215 + 0.000429) / 2, run.LearningRates[374], 15);
    }

    [Fact]
    public void NanoGpt_wandb_history_without_lrs_at_every_step_says_how_to_get_them()
    {
        string f = Data("nanogpt_jsonl", "nanogpt_wandb_history.jsonl");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.StartsWith($"{f}:2: lr is logged at 3 of 750 steps", e.Message);
        // fit and plan have neither --schedule nor --interpolate-lr: the hint names import, which has both.
        Assert.Contains("hyperlaws import FILE --interpolate-lr --out RUN.csv", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"step\": 1, \"loss\": 5, \"lr\": 0.1}\n{\"step\": 2, \"loss\": 4, \"lr\": 0.1}\n", null)]
    [InlineData("{\"trainer/global_step\": 1, \"train_loss\": 5, \"lr-AdamW\": 0.1, \"epoch\": 0}\n{\"trainer/global_step\": 2, \"train_loss\": 4, \"lr-AdamW\": 0.1, \"epoch\": 0}\n",
        "step=trainer/global_step, train=train_loss, val=-, lr=lr-AdamW")]
    [InlineData("{\"global_step\": 1, \"train\": {\"loss\": 5, \"lr\": 0.1}}\n{\"global_step\": 2, \"train\": {\"loss\": 4, \"lr\": 0.1}}\n",
        "step=global_step, train=train/loss, val=-, lr=train/lr")]
    [InlineData("{\"_step\": 0, \"iteration\": 1, \"loss\": 5, \"learning_rate\": 0.1}\n{\"_step\": 1, \"iteration\": 2, \"loss\": 4, \"learning_rate\": 0.1}\n",
        "step=iteration, train=loss, val=-, lr=learning_rate")]
    public void Known_keys_are_found_in_any_producers_layout(string content, string? keys)
    {
        using var tmp = new TempDir();
        var run = RunReader.Read(tmp.File("run.jsonl", content));
        Assert.Equal([(1, 5.0), (2, 4.0)], Losses(run, LossSplit.Train));
        Assert.Equal([0.1, 0.1], run.LearningRates);
        Assert.Equal(keys, run.Metadata.Tags.GetValueOrDefault("keys"));
    }

    [Fact]
    public void Validation_lines_and_lr_lines_apart_from_the_loss_lines_are_read()
    {
        using var tmp = new TempDir();
        var run = RunReader.Read(tmp.File("run.jsonl",
            "{\"step\": 1, \"lr\": 0.1}\n{\"step\": 1, \"train_loss\": 5}\n{\"step\": 2, \"lr\": 0.2, \"train_loss\": 4}\n{\"step\": 2, \"eval/loss\": 4.5}\n{\"step\": 2, \"gpu_mem\": 3}\n"));
        Assert.Equal([(1, 5.0), (2, 4.0)], Losses(run, LossSplit.Train));
        Assert.Equal([(2, 4.5)], Losses(run, LossSplit.Validation));
        Assert.Equal([0.1, 0.2], run.LearningRates);
    }

    [Fact]
    public void A_null_under_an_exported_key_is_a_metric_not_logged_there_but_under_loss_a_non_finite_loss()
    {
        // pandas' to_json(lines=True) of a W&B history: null wherever a metric was not logged at that step.
        using var tmp = new TempDir();
        var run = RunReader.Read(tmp.File("history.jsonl",
            "{\"iter\": 1, \"train/loss\": 5, \"val/loss\": null, \"lr\": 0.1}\n{\"iter\": 2, \"train/loss\": null, \"val/loss\": 4.5, \"lr\": 0.1}\n{\"iter\": 3, \"train/loss\": 4, \"val/loss\": null, \"lr\": 0.1}\n"));
        Assert.Equal([(1, 5.0), (3, 4.0)], Losses(run, LossSplit.Train));
        Assert.Equal([(2, 4.5)], Losses(run, LossSplit.Validation));
        Assert.False(run.Diverged);
        // The format's own key keeps its documented reading: null is a non-finite loss.
        var own = RunReader.Read(tmp.File("own.jsonl", "{\"step\": 1, \"loss\": 5, \"lr\": 0.1}\n{\"step\": 2, \"loss\": 4, \"lr\": 0.1}\n{\"step\": 3, \"loss\": null, \"lr\": 0.1}\n"));
        Assert.True(own.Diverged);
    }

    [Fact]
    public void Named_keys_win_over_the_known_ones()
    {
        using var tmp = new TempDir();
        string f = tmp.File("run.jsonl", "{\"step\": 7, \"it\": 1, \"loss\": 9, \"my_loss\": 5, \"eta\": 0.1}\n{\"step\": 8, \"it\": 2, \"loss\": 9, \"my_loss\": 4, \"eta\": 0.1}\n");
        var run = RunReader.Read(f, new RunReadOptions { StepColumn = "it", LossColumn = "my_loss", LrColumn = "eta" });
        Assert.Equal([(1, 5.0), (2, 4.0)], Losses(run, LossSplit.Train));
    }

    [Fact]
    public void A_named_validation_key_is_the_validation_loss()
    {
        using var tmp = new TempDir();
        var run = RunReader.Read(tmp.File("run.jsonl", "{\"iter\": 1, \"train_loss\": 5, \"val_loss\": 6, \"eval_loss\": 7, \"lr\": 0.1}\n"),
            new RunReadOptions { LossColumn = "eval_loss" });
        Assert.Equal([(1, 5.0)], Losses(run, LossSplit.Train));
        Assert.Equal([(1, 7.0)], Losses(run, LossSplit.Validation));
    }

    [Theory]
    [InlineData("{\"it\": 1, \"loss\": 5, \"lr\": 0.1}\n", null, "1: no step key among the keys seen ('it', 'loss', 'lr'): name it with --step-column.")]
    [InlineData("{\"step\": 1, \"lr\": 0.1, \"acc\": 0.5}\n", null, "1: no loss key among the keys seen ('step', 'lr', 'acc'): name it with --loss-column.")]
    [InlineData("{\"iter\": 1, \"loss\": 5, \"lr\": 0.1}\n{\"loss\": 4, \"lr\": 0.1, \"t\": {\"ms\": 3}}\n", null, "2: missing \"iter\" (keys: 'loss', 'lr', 't/ms').")]
    [InlineData("{\"iter\": 1, \"loss\": \"high\", \"lr\": 0.1}\n", null, "1: \"loss\": expected a number, found the string \"high\".")]
    [InlineData("{\"iter\": 1, \"loss\": 5, \"lr\": 0.1}\n", "steps", "1: --step-column: no key 'steps' in any line (keys seen: 'iter', 'loss', 'lr').")]
    public void Errors_name_the_file_the_line_and_the_keys_seen(string content, string? stepColumn, string problem)
    {
        using var tmp = new TempDir();
        string f = tmp.File("run.jsonl", content);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f, new RunReadOptions { StepColumn = stepColumn }));
        Assert.Equal($"{f}:{problem}", e.Message);
    }

    [Fact]
    public void Csv_exports_use_the_same_step_names_as_jsonl()
    {
        // A run.history() export of a nanoGPT run: W&B's _step counts the log calls; iter is the step.
        using var tmp = new TempDir();
        var run = RunReader.Read(tmp.File("history.csv", ",_step,iter,train/loss,lr\n0,0,0,11,0.1\n1,1,250,6,0.1\n2,2,500,5,0.1\n"), new RunReadOptions { InterpolateLr = true });
        Assert.Equal([(250, 6.0), (500, 5.0)], Losses(run, LossSplit.Train));
        Assert.Same(MetricNames.TrainLoss, ExportedCsvReader.LossNames);
        Assert.Same(MetricNames.Lr, ExportedCsvReader.LrNames);
    }

    private static (int, double)[] Losses(TrainingRun run, LossSplit split) =>
        [.. run.Observations.Where(o => o.Split == split).Select(o => (o.Step, o.Loss))];
}
