using System.Text.Json.Nodes;
using HyperLaws.Cli.Commands.Diverge;
using HyperLaws.Cli.Commands.Optimum;
using HyperLaws.Cli.Output;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>
/// Tables and JSON of <c>hyperlaws validate --protocol 4</c> (<see cref="StepLawScoreboard"/>): the optimal LR and batch
/// per cell (<c>lrBatch</c>) and the held-out divergence predictor (<c>divergence</c>).
/// </summary>
internal sealed class StepLawRenderer : IResultRenderer<StepLawScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly StepLawRenderer Instance = new();

    /// <inheritdoc/>
    public JsonNode ToJson(StepLawScoreboard scoreboard)
    {
        var result = scoreboard.LrBatch;
        var lrBatch = OptimumRenderer.ToJson(result.Headline);
        lrBatch["source"] = result.Source;
        lrBatch["points"] = result.Points;
        lrBatch["inSample"] = new JsonObject
        {
            ["rule"] = OptimumRenderer.RuleJson(result.InSample.Rule),
            ["summaries"] = new JsonArray([.. result.InSample.Summaries.Select(s => (JsonNode)OptimumRenderer.SummaryJson(s))]),
        };
        lrBatch["variants"] = new JsonArray([.. result.Variants.Select(v => (JsonNode)new JsonObject
        {
            ["name"] = v.Name,
            ["rule"] = OptimumRenderer.RuleJson(v.Result.Rule),
            ["summaries"] = new JsonArray([.. v.Result.Summaries.Select(s => (JsonNode)OptimumRenderer.SummaryJson(s))]),
        })]);
        lrBatch["published"] = new JsonObject { ["stepLawMeanGapInSample"] = StepLawGridResult.PublishedStepLawMeanGap };
        return new JsonObject { ["protocol"] = 4, ["lrBatch"] = lrBatch, ["divergence"] = DivergeRenderer.ValidationJson(scoreboard.Divergence, scoreboard.Data) };
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, StepLawScoreboard scoreboard)
    {
        var result = scoreboard.LrBatch;
        OptimumRenderer.Print(io, result.Headline, $"Protocol 4 (LR/batch), Step Law grid: {result.Points} runs, {result.Headline.Cells.Count} cells");
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded).Title("Leave-one-cell-out mean / max gap per variant (first: headline, fixed a priori)").AddColumn("variant");
        foreach (var h in new[] { "fitted", "Step Law", "DeepSeek" }) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var v in result.Variants)
            table.AddRow([Markup.Escape(v.Name), .. v.Result.Summaries.Select(s => $"{Format.Percent(s.Mean)} / {Format.Percent(s.Max)}")]);
        var ins = result.InSample.Summaries[0];
        table.AddRow("in-sample (headline)", $"{Format.Percent(ins.Mean)} / {Format.Percent(ins.Max)}", "", "");
        console.Write(table);
        console.MarkupLine(Markup.Escape($"published: Step Law's rule, in-sample mean gap {Format.Percent(StepLawGridResult.PublishedStepLawMeanGap)} (Li et al. 2025)."));
        DivergeRenderer.PrintValidation(io, scoreboard.Divergence);
    }
}
