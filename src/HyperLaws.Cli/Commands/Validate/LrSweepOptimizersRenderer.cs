using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 23</c> (<see cref="LrSweepOptimizersScoreboard"/>): protocol 20's per optimizer, then the rule's count.</summary>
internal sealed class LrSweepOptimizersRenderer : IResultRenderer<LrSweepOptimizersScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly LrSweepOptimizersRenderer Instance = new();

    /// <inheritdoc/>
    public JsonNode ToJson(LrSweepOptimizersScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        return new JsonObject
        {
            ["protocol"] = 23,
            ["law"] = "joint",
            ["seconds"] = r.Seconds,
            ["reference"] = LrSweepOptimizersResult.Reference,
            ["divergenceLabel"] = DivergenceLabelNames.Name(r.Label),
            ["counted"] = r.Counted.Count,
            ["ruleMetCount"] = r.RuleMetCount,
            ["optimizers"] = new JsonArray([.. r.Optimizers.Select(o => (JsonNode)LrSweepHoldOutRenderer.Body(o.Result, new JsonObject
            {
                ["optimizer"] = o.Optimizer, ["headlineCells"] = o.HeadlineCells.Count, ["ruleMet"] = o.RuleMet, ["noVerdict"] = o.NoVerdict,
            }))]),
        };
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, LrSweepOptimizersScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        foreach (var o in r.Optimizers) LrSweepHoldOutRenderer.WriteTables(io, o.Result, $"Protocol 23, {o.Optimizer}");

        var rule = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Protocol 23: protocol 20's rule per optimizer on its cells with at least {LrSweepOptimizerResult.HeadlineLrs} finite LRs ({LrSweepOptimizersResult.Reference}: protocol 20's, a reference, not counted)"));
        foreach (var h in new[] { "optimizer", "finite runs", "headline cells", "headline mean error", "baseline mean error", "best-held optima nearest", "rule" }) rule.AddColumn(h);
        foreach (var o in r.Optimizers)
        {
            var s = LrSweepHoldOutRenderer.Summary(o.Result, LrSweepOptimizerResult.HeadlineLrs);
            rule.AddRow(o.Optimizer, $"{o.Result.Runs}", $"{o.HeadlineCells.Count}", Pct(s["meanError"]), Pct(s["meanBaselineError"]), $"{s["bestHeldOptimaNearest"]} of {s["cells"]}",
                o.NoVerdict is { } why ? $"no verdict: {why}" : o.RuleMet switch { true => "met", false => "not met", null => "no headline cell" });
        }
        io.Table().Write(rule);
        io.Out.WriteLine($"Protocol 23: the rule met for {r.RuleMetCount} of {r.Counted.Count} optimizers with a headline cell (AdamW excluded; divergence label {DivergenceLabelNames.Name(r.Label)}).");
    }

    private static string Pct(JsonNode? v) => v is null ? "n/a" : LrAxisRenderer.Pct((double)v);
}
