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
        Assert.Contains("ReadSweep", e.Message);
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
