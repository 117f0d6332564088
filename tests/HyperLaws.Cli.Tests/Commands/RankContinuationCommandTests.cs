namespace HyperLaws.Cli.Tests.Commands;

using Xunit;

/// <summary><c>hyperlaws rank-continuation</c>: a known winner, the JSON fields, a run file as history, bad inputs.</summary>
public sealed class RankContinuationCommandTests
{
    // Tissue law with C = 0: the loss falls with the LR area alone, so the highest constant peak without re-warm wins.
    private const string NoAnnealing = """{"format":"hyperlaws-law","version":1,"law":"tissue","parameters":{"L0":3.15,"A":0.51,"alpha":0.51,"C":0}}""";

    private static string WriteLaw(TempDir tmp)
    {
        string path = Path.Combine(tmp.Path, "law.json");
        File.WriteAllText(path, NoAnnealing);
        return path;
    }

    [Fact]
    public void Ranks_continuations_with_a_known_winner()
    {
        using var tmp = new TempDir();
        string law = WriteLaw(tmp);
        const string history = "cosine(peak=3e-4,steps=2000,warmup=100)";
        var json = Cli.RunJson($"rank-continuation --law {law} --history {history} --steps 1000 --peaks 1e-4,2e-4,4e-4 --rewarm 0,100 --decay constant,cosine,wsd --top 3 --json");
        Assert.Equal(2 * 3 * 3, (int)json["evaluated"]!);
        Assert.Equal(2000, (int)json["historySteps"]!);
        var c = json["candidates"]!.AsArray();
        Assert.Equal(3, c.Count);
        Assert.Equal("constant", (string)c[0]!["decay"]!);
        Assert.Equal(4e-4, JsonAssert.Number(c[0], "peak"), 15);
        Assert.Equal(0, (int)c[0]!["rewarm"]!);
        var losses = c.Select(x => JsonAssert.Number(x, "predictedLoss")).ToList();
        Assert.Equal(losses.Order(), losses);
        // The law sees the whole history: the winner's loss is what 'predict' gives for continued(previous, next).
        var p = LawCliData.RunJson("predict", "--law", law, "--schedule", $"continued(previous={history},next={(string)c[0]!["next"]!})", "--steps", "3000", "--json");
        Assert.Equal(JsonAssert.Number(p, "finalLoss"), losses[0], 12);
        Assert.True(losses[0] < JsonAssert.Number(json, "historyLoss"));
    }

    [Fact]
    public void Takes_a_run_file_as_history()
    {
        using var tmp = new TempDir();
        var json = Cli.RunJson($"rank-continuation --law {WriteLaw(tmp)} --history {LawCliData.Curve("25", "constant_24000")} --steps 2000 --json");
        Assert.Equal(24000, (int)json["historySteps"]!);
        // Default grid: 3 re-warms x 3 peaks x 4 decays.
        Assert.Equal(36, (int)json["evaluated"]!);
    }

    [Theory]
    [InlineData("--history nosuch(peak=1) --steps 100", "--history")]
    [InlineData("--history cosine(peak=3e-4,steps=200) --steps 100 --decay step", "--decay")]
    [InlineData("--history cosine(peak=3e-4,steps=200) --steps 100 --rewarm 100", "--rewarm")]
    [InlineData("--history cosine(peak=3e-4,steps=200) --steps 100 --rewarm-from middle", "--rewarm-from")]
    [InlineData("--history cosine(peak=3e-4,steps=200) --steps 1", "--steps")]
    public void Bad_inputs_are_one_line_errors(string options, string expected)
    {
        using var tmp = new TempDir();
        var line = Cli.Run(["rank-continuation", "--law", WriteLaw(tmp), .. Cli.Split(options)]).AssertUsageError();
        Assert.StartsWith("hyperlaws: error: " + expected, line, StringComparison.Ordinal);
    }
}
