using HyperLaws.Cli.Output;
using HyperLaws.Fitting;
using Xunit;

namespace HyperLaws.Cli.Tests;

/// <summary>The CLI's fit cache folder: entries come back bit for bit; anything unreadable is a miss, never an error.</summary>
public sealed class FitCacheFolderTests
{
    private const string Key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void AStoredFitComesBackBitForBitWithNaNAndInfinities()
    {
        using var dir = new TempDir();
        var cache = new FitCacheFolder(Path.Combine(dir.Path, "fits"));
        var fit = new CachedFit([0.1 + 0.2, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, 1e308], 3.3887899417425557E-07, 119, 374, false, "a parameter ran off to \"infinity\"");
        Assert.Null(cache.TryGet(Key));
        cache.Store(Key, fit);
        var back = cache.TryGet(Key)!;
        Assert.Equal(fit.Parameters.Select(BitConverter.DoubleToInt64Bits), back.Parameters.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal((fit.Objective, fit.Iterations, fit.Evaluations, fit.Converged, fit.StopReason), (back.Objective, back.Iterations, back.Evaluations, back.Converged, back.StopReason));
        Assert.Equal([Key + ".json"], Directory.GetFiles(cache.Folder).Select(Path.GetFileName));   // no temporary file left
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1, 2]")]
    [InlineData("{\"key\": \"" + Key + "\"}")]
    [InlineData("{\"key\": \"another\", \"parameters\": [\"1\"], \"objective\": \"0\", \"iterations\": 1, \"evaluations\": 1, \"converged\": true, \"stopReason\": \"x\"}")]
    [InlineData("{\"key\": \"" + Key + "\", \"parameters\": [\"one\"], \"objective\": \"0\", \"iterations\": 1, \"evaluations\": 1, \"converged\": true, \"stopReason\": \"x\"}")]
    [InlineData("{\"key\": \"" + Key + "\", \"parameters\": [1], \"objective\": \"0\", \"iterations\": 1.5, \"evaluations\": 1, \"converged\": true, \"stopReason\": \"x\"}")]
    public void AnEntryThatCannotBeReadIsAMiss(string text)
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, Key + ".json"), text);
        Assert.Null(new FitCacheFolder(dir.Path).TryGet(Key));
    }

    [Fact]
    public void AFolderThatCannotBeMadeIsNoCacheAndNoError()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "a-file");
        File.WriteAllText(file, "");
        var cache = new FitCacheFolder(Path.Combine(file, "fits"));
        cache.Store(Key, new CachedFit([1], 0, 1, 1, true, "x"));
        Assert.Null(cache.TryGet(Key));
    }

    [Fact]
    public void TheFolderFollowsTheEnvironment()
    {
        // The test process points it at its own folder (FitCacheIsolation).
        Assert.Equal(Environment.GetEnvironmentVariable("HYPERLAWS_CACHE_DIR"), FitCacheFolder.DefaultFolder());
        Assert.Contains("hyperlaws-cli-tests-fit-cache-", FitCacheFolder.DefaultFolder(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("demo")]
    public void TheHelpNamesTheFlagAndTheFolder(string command)
    {
        var r = Cli.Run(command, "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--no-fit-cache", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("hyperlaws/fits", r.Stdout.Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
