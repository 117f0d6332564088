using System.Globalization;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// AlgoPerf <c>eval_measurements.csv</c>: two real files (TestData/algoperf, see its README) checked value by value against the
/// files as read here with a plain split, the LRs against the baseline's optax schedule written out independently, and hand-made
/// variants for what they do not show (a schedule shorter than the log, hostile rows).
/// </summary>
public sealed class AlgoPerfReaderTests : IDisposable
{
    private const double CriteoPeak = 0.001308209823469072;
    private const string CriteoSchedule = "cosine(peak=0.001308209823469072,steps=10666,warmup=1066,offset=1)";
    private const string DeepSpeechSchedule = "cosine(peak=0.0008445074561975979,steps=48000,warmup=2400,offset=1)";
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "algoperf", name);

    private static string Criteo => Data("criteo1tb_trial_1_eval_measurements.csv");

    private static string DeepSpeech => Data("deepspeech_trial_2_eval_measurements.csv");

    /// <summary>(global_step, train loss, validation loss) of a real file, read with a plain split by column name.</summary>
    private static List<(int Step, double Train, double Val)> Rows(string path, string train, string val)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        int s = Array.IndexOf(header, "global_step"), t = Array.IndexOf(header, train), v = Array.IndexOf(header, val);
        Assert.True(s >= 0 && t >= 0 && v >= 0);
        return [.. lines.Skip(1).Select(l => l.Split(',')).Select(f => (int.Parse(f[s], CultureInfo.InvariantCulture),
            double.Parse(f[t], CultureInfo.InvariantCulture), double.Parse(f[v], CultureInfo.InvariantCulture)))];
    }

    /// <summary>
    /// The baseline's schedule as optax computes it (jax_nadamw_full_budget.py: linear_schedule(0 -> lr over W) joined with
    /// cosine_decay_schedule(lr, hint - W) at W), for update s at count c = s - 1.
    /// </summary>
    private static double Optax(int s, double peak, int warmup, int hint)
    {
        int c = s - 1;
        if (c < warmup) return peak * c / warmup;
        double p = Math.Min(c - warmup, hint - warmup) / (double)(hint - warmup);
        return peak * 0.5 * (1 + Math.Cos(Math.PI * p));
    }

    [Fact]
    public void Real_files_are_recognised_by_content_and_need_a_schedule()
    {
        Assert.True(AlgoPerfReader.Recognizes(Criteo));
        Assert.True(AlgoPerfReader.Recognizes(DeepSpeech));
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(Criteo));
        Assert.StartsWith(Criteo + ":1: AlgoPerf logs no learning rate", e.Message, StringComparison.Ordinal);
        Assert.Contains("--schedule", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Criteo_run_stopped_by_its_time_budget_has_every_loss_at_its_step_and_the_optax_lrs()
    {
        var rows = Rows(Criteo, "train/loss", "validation/loss");
        Assert.Equal(7, rows.Count);
        var run = RunReader.Read(Criteo, new RunReadOptions { Schedule = CriteoSchedule });
        Assert.Equal("algoperf", run.Metadata.Tags["format"]);
        Assert.Equal("validation/loss", run.Metadata.Tags["validationLossColumn"]);
        Assert.Equal("10666", run.Metadata.Tags["scheduleSteps"]);
        Assert.Equal("criteo1tb_trial_1_eval_measurements", run.Name);
        // The run stopped at its time budget, at the last evaluation, before the step hint (10,666).
        Assert.Equal(9109, run.Steps);
        Assert.False(run.Diverged);
        var train = run.Split(LossSplit.Train).ToList();
        var val = run.Split(LossSplit.Validation).ToList();
        // The evaluation at global_step 1 follows an update at LR 0 (offset=1: eta_1 = 0): the initial model, left out of the curve
        // (RunAssembly.Build), its training loss in the tag initialLoss.
        Assert.Equal(1, rows[0].Step);
        Assert.Equal("2", run.Metadata.Tags["untrainedObservations"]);
        Assert.Equal(rows[0].Train.ToString("R", System.Globalization.CultureInfo.InvariantCulture), run.Metadata.Tags["initialLoss"]);
        Assert.Equal(rows.Skip(1).Select(r => (r.Step, r.Train)), train.Select(o => (o.Step, o.Loss)));
        Assert.Equal(rows.Skip(1).Select(r => (r.Step, r.Val)), val.Select(o => (o.Step, o.Loss)));
        // Checked by hand against the file: the first (the initial model, left out) and the last evaluation.
        Assert.Equal((1, 0.4571109073102294), (rows[0].Step, rows[0].Val));
        Assert.Equal(1521, val[0].Step);
        Assert.Equal((9109, 0.12382877749552663), (val[^1].Step, val[^1].Loss));
        // Update 1 runs at LR 0, the peak is reached at update W + 1 = 1067, and every step agrees with optax.
        Assert.Equal(0, run.LearningRates[0]);
        Assert.Equal(CriteoPeak, run.LearningRates[1066], 15);
        for (int s = 1; s <= run.Steps; s++)
            Assert.Equal(Optax(s, CriteoPeak, 1066, 10666), run.LearningRates[s - 1], 1e-15);
        Assert.True(run.LearningRates[^1] > 0.05 * CriteoPeak); // stopped before the decay's end
    }

    [Fact]
    public void DeepSpeech_run_reads_the_ctc_loss_columns_to_its_step_hint()
    {
        var rows = Rows(DeepSpeech, "train/ctc_loss", "validation/ctc_loss");
        Assert.Equal(30, rows.Count);
        var run = RunReader.Read(DeepSpeech, new RunReadOptions { Schedule = DeepSpeechSchedule });
        Assert.Equal("train/ctc_loss", run.Metadata.Tags["trainLossColumn"]);
        Assert.Equal("validation/ctc_loss", run.Metadata.Tags["validationLossColumn"]);
        Assert.Equal(48000, run.Steps);
        var val = run.Split(LossSplit.Validation).ToList();
        Assert.Equal(rows.Where(r => r.Step > 1).Select(r => (r.Step, r.Val)), val.Select(o => (o.Step, o.Loss))); // step 1: after an update at LR 0
        Assert.Equal((48000, 0.42751795), (val[^1].Step, val[^1].Loss));
        Assert.Equal((48000, 0.12780735), (run.Split(LossSplit.Train).Last().Step, run.Split(LossSplit.Train).Last().Loss));
        for (int s = 1; s <= run.Steps; s += 997)
            Assert.Equal(Optax(s, 0.0008445074561975979, 2400, 48000), run.LearningRates[s - 1], 1e-15);
        Assert.True(run.LearningRates[^1] < 1e-9); // the cosine ends at 0 at the hint
    }

    [Fact]
    public void A_schedule_shorter_than_the_log_is_an_error_naming_both_lengths()
    {
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(Criteo, new RunReadOptions { Schedule = "cosine(peak=1e-3,steps=9000,warmup=100)" }));
        Assert.Equal($"{Criteo}:1: the schedule 'cosine(peak=1e-3,steps=9000,warmup=100)' has 9000 steps but the log runs to step 9109.", e.Message);
    }

    [Fact]
    public void Trial_folder_names_the_run()
    {
        string dir = Path.Combine(_tmp.Path, "criteo1tb_jax", "trial_1");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "eval_measurements.csv");
        File.Copy(Criteo, path);
        Assert.Equal("criteo1tb_jax-trial_1", RunReader.Read(path, new RunReadOptions { Schedule = CriteoSchedule }).Name);
    }

    [Theory]
    [InlineData("1,0,1.0,1,0,1.0,0.5,10,2.0,0.5,0.5,10\n0.5,0,1.0,x,0,1.0,0.5,10,2.0,0.4,0.4,10", 3, "column 'global_step': 'x' is not a number.")]
    [InlineData("1,0,1.0,5,0,1.0,0.5,10,2.0,0.5,0.5,10\n0.5,0,1.0,3,0,1.0,0.5,10,2.0,0.4,0.4,10", 3, "steps are not sorted")]
    [InlineData("1,0,1.0,5,0,1.0,0.5,10,2.0,-0.5,0.5,10", 2, "")]
    public void Hostile_rows_are_errors_naming_the_file_and_line(string body, int line, string problem)
    {
        string header = File.ReadLines(Criteo).First();
        string path = Path.Combine(_tmp.Path, "eval_measurements.csv");
        File.WriteAllText(path, header + "\n" + body + "\n");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(path, new RunReadOptions { Schedule = "constant(peak=1e-3,steps=100)" }));
        Assert.StartsWith($"{path}:{line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
