using Xunit;

namespace HyperLaws.Readers.Tests;

public class RunReaderTests
{
    [Fact]
    public void ReadDirectoryReadsTheMplFolder()
    {
        var set = RunReader.ReadDirectory(DataFolder.Combine("MultiPowerLaw", "loss_curve_repo"), recursive: true).ThrowIfAnyFailed();
        Assert.Equal(27, set.Runs.Count);
        Assert.Equal(9, set.Runs.Count(r => r.Metadata.Tags["size"] == "400M"));
        Assert.NotNull(set["cosine_24000@25M"]);
    }

    [Fact]
    public void TheSweepTableIsNotARun()
    {
        string f = DataFolder.Combine("steplaw", "data", "dense_lr_bs_loss.csv");
        var e = Assert.Throws<RunFormatException>(() => RunReader.Read(f));
        // The remedy a user can type (foreign-usage matrix, helper planaudit: it named the internal RunReader.ReadSweep).
        Assert.Contains("hyperlaws optimum --sweep FILE", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ReadSweep", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_latex_sweep_table_is_neither_a_run_nor_a_steplaw_sweep()
    {
        using var tmp = new TempDir();
        string f = tmp.File("hyperparam_tables_adamw.tex", "\\begin{table}\n\\caption{Hyperparameter ablation for AdamW on 130m on 1x Chinchilla Data}\n");
        foreach (var read in new Action[] { () => RunReader.Read(f), () => RunReader.ReadSweep(f) })
        {
            var e = Assert.Throws<RunFormatException>(read);
            Assert.Contains("validate --protocol 20, 22 or 23 --data DIR, with DIR the folder benchmarks/foreign-runs-marin/fetch.sh DIR writes "
                + "(the tables with their manifest.json)", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UnknownAndMissingFiles()
    {
        using var tmp = new TempDir();
        Assert.Contains("unknown run format", Assert.Throws<RunFormatException>(() => RunReader.Read(tmp.File("a.parquet", "x"))).Message);
        Assert.Contains("no such file", Assert.Throws<RunFormatException>(() => RunReader.Read(Path.Combine(tmp.Path, "nope.csv"))).Message);
        Assert.Contains("not a W&B export", Assert.Throws<RunFormatException>(() => RunReader.Read(tmp.File("a.json", "[1,2]"))).Message);
        var set = RunReader.ReadDirectory(tmp.Path);
        Assert.Empty(set.Runs);
        Assert.Throws<AggregateException>(() => new RunSet([], [new RunFormatException("f", 1, "bad")]).ThrowIfAnyFailed());
    }
}
