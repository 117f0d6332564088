using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HyperLaws.Cli.Output;
using HyperLaws.Cli.Tests.Commands;

namespace HyperLaws.Cli.Tests.Documents;

using Xunit;

/// <summary>
/// plan.json's reader (<see cref="PlanDocument"/>, issue 13 item 2): a plan written by <c>hyperlaws plan</c> passes
/// and says what the plan said; the fields docs/SCHEMAS.md lists are exactly those the reader requires; and each
/// mutation of a valid plan (another version, a missing field, a wrong type, a value out of range, a non-finite
/// number) is refused with one line naming the field.
/// </summary>
[Collection(PlanRuns.Collection)]
public sealed partial class PlanDocumentTests(PlanRuns runs)
{
    private string Written => File.ReadAllText(Path.Combine(runs.OutDir, "plan.json"));

    [Fact]
    public void A_plan_written_by_plan_is_read_back()
    {
        Assert.Equal(0, runs.Result.ExitCode);
        var written = JsonNode.Parse(Written)!.AsObject();
        var plan = PlanDocument.Parse(Written);
        Assert.Equal(PlanDocument.Version, (int)written["version"]!);
        Assert.Equal((double)written["request"]!["parameters"]!, plan.Parameters);
        Assert.Equal((double)written["request"]!["tokens"]!, plan.Tokens);
        Assert.Equal((string)written["law"]!, plan.Law);
        Assert.Equal((string)written["best"]!["schedule"]!, plan.Best);
        Assert.Equal(written["runnerUps"]!.AsArray().Count, plan.RunnerUps);
        Assert.Equal((double)written["hyperparameters"]!["steps"]!, plan.Steps);
    }

    [Fact]
    public void The_documented_fields_are_the_fields_the_reader_requires()
    {
        string doc = File.ReadAllText(SchemasDoc());
        int start = doc.IndexOf("## plan.json", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/SCHEMAS.md has no plan.json section");
        int end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = doc[start..(end < 0 ? doc.Length : end)];
        Assert.Contains($"version {PlanDocument.Version}", section, StringComparison.Ordinal);
        var documented = new List<string>();
        foreach (Match row in TableRow().Matches(section))
            foreach (Match name in FieldName().Matches(row.Groups[1].Value))
                documented.Add(name.Groups[1].Value);
        Assert.Equal(PlanDocument.Fields.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        // And the writer writes exactly those fields.
        Assert.Equal(PlanDocument.Fields.Order(StringComparer.Ordinal), JsonNode.Parse(Written)!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string, string> Mutations() => new()
    {
        { "version", "3", "version" },
        { "version", "\"2\"", "version" },
        { "version", "1.5", "version" },
        { "format", "\"hyperlaws-law\"", "format" },
        { "request", "[]", "request" },
        { "request.parameters", "-1", "request.parameters" },
        { "request.tokens", "0", "request.tokens" },
        { "request.tokens", "1e300", "request.tokens" },
        { "request.sequenceLength", "2048.5", "request.sequenceLength" },
        { "hyperparameters.steps", "\"many\"", "hyperparameters.steps" },
        { "hyperparameters.momentum", "1.5", "hyperparameters.momentum" },
        { "best", "null", "best" },
        { "best.schedule", "\"cosine(peak=-1,steps=10)\"", "best.schedule" },
        { "best.steps", "7", "best.steps" },
        { "best.peak", "0", "best.peak" },
        { "best.predictedLoss", "-2", "best.predictedLoss" },
        { "best.predictedLoss", "\"NaN\"", "best.predictedLoss" },
        { "best.diverges", "\"no\"", "best.diverges" },
        { "best.divergenceProbability", "2", "best.divergenceProbability" },
        { "best.interval", "{\"lower\": 3, \"upper\": 2}", "best.interval" },
        { "runnerUps", "{}", "runnerUps" },
        { "runs", "[1]", "runs[0]" },
        { "warnings", "[\"text\"]", "warnings[0]" },
        { "law", "7", "law" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void A_mutated_plan_is_refused_naming_the_field(string path, string value, string named)
    {
        var root = JsonNode.Parse(Written)!.AsObject();
        string[] parts = path.Split('.');
        var parent = parts[..^1].Aggregate(root, (o, p) => o[p]!.AsObject());
        parent[parts[^1]] = JsonNode.Parse(value);
        var e = Assert.Throws<FormatException>(() => PlanDocument.Parse(root.ToJsonString()));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("format")]
    [InlineData("best")]
    [InlineData("runs")]
    [InlineData("decisions")]
    public void A_plan_without_a_field_is_refused_naming_it(string field)
    {
        var root = JsonNode.Parse(Written)!.AsObject();
        root.Remove(field);
        var e = Assert.Throws<FormatException>(() => PlanDocument.Parse(root.ToJsonString()));
        Assert.Contains($"'{field}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_written_before_lossTrusted_reads_as_trusted_and_still_needs_positive_losses()
    {
        var root = JsonNode.Parse(Written)!.AsObject();
        root.Remove("lossTrusted");
        Assert.Equal(PlanDocument.Parse(JsonNode.Parse(Written)!.ToJsonString()), PlanDocument.Parse(root.ToJsonString()));
        root["best"]!["predictedLoss"] = -1.0;
        var e = Assert.Throws<FormatException>(() => PlanDocument.Parse(root.ToJsonString()));
        Assert.Contains("best.predictedLoss", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"format\": \"hyperlaws-plan\", \"version\": 2,")]
    [InlineData("nan")]
    public void Text_that_is_no_plan_is_refused(string text) =>
        Assert.StartsWith("plan.json:", Assert.Throws<FormatException>(() => PlanDocument.Parse(text)).Message, StringComparison.Ordinal);

    /// <summary>docs/SCHEMAS.md of the repository the tests were built from: the first folder above the test binaries that holds it.</summary>
    private static string SchemasDoc()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "docs", "SCHEMAS.md");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("docs/SCHEMAS.md not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\| (`[^|]*) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"`([A-Za-z]+)(?:\[\])?`")]
    private static partial Regex FieldName();
}
