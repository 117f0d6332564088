using System.Globalization;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// PyTorch Lightning <c>CSVLogger</c> <c>metrics.csv</c>: one real file (TestData/lightning_csv, see its README) checked value by
/// value against the file as read here with a plain split, and hand-made variants for what it does not show (validation and
/// LearningRateMonitor columns, hostile rows).
/// </summary>
public sealed class LightningCsvReaderTests : IDisposable
{
    private const string Constant = "constant(peak=6.25e-5,steps=2500)";
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Real => Path.Combine(AppContext.BaseDirectory, "TestData", "lightning_csv", "turngpt_metrics.csv");

    /// <summary>(step, loss) rows of the real file, read with a plain split: its header is epoch,loss,step.</summary>
    private static List<(int Step, double Loss)> Rows()
    {
        var lines = File.ReadAllLines(Real);
        Assert.Equal("epoch,loss,step", lines[0]);
        return [.. lines.Skip(1).Select(l => l.Split(','))
            .Select(f => (int.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture)))];
    }

    [Fact]
    public void Real_file_is_recognised_by_content_and_needs_its_schedule()
    {
        Assert.True(LightningCsvReader.Recognizes(Real));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(Real));
        Assert.StartsWith(Real + ":1: no learning rate is logged", e.Message, StringComparison.Ordinal);
        Assert.Contains("--schedule", e.Message, StringComparison.Ordinal);
        // The option is import's (fit, plan etc. have no --schedule): the hint names the command that has it.
        Assert.Contains("hyperlaws import FILE --schedule SPEC --out RUN.csv", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Real_file_gives_every_logged_loss_at_its_step()
    {
        var rows = Rows();
        Assert.Equal(50, rows.Count);
        var run = RunReader.Read(Real, new RunReadOptions { Schedule = Constant });
        Assert.Equal("lightning-csv", run.Metadata.Tags["format"]);
        Assert.Equal("loss", run.Metadata.Tags["trainLossColumn"]);
        Assert.Equal("batch", run.Metadata.Tags["trainLosses"]);
        Assert.Equal(2500, run.Steps);
        Assert.All(run.LearningRates, lr => Assert.Equal(6.25e-5, lr));
        Assert.Equal(rows.Count, run.Observations.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(LossSplit.Train, run.Observations[i].Split);
            Assert.Equal(rows[i].Step, run.Observations[i].Step);
            Assert.Equal(rows[i].Loss, run.Observations[i].Loss);
        }
        // Checked by hand against the file: the first, the 10th (the noisiest early batch) and the last row.
        Assert.Equal((49, 2.369102716445923), (run.Observations[0].Step, run.Observations[0].Loss));
        Assert.Equal((499, 3.1323721408843994), (run.Observations[9].Step, run.Observations[9].Loss));
        Assert.Equal((2499, 2.243922710418701), (run.Observations[^1].Step, run.Observations[^1].Loss));
    }

    /// <summary>
    /// The file's single-batch losses reach 2.53x their running minimum (the raw 1.5x rule would call the run diverged); the
    /// trailing median of 21, as for the other per-batch logs, stays at 1.14x: not diverged.
    /// </summary>
    [Fact]
    public void Real_files_noisy_batch_losses_do_not_mark_divergence()
    {
        var rows = Rows();
        double worst = 0, min = double.PositiveInfinity;
        foreach (var (_, loss) in rows)
        {
            worst = Math.Max(worst, loss / min);
            min = Math.Min(min, loss);
        }
        Assert.True(worst > 2.5, $"raw worst ratio {worst}");
        var run = RunReader.Read(Real, new RunReadOptions { Schedule = Constant });
        Assert.False(run.Diverged, run.Metadata.Tags.GetValueOrDefault("divergenceReason"));
    }

    [Fact]
    public void A_folder_holding_lightning_logs_is_read()
    {
        string dir = Path.Combine(_tmp.Path, "lightning_logs", "version_3");
        Directory.CreateDirectory(dir);
        File.Copy(Real, Path.Combine(dir, "metrics.csv"));
        var set = RunReader.ReadDirectory(dir, new RunReadOptions { Schedule = Constant });
        var run = Assert.Single(set.Runs);
        Assert.Empty(set.Failures);
        Assert.Equal("lightning_logs-version_3", run.Name);
    }

    /// <summary>
    /// Validation after s + 1 updates is logged at step s; the LearningRateMonitor LR logged at step s is eta_{s+1}; a training
    /// loss at step 0 is the untrained model's. LRs between logged ones are interpolated, and the one logged at the last step
    /// (of an update beyond the run) is left out.
    /// </summary>
    [Fact]
    public void Validation_and_learning_rate_monitor_columns_move_one_step_on()
    {
        string f = _tmp.File("metrics.csv",
            "epoch,lr-AdamW,step,train_loss_step,val_loss\n" +
            "0,0.001,0,,\n" +
            "0,,0,6.0,\n" +
            "0,0.002,1,5.0,\n" +
            "0,,1,,4.8\n" +
            "0,0.004,3,4.5,\n" +
            "0,0.003,4,4.2,\n" +
            "0,,4,,4.1\n" +
            "0,0.009,5,4.0,\n");
        var run = RunReader.Read(f);
        Assert.Equal(5, run.Steps);
        Assert.Equal("6", run.Metadata.Tags["initialLoss"]);
        Assert.Equal([(1, 5.0), (3, 4.5), (4, 4.2), (5, 4.0)], run.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        Assert.Equal([(2, 4.8), (5, 4.1)], run.Split(LossSplit.Validation).Select(o => (o.Step, o.Loss)));
        // Logged: eta_1 = 0.001 (step 0), eta_2 = 0.002 (step 1), eta_4 = 0.004 (step 3), eta_5 = 0.003 (step 4); eta_6 is past the run.
        Assert.Equal([0.001, 0.002, 0.003, 0.004, 0.003], run.LearningRates.Select(x => Math.Round(x, 12)));
        Assert.StartsWith("interpolated", run.Metadata.Tags[ReaderTags.LrFilledIn], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("epoch,loss,step\n0,2.0,5\n0,1.9,3\n", ":3: steps are not sorted")]
    [InlineData("epoch,loss,step\n0,oops,5\n", ":2: column 'loss': 'oops' is not a number")]
    [InlineData("epoch,loss,step\n0,2.0,\n", ":2: no step in column 'step'")]
    [InlineData("epoch,loss,step\n0,2.0,1.5\n", ":2: step 1.5 is not a whole number")]
    [InlineData("epoch,loss,step\n0,,5\n0,,6\n", ":1: no losses logged")]
    [InlineData("epoch,loss,step\n0,-2.0,5\n", "loss at step 5 is negative")]
    [InlineData("epoch,lr-SGD,loss,step\n0,1e308,2.0,5\n0,,1.9,7\n", ":2: learning rate 1E+308 is absurdly large")]
    public void Hostile_rows_are_refused_naming_file_and_line(string content, string expected)
    {
        string f = _tmp.File("metrics.csv", content);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f, new RunReadOptions { Schedule = "constant(peak=1e-3,steps=10)" }));
        Assert.StartsWith(f + ":", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Named_columns_still_go_to_the_exported_csv_reader()
    {
        // With --loss-column the user picks the columns: the CSV is read by ExportedCsvReader, as before.
        var run = RunReader.Read(Real, new RunReadOptions { Schedule = Constant, LossColumn = "loss", StepColumn = "step" });
        Assert.False(run.Metadata.Tags.TryGetValue("format", out var format) && format == "lightning-csv");
        Assert.Equal(50, run.Observations.Count);
    }
}
