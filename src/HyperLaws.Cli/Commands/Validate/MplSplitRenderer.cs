using System.Text.Json.Nodes;
using HyperLaws.Cli.Commands.Compare;
using HyperLaws.Cli.Output;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 1</c> (<see cref="MplSplitScoreboard"/>).</summary>
internal sealed class MplSplitRenderer : IResultRenderer<MplSplitScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly MplSplitRenderer Instance = new();

    /// <inheritdoc/>
    public JsonNode ToJson(MplSplitScoreboard result) => new JsonObject
    {
        ["protocol"] = 1,
        ["results"] = new JsonArray([.. result.Sizes.Select(r => (JsonNode)new JsonObject
        {
            ["size"] = r.Size + "M",
            ["published"] = new JsonObject { ["law"] = "mpl", ["predE"] = r.Published.PredE, ["worstE"] = r.Published.WorstE, ["r2"] = r.Published.RSquared },
            ["laws"] = new JsonArray([.. r.Scores.Select(s => (JsonNode)CompareRenderer.ToJson(s.Law, s.Score, r.Test))]),
        })]),
    };

    /// <inheritdoc/>
    public void WriteTable(CliIo io, MplSplitScoreboard result)
    {
        foreach (var r in result.Sizes)
        {
            var p = r.Published;
            CompareRenderer.Print(io, [.. r.Scores.Select(s => (s.Law, s.Score))], $"Protocol 1, {r.Size}M: fit on {string.Join(", ", HyperLaws.Validation.MplSplit.Train)}; predict the other six");
            io.Table().MarkupLine(Markup.Escape($"published MPL ({r.Size}M): PredE {Format.Percent(p.PredE)}, WorstE {Format.Percent(p.WorstE, 2)}, R^2 {p.RSquared:F4}"));
        }
    }
}
