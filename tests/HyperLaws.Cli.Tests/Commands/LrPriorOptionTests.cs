using Xunit;

namespace HyperLaws.Cli.Tests.Commands;

/// <summary><c>plan --lr-prior</c> and <c>--no-lr-prior</c>: a bad prior file is one line naming it, exit 2, nothing written.</summary>
public sealed class LrPriorOptionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("{\"format\": \"hyperlaws-lr-axis-prior\", \"version\": 1, \"reference\": \"steplaw\", \"axis\": {\"ratio\": 0}}", "axis.")]
    [InlineData("{\"format\": \"hyperlaws-divergence\", \"version\": 2}", "\"format\"")]
    [InlineData(null, "")]
    public void A_bad_or_missing_prior_is_one_line_naming_the_file(string? content, string expected)
    {
        string file = Path.Combine(_dir.Path, "prior.json");
        if (content is not null) File.WriteAllText(file, content);
        string outDir = Path.Combine(_dir.Path, "never");
        string line = Cli.Run("plan", "--params", "1B", "--tokens", "10B", "--runs", _dir.Path, "--lr-prior", file, "--out", outDir).AssertUsageError();
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void The_prior_and_no_prior_together_are_refused()
    {
        string line = Cli.Run("plan", "--params", "1B", "--tokens", "10B", "--lr-prior", "x.json", "--no-lr-prior", "--out", Path.Combine(_dir.Path, "never")).AssertUsageError();
        Assert.Contains("--no-lr-prior", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Lr_prior_without_the_step_law_table_is_one_line_naming_it()
    {
        string line = Cli.Run("lr-prior", "--data", _dir.Path, "--out", Path.Combine(_dir.Path, "p.json")).AssertUsageError();
        Assert.Contains("dense_lr_bs_loss.csv", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "p.json")));
    }
}
