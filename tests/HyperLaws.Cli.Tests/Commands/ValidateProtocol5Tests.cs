namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary><c>hyperlaws validate --protocol 5</c> on the shared critical-batch data.</summary>
public sealed class ValidateProtocol5Tests
{
    [Fact]
    public void Json_reports_each_size_and_the_BNoise_exponent()
    {
        var json = LawCliData.RunJson("validate", "--protocol", "5", "--data", HyperLaws.Tests.DataFolders.Shared, "--json");
        Assert.Equal(5, (int)json["protocol"]!);
        var sizes = json["sizes"]!.AsArray();
        Assert.Equal(5, sizes.Count);
        foreach (var s in sizes)
            Assert.Equal(JsonAssert.Number(s, "sMin") * JsonAssert.Number(s, "bNoiseTokens"), JsonAssert.Number(s, "eMinTokens"), 6);
        double e = JsonAssert.Number(json["bNoiseInParameters"], "exponent");
        Assert.InRange(e, 0.59, 0.65);
        Assert.Equal(0.5, JsonAssert.Number(json["lmoTheory"], "batchExponentInHorizon"));
    }

    [Fact]
    public void Missing_data_is_a_one_line_error()
    {
        using var tmp = new TempDir();
        var line = Cli.Run("validate", "--protocol", "5", "--data", tmp.Path).AssertUsageError();
        Assert.Contains("critical-batch-size", line, StringComparison.Ordinal);
    }
}
