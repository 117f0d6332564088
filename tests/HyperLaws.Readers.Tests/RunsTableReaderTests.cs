using HyperLaws.Divergence;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// A W&amp;B runs table saved by pandas: the real file of Marin's LR_datasize sweep (TestData/wandb_runs_table, commit a904bcf of
/// github.com/WhenWen/WhenWen.github.io), each point checked against its row, and hand-made variants of it for the errors.
/// </summary>
public sealed class RunsTableReaderTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Real => Path.Combine(AppContext.BaseDirectory, "TestData", "wandb_runs_table", "wandb_hyperball_runs.csv");

    /// <summary>Protocol 25's facts: Marin's 130m, 128 sequences of 4,096 tokens, no warmup, linear decay to 0 over every step.</summary>
    private static readonly RunsTableFacts Facts = new(134_217_728, 128 * 4096, 4096, 0, 0, null, LinearDecay: true);

    private string Write(string text) => _tmp.File("runs.csv", text);

    [Fact]
    public void Every_row_is_a_point_in_cells_of_optimizer_and_tokens()
    {
        var table = RunsTableReader.Read(Real, Facts);
        Assert.Equal(124, table.Points.Count);
        Assert.Equal(26, table.Cells.Count); // 2 optimizers x 13 horizons, 1B-128B tokens
        Assert.Equal(["muon", "muonh"], table.Points.Select(p => p.Configuration).Distinct().Order(StringComparer.Ordinal).ToList());
        // Line 2: muon-lr2.00e-2-8B-accc00,muon-lr2.00e-2-8B-accc00,0.02,3.3427467346191406,muon,15258.7890625,8000000000.0
        var p = table.Points[0];
        Assert.Equal("muon-lr2.00e-2-8B-accc00", p.Name);
        Assert.Equal(0.02, p.LearningRate);
        Assert.Equal(3.3427467346191406, p.Loss);
        Assert.Equal(8e9, p.D);
        Assert.Equal(15258, p.Iterations); // floor(8e9 / 524,288)
        Assert.Equal(134_217_728, p.N);
        Assert.Equal(128, p.BatchSizeSequences);
        Assert.EndsWith("wandb_hyperball_runs.csv:2", p.Source, StringComparison.Ordinal);
        var cell = table.Cells.Single(c => c.D == 128e9 && c.Points[0].Configuration == "muon");
        Assert.Equal([0.003535533905932738, 0.005, 0.007071067811865476, 0.01, 0.014142135623730952], cell.Points.Select(x => x.LearningRate).Order().ToList());
        Assert.All(table.Points, x => Assert.True(double.IsFinite(x.Loss) && double.IsNaN(x.SmoothLoss)));
    }

    [Fact]
    public void The_schedule_is_the_facts_linear_decay_to_zero()
    {
        var p = RunsTableReader.Read(Real, Facts).Points[0];
        Assert.Equal((0, 0.0, null, true), (p.WarmupSteps, p.MinLrRatio, p.DecayFraction, p.LinearDecay));
        var lr = new SweepScheduleAssumption().LrOf(p);
        Assert.Equal(0.02 * (1 - 1.0 / 15258), lr(1), 15);
        Assert.Equal(0.01, lr(7629), 15);
        Assert.Equal(0, lr(15258), 15);
        var wsd = RunsTableReader.Read(Real, Facts with { WarmupSteps = 100, MinLrRatio = 0.1, DecayFraction = 0.2, LinearDecay = false }).Points[0];
        var lr2 = new SweepScheduleAssumption().LrOf(wsd);
        Assert.Equal(0.01, lr2(50), 15);
        Assert.Equal(0.02, lr2(15258 - 3051), 15); // the peak held until the last floor(0.2 x 15258) = 3051 steps
        Assert.Equal(0.002, lr2(15258), 15);
    }

    [Fact]
    public void Steps_alone_give_the_tokens_and_diverged_losses_read_as_infinite()
    {
        var t = RunsTableReader.Read(Write("name,lr,steps,loss\na,0.01,100,3.5\nb,0.02,100,NaN\nc,0.04,100,inf\n"), Facts);
        Assert.Equal([100 * 524288.0], t.Points.Select(p => p.D).Distinct().ToList());
        Assert.Equal([3.5, double.PositiveInfinity, double.PositiveInfinity], t.Points.Select(p => p.Loss).ToList());
        Assert.Null(t.Points[0].Configuration);
        Assert.Equal("a", t.Points[0].Name);
    }

    [Theory]
    [InlineData("run_name,loss,num_tokens\na,3.5,1e9\n", ":1: no column for a peak LR (learning_rate, lr, peak_lr, optimizer.learning_rate)")]
    [InlineData("run_name,learning_rate\na,0.01\n", ":1: no column for a final loss")]
    [InlineData("learning_rate,loss\n0.01,3.5\n", ":1: no column for the tokens")]
    [InlineData("learning_rate,loss,num_tokens\n0.01,,1e9\n", ":2: loss is empty: a run with no final loss")]
    [InlineData("learning_rate,loss,num_tokens\n0.01,3.5,1e9\n-0.01,3.5,1e9\n", ":3: learning_rate must be a positive finite number (found -0.01).")]
    [InlineData("learning_rate,loss,num_tokens\n0.01,0,1e9\n", ":2: loss must be positive (found 0).")]
    [InlineData("learning_rate,loss,num_tokens\n0.01,abc,1e9\n", ":2: loss 'abc' is not a number.")]
    [InlineData("learning_rate,loss,num_tokens,num_train_steps\n0.01,3.5,1e9,1900\n", ":2: num_train_steps 1900 disagrees with num_tokens / batch tokens")]
    [InlineData("learning_rate,loss,num_tokens,optimizer_name\n0.01,3.5,1e9,muon\n0.01,3.4,1e9,muon\n", ":3: the same point as line 2 (muon, 1E+09 tokens, LR 0.01).")]
    [InlineData("learning_rate,loss,num_tokens\n0.01,3.5,1000\n", ":2: 1000 tokens at 524288 per step is 0 steps")]
    [InlineData("learning_rate,loss,num_tokens\n", ":1: no data rows after the header.")]
    public void Bad_rows_are_errors_naming_the_file_and_line(string text, string expected)
    {
        string path = Write(text);
        var e = Assert.Throws<RunFormatException>(() => RunsTableReader.Read(path, Facts));
        Assert.StartsWith(path + expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Facts_out_of_range_are_refused_before_reading()
    {
        Assert.Throws<ArgumentException>(() => RunsTableReader.Read(Real, Facts with { Parameters = 0 }));
        Assert.Throws<ArgumentException>(() => RunsTableReader.Read(Real, Facts with { DecayFraction = 1.5 }));
        Assert.Throws<ArgumentException>(() => RunsTableReader.Read(Real, Facts with { MinLrRatio = -0.1 }));
    }

    [Fact]
    public void A_run_no_longer_than_the_warmup_is_refused_naming_its_line()
    {
        string path = Write("name,lr,steps,loss\na,0.01,101,3.5\nb,0.02,100,3.6\n");
        var e = Assert.Throws<RunFormatException>(() => RunsTableReader.Read(path, Facts with { WarmupSteps = 100 }));
        Assert.Equal(path + ":3: 5.24288E+07 tokens at 524288 per step is 100 steps, not more than the warmup's 100 (the peak LR is never held).", e.Message);
        Assert.Equal(2, RunsTableReader.Read(path, Facts with { WarmupSteps = 99 }).Points.Count);
    }
}
