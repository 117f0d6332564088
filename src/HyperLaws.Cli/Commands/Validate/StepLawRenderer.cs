using System.Text.Json.Nodes;
using HyperLaws.Cli.Commands.Diverge;
using HyperLaws.Cli.Commands.Optimum;
using HyperLaws.Cli.Output;
using HyperLaws.Optimum;
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
        lrBatch["pooledBowl"] = BowlJson(result.Bowl, result.TwoStageInSample, result.Transfer);
        lrBatch["pooledBowlOtherCurvature"] = BowlJson(result.BowlOtherCurvature, result.TwoStageInSample, result.TransferOtherCurvature);
        return new JsonObject { ["protocol"] = 4, ["lrBatch"] = lrBatch, ["divergence"] = DivergeRenderer.ValidationJson(scoreboard.Divergence, scoreboard.Data) };
    }

    private static JsonObject BowlJson(PooledBowlEvaluation evaluation, OptimumEvaluationResult twoStageInSample, PooledBowlTransferResult? transfer)
    {
        var bowl = evaluation.All;
        var node = new JsonObject
        {
            ["model"] = "ln L = l_cell + s(D) (alpha u^2 + beta u v + gamma v^2), s(D) = (D/1e10)^-kappa, u = ln lr - ln eta*(N, D), v = ln B - ln B*(N, D); window 2% of the cell's best",
            ["curvatureInTokens"] = evaluation.Result.Options.BowlCurvatureInTokens,
            ["rule"] = OptimumRenderer.RuleJson(bowl.Centre),
            ["curvature"] = new JsonObject { ["alpha"] = Json.Number(bowl.Alpha), ["beta"] = Json.Number(bowl.Beta), ["gamma"] = Json.Number(bowl.Gamma), ["kappa"] = Json.Number(bowl.CurvatureExponent) },
            ["foldKappa"] = new JsonArray([.. evaluation.Folds.Select(f => (JsonNode?)(f is null ? null : Json.Number(f.CurvatureExponent)))]),
            ["runs"] = bowl.Runs,
            ["failedFolds"] = evaluation.FailedFolds,
            ["leaveOneCellOut"] = new JsonArray([.. evaluation.Result.Summaries.Select(s => (JsonNode)OptimumRenderer.SummaryJson(s))]),
            ["twoStageInSample"] = new JsonArray([.. twoStageInSample.Summaries.Select(s => (JsonNode)OptimumRenderer.SummaryJson(s))]),
        };
        if (transfer is { } t)
        {
            node["transfer"] = new JsonObject
            {
                ["cases"] = t.Cases.Count,
                ["bowlHits"] = t.BowlHits,
                ["bowlCentreHits"] = t.BowlCentreHits,
                ["twoStageHits"] = t.TwoStageHits,
                ["stepLawHits"] = t.StepLawHits,
                ["perCase"] = new JsonArray([.. t.Cases.Select(c => (JsonNode)new JsonObject
                {
                    ["horizon"] = c.Horizon,
                    ["label"] = c.Label,
                    ["gridBestLr"] = Json.Number(c.GridBestLr),
                    ["bowlLr"] = Json.Number(c.BowlLr),
                    ["bowlCentreLr"] = Json.Number(c.BowlCentreLr),
                    ["twoStageLr"] = Json.Number(c.TwoStageLr),
                    ["stepLawLr"] = Json.Number(c.StepLawLr),
                    ["batchTokens"] = Json.Number(c.BatchTokens),
                    ["d"] = Json.Number(c.D),
                })]),
            };
        }
        return node;
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, StepLawScoreboard scoreboard)
    {
        var result = scoreboard.LrBatch;
        OptimumRenderer.Print(io, result.Headline, $"Protocol 4 (LR/batch), Step Law grid: {result.Points} runs, {result.Headline.Cells.Count} cells");
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded).Title("Leave-one-cell-out mean / max gap per variant (first: headline, the pooled bowl since its declared adoption)").AddColumn("variant");
        foreach (var h in new[] { "fitted", "Step Law", "DeepSeek" }) table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var v in result.Variants)
            table.AddRow([Markup.Escape(v.Name), .. v.Result.Summaries.Select(s => $"{Format.Percent(s.Mean)} / {Format.Percent(s.Max)}")]);
        var ins = result.InSample.Summaries[0];
        table.AddRow("in-sample (headline)", $"{Format.Percent(ins.Mean)} / {Format.Percent(ins.Max)}", "", "");
        var twoIns = result.TwoStageInSample.Summaries[0];
        table.AddRow("in-sample (quadratic, full)", $"{Format.Percent(twoIns.Mean)} / {Format.Percent(twoIns.Max)}", "", "");
        console.Write(table);
        console.MarkupLine(Markup.Escape($"published: Step Law's rule, in-sample mean gap {Format.Percent(StepLawGridResult.PublishedStepLawMeanGap)} (Li et al. 2025)."));
        foreach (var (evaluation, transfer) in new[] { (result.Bowl, result.Transfer), (result.BowlOtherCurvature, result.TransferOtherCurvature) })
        {
            var bowl = evaluation.All;
            string curvature = bowl.CurvatureExponent == 0 && !evaluation.Result.Options.BowlCurvatureInTokens ? "one curvature" : "curvature x " + OptimumRenderer.CurvatureScale(bowl.CurvatureExponent);
            console.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"pooled bowl ({curvature}) on all {bowl.Centre.Cells} cells ({bowl.Runs} runs in the 2% windows): eta* = {Format.G(bowl.Centre.LearningRatePrefactor)} N^{bowl.Centre.B:0.###} D^{bowl.Centre.C:0.###}, B* = {Format.G(bowl.Centre.BatchPrefactor)} N^{bowl.Centre.E:0.###} D^{bowl.Centre.F:0.###} tokens; q = {Format.G(bowl.Alpha)} u^2 {Format.Signed(bowl.Beta)} u v + {Format.G(bowl.Gamma)} v^2; folds without a minimum: {evaluation.FailedFolds}")));
            if (evaluation.Result.Options.BowlCurvatureInTokens)
                console.MarkupLine(Markup.Escape("  kappa per leave-one-cell-out fold: " + string.Join(", ", evaluation.Folds.Select(f => f is null ? "-" : FormattableString.Invariant($"{f.CurvatureExponent:0.###}")))));
            if (transfer is { } t)
                console.MarkupLine(Markup.Escape(FormattableString.Invariant(
                    $"  transfer to the 124M grid (protocol 10's {t.Cases.Count} optimum cases, within x2 of the grid's best LR): bowl at the grid's batch {t.BowlHits}/{t.Cases.Count}, bowl centre {t.BowlCentreHits}/{t.Cases.Count}, two-stage rule {t.TwoStageHits}/{t.Cases.Count}, Step Law {t.StepLawHits}/{t.Cases.Count}")));
        }
        DivergeRenderer.PrintValidation(io, scoreboard.Divergence);
    }
}
