using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Laws.Joint;
using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.LrPrior;

/// <summary>Fits the LR-axis prior: settings -> <see cref="LrTransfer.FitPrior"/> -> the prior and its document; no console I/O.</summary>
internal static class LrPriorHandler
{
    public static LrPriorResult Run(LrPriorSettings settings)
    {
        var fit = UserInputException.Guard(() => LrTransfer.FitPrior(settings.DataRoot, settings.CurvatureInTokens));
        return new LrPriorResult(fit, LrAxisPriorDocument.ToJson(fit.Prior, FitProvenance(fit, settings.DataRoot, settings.CurvatureInTokens)));
    }

    /// <summary>Sources, the command that regenerates the file, the date and the per-cell fits (fitted numbers only).</summary>
    private static JsonObject FitProvenance(LrAxisPriorFit fit, string root, bool curvatureInTokens) => new()
    {
        ["sources"] = Json.Strings([StepLawGrid.TablePath(root)]),
        ["data"] = "Step Law sweep (Li et al. 2025, arXiv 2503.04715, github.com/step-law/steplaw): dense LLM runs, AdamW, 2,000-step warmup then cosine to the run's mlr; each cell read at the batch of its best run. The table carries no licence and is not copied here: only fitted numbers are.",
        ["command"] = "hyperlaws lr-prior --data ../shared/data --out data/priors/lr-axis-steplaw.json" + (curvatureInTokens ? " --curvature-in-tokens" : ""),
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["method"] = "per (N, D) cell, at the batch of its best run: ln L = a + b ln eta + c (ln eta)^2 fitted on the runs within 5% of that batch's best loss (four or more runs, three or more LRs, c > 0); ratio = median over cells of eta*/eta_ref(N, D), " + (curvatureInTokens ? "k(D) = curvature (D / curvatureTokens)^-curvatureExponent with c = k by Theil-Sen (curvatureExponent = minus the median over pairs of cells of different D of the slope of ln c against ln D; ln curvature = the median of ln c + curvatureExponent ln(D / curvatureTokens), curvatureTokens = 1e10); spreads half the interquartile range of ln x* and of ln c - ln k(D);" : "curvature = median of c (curvatureExponent 0: one k for every D); spreads half the interquartile range of the logs;") + " ratioLow/High the medians over cells of the lowest and highest LR / eta_ref",
        ["cellFits"] = new JsonArray([.. fit.CellFits.Select(c => (JsonNode)new JsonObject
        {
            ["N"] = c.N, ["D"] = c.D, ["batchTokens"] = c.BatchTokens, ["optimalLr"] = c.OptimalLr, ["ratio"] = c.Ratio, ["curvature"] = c.Curvature, ["points"] = c.Points,
        })]),
    };
}
