using System.Globalization;
using System.Text;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// The trackers' CSV exports (issue 11). The files are reproduced here in the exact layout the trackers write (no public
/// repository with such an export and a licence was at hand): the W&amp;B UI "Download CSV" of a chart
/// (<c>"Step","RUN - METRIC","RUN - METRIC__MIN","RUN - METRIC__MAX"</c>, every cell quoted) and a <c>run.history()</c>
/// DataFrame written by pandas' <c>to_csv</c> (unnamed index column, <c>_step</c>, empty cells where a key was not logged).
/// </summary>
public class ExportedCsvReaderTests
{
    private const string Wsd = "wsd(peak=0.001,warmup=20,steps=400,cooldown=0.2,shape=linear,floor=0)";

    private static string S(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static double Loss(int step) => 3 + 5 / Math.Sqrt(step);

    /// <summary>A W&amp;B UI chart export: loss every 10 steps, with the __MIN/__MAX columns of a smoothed chart.</summary>
    private static string WandbUi(string newline = "\n", bool bom = false)
    {
        var sb = new StringBuilder();
        if (bom) sb.Append('\uFEFF');
        sb.Append("\"Step\",\"swift-river-7 - train/loss\",\"swift-river-7 - train/loss__MIN\",\"swift-river-7 - train/loss__MAX\"").Append(newline);
        for (int s = 0; s <= 400; s += 10)
        {
            string v = s == 0 ? "10.98" : S(Loss(s));
            sb.Append(CultureInfo.InvariantCulture, $"\"{s}\",\"{v}\",\"{v}\",\"{v}\"").Append(newline);
        }
        return sb.ToString();
    }

    /// <summary>A run.history() CSV: loss every 5 steps, lr every 50 steps (rows in between have an empty lr).</summary>
    private static string History(double[] lrs)
    {
        var sb = new StringBuilder(",_step,train/loss,lr,_runtime,_timestamp\n");
        int index = 0;
        for (int s = 0; s <= 400; s += 5)
        {
            string lr = s >= 1 && s % 50 == 0 ? S(lrs[s - 1]) : "";
            string loss = s == 0 ? "10.98" : S(Loss(s));
            sb.Append(CultureInfo.InvariantCulture, $"{index++},{s},{loss},{lr},{S(0.5 * s)},{S(1.7e9 + s)}\n");
        }
        return sb.ToString();
    }

    [Theory]
    [InlineData("\n", false)]
    [InlineData("\r\n", true)]
    public void Reads_a_wandb_ui_chart_export_with_quotes_crlf_and_bom(string newline, bool bom)
    {
        using var tmp = new TempDir();
        string f = tmp.File("wandb_export.csv", WandbUi(newline, bom));
        Assert.Equal("wandb-ui", ExportedCsvReader.Recognize(f));
        var run = RunReader.Read(f, new RunReadOptions { Schedule = Wsd });
        Assert.Equal("swift-river-7", run.Name);
        Assert.Equal(400, run.Steps);
        Assert.Equal(HyperLaws.Schedules.LrSchedule.Parse(Wsd).Evaluate(), run.LearningRates);
        var train = run.Split(LossSplit.Train).ToList();
        Assert.Equal(40, train.Count);   // step 0 (the loss before training) is no step of the run
        Assert.Equal(10, train[0].Step);
        Assert.Equal(Loss(10), train[0].Loss);
        Assert.Equal(Loss(400), train[^1].Loss);
    }

    [Fact]
    public void A_wandb_ui_export_without_lr_or_schedule_says_what_to_give()
    {
        using var tmp = new TempDir();
        string f = tmp.File("wandb_export.csv", WandbUi());
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.StartsWith(f + ":", e.Message, StringComparison.Ordinal);
        Assert.Contains("no learning rates", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_a_run_history_export_and_checks_its_sparse_lrs_against_a_schedule()
    {
        using var tmp = new TempDir();
        double[] lrs = HyperLaws.Schedules.LrSchedule.Parse(Wsd).Evaluate();
        string f = tmp.File("history.csv", History(lrs));
        Assert.Equal("wandb-history", ExportedCsvReader.Recognize(f));
        var run = RunReader.Read(f, new RunReadOptions { Schedule = Wsd });
        Assert.Equal(lrs, run.LearningRates);
        Assert.Equal(80, run.Observations.Count);
        Assert.Equal(Loss(5), run.Observations[0].Loss);

        // A schedule the logged LRs contradict is refused at the first line that disagrees.
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f, new RunReadOptions { Schedule = Wsd.Replace("peak=0.001", "peak=0.002", StringComparison.Ordinal) }));
        Assert.Contains("disagrees", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Interpolates_lrs_logged_every_50_steps()
    {
        using var tmp = new TempDir();
        double[] lrs = HyperLaws.Schedules.LrSchedule.Parse(Wsd).Evaluate();
        string f = tmp.File("history.csv", History(lrs));
        var run = RunReader.Read(f, new RunReadOptions { InterpolateLr = true });
        Assert.Equal(400, run.Steps);
        for (int s = 50; s <= 400; s += 50) Assert.Equal(lrs[s - 1], run.LearningRates[s - 1]);
        // Linear between the logged steps 300 and 350 (the schedule is in its linear cooldown from step 320 on).
        Assert.Equal(lrs[299] + (lrs[349] - lrs[299]) * 25 / 50, run.LearningRates[324], 15);
        // Before the first logged step the first logged LR is held (the warmup is not in the log).
        Assert.Equal(lrs[49], run.LearningRates[0]);
        Assert.Contains("interpolated", run.Metadata.Tags[ReaderTags.LrFilledIn], StringComparison.Ordinal);
    }

    [Fact]
    public void The_generic_format_interpolates_a_sparse_lr_log_when_asked()
    {
        using var tmp = new TempDir();
        var sb = new StringBuilder("step,loss,lr\n");
        for (int s = 1; s <= 200; s++) sb.Append(CultureInfo.InvariantCulture, $"{s},{S(Loss(s))},{(s % 50 == 0 || s == 1 ? S(1e-3 * (1 - s / 400.0)) : "")}\n");
        string f = tmp.File("run.csv", sb.ToString());
        var refused = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.Contains("--interpolate-lr", refused.Message, StringComparison.Ordinal);
        var run = RunReader.Read(f, new RunReadOptions { InterpolateLr = true });
        // The log is linear in s, so the interpolation is exact at every step.
        for (int s = 1; s <= 200; s++) Assert.Equal(1e-3 * (1 - s / 400.0), run.LearningRates[s - 1], 15);
    }

    [Fact]
    public void Reads_a_quoted_generic_table()
    {
        using var tmp = new TempDir();
        var sb = new StringBuilder("\"step\",\"loss\",\"lr\"\r\n");
        for (int s = 1; s <= 50; s++) sb.Append(CultureInfo.InvariantCulture, $"\"{s}\",\"{S(Loss(s))}\",\"{S(1e-3)}\"\r\n");
        var run = RunReader.Read(tmp.File("quoted.csv", sb.ToString()));
        Assert.Equal(50, run.Steps);
        Assert.All(run.LearningRates, x => Assert.Equal(1e-3, x));
    }

    [Fact]
    public void Column_mapping_reads_any_table()
    {
        using var tmp = new TempDir();
        var sb = new StringBuilder("global_step,eval_loss,train_loss,learning rate\n");
        for (int s = 1; s <= 40; s++) sb.Append(CultureInfo.InvariantCulture, $"{s},9,{S(Loss(s))},{S(2e-4)}\n");
        string f = tmp.File("trainer_log.csv", sb.ToString());
        var run = RunReader.Read(f, new RunReadOptions { StepColumn = "global_step", LossColumn = "train_loss", LrColumn = "learning rate" });
        Assert.Equal(40, run.Steps);
        Assert.Equal(Loss(7), run.Observations[6].Loss);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f, new RunReadOptions { StepColumn = "global_step", LossColumn = "loss/train" }));
        Assert.Equal($"{f}:1: --loss-column: no column 'loss/train' (columns: 'global_step', 'eval_loss', 'train_loss', 'learning rate').", e.Message);
    }

    [Fact]
    public void A_chart_of_two_runs_needs_the_column_named()
    {
        using var tmp = new TempDir();
        var sb = new StringBuilder("\"Step\",\"run-a - train/loss\",\"run-b - train/loss\",\"run-a - lr\",\"run-b - lr\"\n");
        for (int s = 1; s <= 20; s++) sb.Append(CultureInfo.InvariantCulture, $"\"{s}\",\"{S(Loss(s))}\",\"{S(Loss(s) + 1)}\",\"0.001\",\"0.002\"\n");
        string f = tmp.File("two.csv", sb.ToString());
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.Contains("name the run's column with --loss-column", e.Message, StringComparison.Ordinal);
        var b = RunReader.Read(f, new RunReadOptions { LossColumn = "run-b - train/loss", LrColumn = "run-b - lr" });
        Assert.Equal("run-b", b.Name);
        Assert.Equal(Loss(3) + 1, b.Observations[2].Loss);
        Assert.All(b.LearningRates, x => Assert.Equal(0.002, x));
    }

    [Fact]
    public void A_bad_cell_names_the_file_and_its_line()
    {
        using var tmp = new TempDir();
        string text = WandbUi("\r\n").Replace("\"30\",", "\"30\",\"oops\",", StringComparison.Ordinal);
        // Keep the column count: drop one of the trailing cells of that row.
        text = text.Replace("\"oops\",\"" + S(Loss(30)) + "\",", "\"oops\",", StringComparison.Ordinal);
        string f = tmp.File("bad.csv", text);
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f, new RunReadOptions { Schedule = Wsd }));
        // Header on line 1, step 0 on line 2: step 30 is on line 5.
        Assert.Equal("5", e.Location);
        Assert.Equal($"{f}:5: column 'swift-river-7 - train/loss': 'oops' is not a number.", e.Message);
    }
}

/// <summary>
/// Hägele-style branch points (Hägele et al. 2024, cooldowns branched from a constant-LR run): a cooldown branch
/// appended to its parent's log starts by logging the parent's checkpoint loss at the branch step again. Reproduced
/// file: the parent to step 200, the branch's first row repeating step 200 (float32 round trip, 4e-7 relative), then
/// a linear cooldown to step 260.
/// </summary>
public class BranchPointTests
{
    private static string Log(double repeatFactor)
    {
        var sb = new StringBuilder("step,loss,lr\n");
        for (int s = 1; s <= 200; s++) sb.Append(CultureInfo.InvariantCulture, $"{s},{(3 + 5 / Math.Sqrt(s)):R},0.001\n");
        sb.Append(CultureInfo.InvariantCulture, $"200,{((3 + 5 / Math.Sqrt(200)) * repeatFactor):R},0.001\n");
        for (int s = 201; s <= 260; s++) sb.Append(CultureInfo.InvariantCulture, $"{s},{(3 + 5 / Math.Sqrt(s) - 0.002 * (s - 200)):R},{(0.001 * (260 - s) / 60):R}\n");
        return sb.ToString();
    }

    [Fact]
    public void A_branch_that_repeats_the_parents_point_within_1e_6_is_read_once()
    {
        using var tmp = new TempDir();
        var run = RunReader.Read(tmp.File("branch.csv", Log(1 + 4e-7)));
        Assert.Equal(260, run.Steps);
        Assert.Equal(260, run.Observations.Count);
        Assert.Equal(3 + 5 / Math.Sqrt(200), run.Observations[199].Loss);
        Assert.Equal("1", run.Metadata.Tags["branchPointRepeats"]);
    }

    [Fact]
    public void A_different_loss_at_the_same_step_is_still_a_duplicate()
    {
        using var tmp = new TempDir();
        string f = tmp.File("branch.csv", Log(1 + 1e-5));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        Assert.Equal($"{f}:202: step 200 is duplicated (train).", e.Message);
    }
}
