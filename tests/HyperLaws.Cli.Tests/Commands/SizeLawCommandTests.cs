namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary><c>hyperlaws size-law</c> end to end on ../shared/data, and its bad inputs.</summary>
public sealed class SizeLawCommandTests
{
    [Fact]
    public void Json_holds_the_fit_the_intervals_the_held_out_check_and_every_Porian_configuration()
    {
        var json = Cli.RunJson($"size-law --data {DataFolders.Shared} --resamples 20 --json");
        var c = json["chinchilla"]!;
        Assert.Equal(240, (int)c["runs"]!);
        Assert.Equal(5, (int)c["excludedHighestLoss"]!);
        double alpha = JsonAssert.Number(c["fit"], "alpha");
        Assert.InRange(alpha, 0.34, 0.355);
        var ci = c["bootstrap"]!["intervals"]!["alpha"]!.AsArray();
        Assert.InRange(alpha, (double)ci[0]!, (double)ci[1]!);
        Assert.Equal(0.3478, JsonAssert.Number(c["besiroglu2024"], "alpha"));
        Assert.InRange(JsonAssert.Number(json["heldOut"], "meanRelError"), 0, 0.015);
        Assert.Equal(15, json["porian"]!.AsArray().Count);
    }

    [Fact]
    public void Bad_inputs_are_one_line_errors()
    {
        Assert.Contains("--resamples", Cli.Run("size-law", "--data", DataFolders.Shared, "--resamples", "3").AssertUsageError(), StringComparison.Ordinal);
        Assert.Contains("--train-fraction", Cli.Run("size-law", "--data", DataFolders.Shared, "--train-fraction", "1.5").AssertUsageError(), StringComparison.Ordinal);
        Assert.Contains("not found", Cli.Run("size-law", "--data", "no-such-folder").AssertUsageError(), StringComparison.Ordinal);
        Assert.Contains("svg_extracted_data.csv: not found", Cli.Run("size-law", "--data", Path.GetTempPath()).AssertUsageError(), StringComparison.Ordinal);
    }
}
