using System.Text.Json.Nodes;
using HyperLaws.Divergence;
using Xunit;

namespace HyperLaws.Tests.Divergence;

public sealed class DivergenceModelDocumentTests
{
    private static DivergenceModel Sample() => new(new CriticalLrRule(-4.9, -0.31, -0.07, 0.05, 0.1, 3.5));

    [Fact]
    public void RoundTripKeepsEveryNumber()
    {
        var m = Sample();
        var back = DivergenceModelDocument.Parse(DivergenceModelDocument.ToJson(m, new JsonObject { ["note"] = "x" }).ToJsonString());
        Assert.Equal(m.Rule, back.Rule);
        var x = DivergenceExample.FromSchedule("c", "g", 3e8, 5e5, Enumerable.Repeat(0.006, 100).ToArray(), false);
        Assert.Equal(m.Predict(x), back.Predict(x));
        Assert.Equal(m.CriticalPeakLr(3e8, 5e5, 5e7, 1), back.CriticalPeakLr(3e8, 5e5, 5e7, 1));
    }

    [Fact]
    public void TheShippedPriorIsReadAndHasItsBoundaryOnTheLrAxis()
    {
        string path = Path.Combine(DataFolders.Repo, "priors", "divergence-steplaw.json");
        var m = DivergenceModelDocument.Parse(File.ReadAllText(path));
        // Fitted on the Step Law grid, where 200M-1B models diverge at peaks of 5e-3 to 2e-2: eta_crit lands there.
        Assert.InRange(m.CriticalPeakLr(4e8, 5e5, 2e10, 2000), 4e-3, 3e-2);
        Assert.True(m.Rule.B < 0, "larger models diverge at lower peaks on the Step Law grid");
    }

    [Fact]
    public void VersionOneIsRefusedWithTheWayToRefit()
    {
        var e = Assert.Throws<RetiredDivergenceModelException>(() => DivergenceModelDocument.Parse("{\"format\":\"hyperlaws-divergence\",\"version\":1,\"default\":\"area\"}"));
        Assert.Equal(1, e.Version);
        Assert.StartsWith("version 1 (the area criterion", e.Reason, StringComparison.Ordinal);
        Assert.Equal(e.Reason + "; refit it on the runs.", e.Message);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1]", "top level")]
    [InlineData("{\"format\":\"hyperlaws-law\"}", "\"format\"")]
    public void MalformedTextIsRefused(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => DivergenceModelDocument.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version", "3", "unsupported version 3")]
    [InlineData("boundary.A", "\"x\"", "boundary.A")]
    [InlineData("boundary.E", "null", "boundary.E")]
    [InlineData("boundary.slope", "-1", "slope")]
    [InlineData("boundary.nRef", "1000", "nRef")]
    [InlineData("boundary.tokensRef", "1", "tokensRef")]
    public void BrokenFieldsAreNamed(string field, string value, string expected)
    {
        var doc = DivergenceModelDocument.ToJson(Sample());
        string[] path = field.Split('.');
        var target = path.Length == 1 ? doc : doc[path[0]]!.AsObject();
        target[path[^1]] = JsonNode.Parse(value);
        var e = Assert.Throws<FormatException>(() => DivergenceModelDocument.Parse(doc.ToJsonString()));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingSectionIsNamed()
    {
        var doc = DivergenceModelDocument.ToJson(Sample());
        doc.Remove("boundary");
        var e = Assert.Throws<FormatException>(() => DivergenceModelDocument.Parse(doc.ToJsonString()));
        Assert.Contains("\"boundary\"", e.Message, StringComparison.Ordinal);
    }
}
