using System.Text.Json.Nodes;
using HyperLaws.Divergence;
using Xunit;

namespace HyperLaws.Tests.Divergence;

public sealed class DivergenceModelDocumentTests
{
    private static DivergenceModel Sample() => new(
        new ThresholdRule(-5.4, -0.07, -0.04, 0.1, 3.5),
        new LogisticClassifier([1, 2, 3, 4, 5, 6], [0.5, 1, 1.5, 2, 2.5, 3], -2.5, [0.1, -0.2, 0.3, -0.4, 0.5, 1.5]),
        DivergencePredictorKind.Classifier);

    [Fact]
    public void RoundTripKeepsEveryNumber()
    {
        var m = Sample();
        var back = DivergenceModelDocument.Parse(DivergenceModelDocument.ToJson(m, new JsonObject { ["note"] = "x" }).ToJsonString());
        Assert.Equal(m.Rule, back.Rule);
        Assert.Equal(m.Default, back.Default);
        Assert.Equal(m.Classifier.Mean, back.Classifier.Mean);
        Assert.Equal(m.Classifier.Scale, back.Classifier.Scale);
        Assert.Equal(m.Classifier.Weights, back.Classifier.Weights);
        Assert.Equal(m.Classifier.Intercept, back.Classifier.Intercept);
        var x = DivergenceExample.FromSchedule("c", "g", 3e8, 5e5, Enumerable.Repeat(0.006, 100).ToArray(), false);
        Assert.Equal(m.Predict(x), back.Predict(x));
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
    [InlineData("default", "\"both\"", "\"default\"")]
    [InlineData("threshold.A", "\"x\"", "threshold.A")]
    [InlineData("threshold.slope", "-1", "slope")]
    [InlineData("threshold.nRef", "1000", "nRef")]
    [InlineData("classifier.weights", "[1, 2]", "classifier.weights")]
    [InlineData("classifier.scale", "[1, 1, 1, 0, 1, 1]", "scale")]
    [InlineData("classifier.features", "[\"a\"]", "classifier.features")]
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
        doc.Remove("classifier");
        var e = Assert.Throws<FormatException>(() => DivergenceModelDocument.Parse(doc.ToJsonString()));
        Assert.Contains("\"classifier\"", e.Message, StringComparison.Ordinal);
    }
}
