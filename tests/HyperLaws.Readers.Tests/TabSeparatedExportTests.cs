using HyperLaws.Runs;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Readers.Tests;

/// <summary>
/// Tab-separated W&amp;B histories (<see cref="ExportedCsvReader"/>, kind <c>tsv</c>): the real PolyPythias 14M curve of
/// TestData/wandb_tsv (Apache-2.0, see its README) and hand-made variants.
/// </summary>
public sealed class TabSeparatedExportTests : IDisposable
{
    private const string PythiaSchedule = "cosine(peak=0.001,steps=143000,warmup=1430,floor=0.0001,offset=1)";

    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Real => Path.Combine(AppContext.BaseDirectory, "TestData", "wandb_tsv", "14m-seed1.head.tsv");

    [Fact]
    public void The_real_pythia_history_is_read_with_its_schedule()
    {
        Assert.Equal("tsv", ExportedCsvReader.Recognize(Real));
        var run = RunReader.Read(Real, RunReadOptions.Default with { Schedule = PythiaSchedule });
        Assert.Equal("tsv", run.Metadata.Tags["format"]);
        Assert.Equal("gpt-neox", run.Metadata.Tags["stepConvention"]);
        var train = run.Split(LossSplit.Train).ToList();
        // GPT-NeoX's train/lm_loss at W&B step k is the loss after k - 1 updates: rows 1..1000 are steps 0..999; update 1 has
        // LR 0 (offset=1), so the loss after it is the initial model's too and is left out (RunAssembly.Build).
        Assert.Equal("1", run.Metadata.Tags["untrainedObservations"]);
        Assert.Equal(998, train.Count);
        Assert.Equal(Enumerable.Range(2, 998), train.Select(o => o.Step));
        // Lines 2, 101 and 1001 of the file: "11.013898849487305\t1", "9.909037590026855\t100", "5.09073543548584\t1000".
        Assert.Equal("11.013898849487305", run.Metadata.Tags["initialLoss"]);
        Assert.Equal(9.909037590026855, train[97].Loss);
        Assert.Equal(5.09073543548584, train[997].Loss);
        Assert.Equal(143000, run.Steps); // the schedule's length: the file is the first 1,000 steps of the run
        Assert.Equal(0.001 * 1000 / 1430, run.LearningRates[1000], 1e-15); // offset=1: update 1001 has the warmup's 1000/1430
        Assert.False(run.Diverged);
    }

    [Fact]
    public void Without_an_lr_column_or_a_schedule_the_error_asks_for_one()
    {
        var ex = Assert.Throws<RunFormatException>(() => RunReader.Read(Real));
        Assert.StartsWith(Real + ":", ex.Message, StringComparison.Ordinal);
        Assert.Contains("schedule", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tsv_with_step_loss_and_lr_and_a_broken_cell()
    {
        string ok = _tmp.File("run.tsv", "_step\ttrain/loss\tlr\n0\t11\t0.001\n1\t9\t0.001\n2\t8\t0.001\n3\t7.5\t0.001\n");
        var run = RunReader.Read(ok);
        Assert.Equal(3, run.Steps);
        Assert.Equal([9.0, 8.0, 7.5], run.Split(LossSplit.Train).Select(o => o.Loss));
        Assert.All(run.LearningRates, lr => Assert.Equal(0.001, lr));
        string bad = _tmp.File("bad.tsv", "step\tloss\tlr\n1\t9\t0.001\n2\tnine\t0.001\n");
        var ex = Assert.Throws<RunFormatException>(() => RunReader.Read(bad));
        Assert.StartsWith(bad + ":3:", ex.Message, StringComparison.Ordinal);
        // GPT-NeoX's keys: the loss at W&B step k after k - 1 updates, the LR at k that of update k + 1 (the last one dropped).
        string neox = _tmp.File("neox.tsv", "train/lm_loss\ttrain/learning_rate\tstep\n11\t0.001\t1\n9\t0.002\t2\n8\t0.003\t3\n7\t0.004\t4\n");
        var n = RunReader.Read(neox, RunReadOptions.Default with { InterpolateLr = true });
        Assert.Equal(4, n.Steps); // the last line is the iteration after update 4: the loss after 4 updates is never logged
        Assert.Equal([(1, 9.0), (2, 8.0), (3, 7.0)], n.Split(LossSplit.Train).Select(o => (o.Step, o.Loss)));
        Assert.Equal([0.001, 0.001, 0.002, 0.003], n.LearningRates); // eta_1 (never logged) held at eta_2
        Assert.Equal("11", n.Metadata.Tags["initialLoss"]);
        var unsorted = Assert.Throws<RunFormatException>(() => RunReader.Read(_tmp.File("neox-unsorted.tsv", "train/lm_loss\tstep\n9\t2\n8\t1\n"),
            RunReadOptions.Default with { Schedule = "constant(peak=0.001,steps=2)" }));
        Assert.Contains(":3: steps are not sorted", unsorted.Message, StringComparison.Ordinal);
        // A comma-separated header with a tab inside a name stays a CSV.
        Assert.Null(ExportedCsvReader.Recognize(_tmp.File("tabbed.csv", "step,loss\tx\n1,2\n")));
    }
}
