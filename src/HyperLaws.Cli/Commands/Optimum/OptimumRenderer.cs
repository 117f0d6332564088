using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Optimum;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Optimum;

/// <summary>An optimum evaluation as a console table or one JSON object (also used by validate's protocol 4).</summary>
internal static class OptimumRenderer
{
    public static void Write(CliIo io, OptimumSettings settings, OptimumResult result)
    {
        if (settings.Json)
        {
            var node = ToJson(result.Evaluation);
            node["sweeps"] = Json.Strings(settings.Sweeps);
            node["points"] = result.Table.Points.Count;
            ResultOutput.WriteJson(io, node);
            return;
        }
        Print(io, result.Evaluation, $"Optimal (LR, batch) per (N, D) cell: {result.Table.Points.Count} runs, {result.Table.Cells.Count} cells");
    }

    /// <summary>Writes the rule fitted on all cells to RULE.json (--save-rule).</summary>
    public static void WriteRule(string rulePath, OptimumSettings settings, OptimumResult result)
    {
        var table = result.Table;
        Files.WriteAtomic(rulePath, OptimumRuleFile.ToJson(result.Evaluation.Rule, new OptimumRuleFile.FittedRange(table.Cells.Min(c => c.N), table.Cells.Max(c => c.N), table.Cells.Min(c => c.D), table.Cells.Max(c => c.D)), settings.Sweeps.Select(Path.GetFullPath)));
    }

    private static string Name(OptimumEstimator e) => e switch { OptimumEstimator.Quadratic => "quadratic", OptimumEstimator.PooledBowl => "pooled-bowl", _ => "best-run" };

    private static string Name(RuleForm f) => f == RuleForm.Full ? "full" : "steplaw";

    /// <summary>The bowl's curvature scale s(D) = (D/1e10)^-kappa as printed, the exponent's sign folded in ((D/1e10)^-0.166, (D/1e10)^0.1).</summary>
    public static string CurvatureScale(double kappa) =>
        FormattableString.Invariant($"(D/{PooledBowl.CurvatureReferenceTokens:0e0})^{0.0 - kappa:0.###}");

    public static JsonObject RuleJson(FittedOptimumRule rule) => new()
    {
        ["form"] = Name(rule.Form),
        ["formula"] = rule.Form == RuleForm.Full ? "ln eta* = a + b ln N + c ln D; ln B*_tokens = d + e ln N + f ln D" : "ln eta* = a + b ln N + c ln D; ln B*_tokens = d + f ln D",
        ["learningRate"] = new JsonObject { ["prefactor"] = Json.Number(rule.LearningRatePrefactor), ["exponentN"] = Json.Number(rule.B), ["exponentD"] = Json.Number(rule.C) },
        ["batchTokens"] = new JsonObject { ["prefactor"] = Json.Number(rule.BatchPrefactor), ["exponentN"] = Json.Number(rule.E), ["exponentD"] = Json.Number(rule.F) },
        ["cells"] = rule.Cells,
    };

    private static JsonObject GapJson(NearestRunGap g) => new()
    {
        ["learningRate"] = Json.Number(g.LearningRate),
        ["batchTokens"] = Json.Number(g.BatchTokens),
        ["nearest"] = new JsonObject
        {
            ["name"] = g.Run.Name,
            ["learningRate"] = g.Run.LearningRate,
            ["batchSequences"] = g.Run.BatchSizeSequences,
            ["batchTokens"] = g.Run.BatchTokens,
            ["distance"] = Json.Number(g.Distance),
            ["loss"] = g.Loss,
        },
        ["gap"] = Json.Number(g.Gap),
    };

    private static string Key(string rule) => rule switch { "Step Law" => "stepLaw", "DeepSeek" => "deepSeek", _ => rule };

    public static JsonObject SummaryJson(GapSummary s) => new()
    {
        ["rule"] = s.Rule,
        ["meanGap"] = Json.Number(s.Mean),
        ["maxGap"] = Json.Number(s.Max),
        ["cells"] = s.Cells,
        ["bestRunHits"] = s.BestRunHits,
    };

    /// <summary>The evaluation as JSON: <c>cells[]</c>, <c>meanGap</c> (our rule's mean gap, a fraction) and the references' summaries.</summary>
    public static JsonObject ToJson(OptimumEvaluationResult result)
    {
        var ours = result.Summaries[0];
        return new JsonObject
        {
            ["loss"] = SweepLosses.Name(result.Options.Loss),
            ["estimator"] = Name(result.Options.Estimator),
            ["window"] = result.Options.Estimator != OptimumEstimator.BestRun ? result.Options.Window : null,
            ["bowlCurvature"] = result.Options.Estimator == OptimumEstimator.PooledBowl ? (result.Options.BowlCurvatureInTokens ? "tokens" : "one") : null,
            ["bowlCurvatureExponent"] = result.Options.BowlCurvatureInTokens && result.BowlCurvatureExponent is { } kappa ? Json.Number(kappa) : null,
            ["leaveOneOut"] = result.LeaveOneOut,
            ["distance"] = "Euclidean in (ln lr, ln batch); ties to the smaller lr, then the smaller batch",
            ["deepSeekCompute"] = "C = 6 N D",
            ["rule"] = RuleJson(result.Rule),
            ["meanGap"] = Json.Number(ours.Mean),
            ["maxGap"] = Json.Number(ours.Max),
            ["summaries"] = new JsonArray([.. result.Summaries.Select(s => (JsonNode)SummaryJson(s))]),
            ["cells"] = new JsonArray([.. result.Cells.Select(c =>
            {
                var node = new JsonObject
                {
                    ["n"] = c.Cell.N,
                    ["configuration"] = c.Cell.Configuration,
                    ["d"] = c.Cell.D,
                    ["runs"] = c.Cell.Points.Count,
                    ["optimum"] = new JsonObject
                    {
                        ["learningRate"] = Json.Number(c.Optimum.LearningRate),
                        ["batchTokens"] = Json.Number(c.Optimum.BatchTokens),
                        ["method"] = c.Optimum.Method,
                        ["runsUsed"] = c.Optimum.PointsUsed,
                    },
                    ["best"] = new JsonObject
                    {
                        ["name"] = c.Optimum.Best.Name,
                        ["learningRate"] = c.Optimum.Best.LearningRate,
                        ["batchSequences"] = c.Optimum.Best.BatchSizeSequences,
                        ["batchTokens"] = c.Optimum.Best.BatchTokens,
                        ["loss"] = c.Optimum.BestLoss,
                    },
                    ["fitted"] = GapJson(c.Fitted),
                    ["gap"] = Json.Number(c.Fitted.Gap),
                };
                foreach (var (rule, gap) in c.References) node[Key(rule)] = GapJson(gap);
                return (JsonNode)node;
            })]),
        };
    }

    /// <summary>Three significant digits in short scientific notation (2.68e8).</summary>
    private static string Short(double v) => v.ToString("0.##e0", CultureInfo.InvariantCulture);

    /// <summary>", curvature x (D/1e10)^-kappa" with the bowl's curvature in tokens (kappa fitted on all cells); empty otherwise.</summary>
    private static string Curvature(OptimumEvaluationResult result) =>
        result.Options.BowlCurvatureInTokens && result.BowlCurvatureExponent is { } kappa ? ", curvature x " + CurvatureScale(kappa) : "";

    public static void Print(CliIo io, OptimumEvaluationResult result, string title)
    {
        var console = io.Table();
        string mode = result.LeaveOneOut ? "leave-one-cell-out" : "in-sample";
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{title}; {SweepLosses.Name(result.Options.Loss)}; estimator {Name(result.Options.Estimator)}{Curvature(result)}; rule {Name(result.Form)}, {mode}"));
        foreach (var h in new[] { "N", "D", "opt LR", "opt batch", "est.", "pred LR", "pred batch", "gap", "Step Law", "DeepSeek" })
            table.AddColumn(new TableColumn(h).RightAligned());
        foreach (var c in result.Cells)
            table.AddRow(Short(c.Cell.N), Short(c.Cell.D), Format.G(c.Optimum.LearningRate, 3), Short(c.Optimum.BatchTokens),
                c.Optimum.Method == "quadratic" ? "quad" : "best", Format.G(c.Fitted.LearningRate, 3), Short(c.Fitted.BatchTokens),
                Format.Percent(c.Fitted.Gap), Format.Percent(c.References[0].Gap.Gap), Format.Percent(c.References[1].Gap.Gap));
        console.Write(table);
        foreach (var c in result.Cells.Where(c => c.Optimum.Method is not ("quadratic" or "best run")))
            console.MarkupLine(Markup.Escape($"N={Short(c.Cell.N)}, D={Short(c.Cell.D)}: {c.Optimum.Method}"));
        console.MarkupLine("batch sizes in tokens; gaps: the fitted rule, Step Law's and DeepSeek's.");
        foreach (var s in result.Summaries)
            console.MarkupLine(Markup.Escape($"{s.Rule}: mean gap {Format.Percent(s.Mean)}, max {Format.Percent(s.Max)}, nearest run is the cell's best in {s.BestRunHits}/{s.Cells} cells"));
        var rule = result.Rule;
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"fitted on all {rule.Cells} cells: eta* = {Format.G(rule.LearningRatePrefactor)} N^{rule.B:0.###} D^{rule.C:0.###}; B*_tokens = {Format.G(rule.BatchPrefactor)} N^{rule.E:0.###} D^{rule.F:0.###}")));
        console.MarkupLine(Markup.Escape("gap = loss of the grid run nearest the prediction in (ln lr, ln batch) / the cell's best loss - 1. Step Law: eta* = 1.79 N^-0.713 D^0.307, B* = 0.58 D^0.571 (its authors fitted it on this grid: in-sample, 0.096% mean reported); DeepSeek: eta* = 0.3118 C^-0.125, B* = 0.292 C^0.3271 with C = 6 N D."));
    }
}
