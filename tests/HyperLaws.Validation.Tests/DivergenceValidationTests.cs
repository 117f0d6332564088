using HyperLaws.Readers;
using HyperLaws.Runs;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Validation.Tests;

public sealed class DivergenceValidationTests
{
    [Fact]
    public void TheDivergedLrSchedulingRunBecomesAPositiveExample()
    {
        string dir = Path.Combine(DataFolders.Shared, DivergenceValidation.LrSchedulingDir);
        string file = Directory.EnumerateFiles(dir, "cos-zero-124m_*_lr0.005_*.json").Single();
        var run = WandbReader.Read(file);
        Assert.True(run.Diverged);
        Assert.True(run.Metadata.Tags.ContainsKey("divergedAt"));
        var x = Assert.Single(DivergenceValidation.FromRuns([run], "lr-scheduling"));
        Assert.True(x.Diverged);
        Assert.Equal(300, x.WarmupSteps, 0); // warmup300 in the run name: the LR first peaks at step 300
        Assert.Equal(0.005, x.PeakLr, 6);
        Assert.Equal(run.Metadata.Parameters!.Value, x.N);
        Assert.Equal(run.Metadata.TokensPerStep!.Value, x.BatchTokens);
        Assert.Equal(run.LearningRates.Length, x.Profile.Steps);
    }

    [Fact]
    public void RunsWithoutSizesAreRefusedByName()
    {
        var run = new TrainingRun(new RunMetadata("anon") { TokensPerStep = 1e6 }, [1e-3, 2e-3], [new LossObservation(2, 3.0, LossSplit.Train)]);
        var e = Assert.Throws<ValidationDataException>(() => DivergenceValidation.FromRuns([run], "g").ToList());
        Assert.Contains("anon", e.Message, StringComparison.Ordinal);
        Assert.Contains("parameters", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingDataFileIsNamed()
    {
        using var root = new TempDir();
        var e = Assert.Throws<ValidationDataException>(() => DivergenceValidation.LoadExamples(root.Path));
        Assert.Contains("dense_lr_bs_loss.csv", e.Message, StringComparison.Ordinal);
    }
}
