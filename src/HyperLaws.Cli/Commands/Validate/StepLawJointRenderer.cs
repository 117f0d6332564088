using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 4 --laws joint</c> (<see cref="StepLawJointScoreboard"/>).</summary>
internal sealed class StepLawJointRenderer : IResultRenderer<StepLawJointScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly StepLawJointRenderer Instance = new();

    /// <inheritdoc/>
    public JsonNode ToJson(StepLawJointScoreboard scoreboard)
    {
        var result = scoreboard.Result;
        return new JsonObject
        {
            ["protocol"] = 4,
            ["law"] = "joint",
            ["lrSizeScale"] = scoreboard.LrSizeScale,
            ["lrDataScale"] = scoreboard.LrDataScale,
            ["lasting"] = scoreboard.Lasting,
            ["lagPriorNeedsCurves"] = scoreboard.LagPriorNeedsCurves,
            // --joint-batch-scale as given: "fit", "off" (held at 0), or the held b_eta as a number.
            ["lrBatchScale"] = scoreboard.LrBatchFit ? "fit" : scoreboard.LrBatchHeld == 0 ? "off" : (JsonNode)scoreboard.LrBatchHeld,
            ["runs"] = result.Runs,
            ["meanGap"] = result.MeanGap,
            ["maxGap"] = result.MaxGap,
            ["meanRelErr"] = result.MeanRelError,
            ["seconds"] = result.Seconds,
            ["cells"] = new JsonArray([.. result.Cells.Select(c => (JsonNode)new JsonObject
            {
                ["n"] = c.N, ["d"] = c.D, ["lawLr"] = c.LawLr, ["lawBatchTokens"] = c.LawBatchTokens, ["gap"] = c.Gap,
                ["gridBestLr"] = c.GridBestLr, ["gridBestBatchTokens"] = c.GridBestBatchTokens, ["meanRelErr"] = c.MeanRelError, ["gammaEta"] = c.LrSizeExponent, ["deltaEta"] = c.LrDataExponent, ["bEta"] = c.LrBatchExponent,
            })]),
        };
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, StepLawJointScoreboard scoreboard)
    {
        var result = scoreboard.Result;
        var t = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Protocol 4, joint law: optimum (LR, batch) read off the law fitted on the other 16 cells ({result.Runs} runs fitted{(scoreboard.LrSizeScale ? ", gamma_eta fitted" : "")}{(scoreboard.LrDataScale ? ", delta_eta fitted" : "")}{(scoreboard.Lasting ? ", lasting G fitted" : "")}{(scoreboard.LagPriorNeedsCurves ? ", lag prior only with curves (--joint-lag-prior-curves-only)" : "")})"));
        foreach (var h in new[] { "N", "D", "law LR", "law batch", "grid best LR", "grid best batch", "gap", "final-loss error" }) t.AddColumn(h);
        foreach (var c in result.Cells)
            t.AddRow(G(c.N), G(c.D), G(c.LawLr), G(c.LawBatchTokens), G(c.GridBestLr), G(c.GridBestBatchTokens), LrAxisRenderer.Pct(c.Gap), LrAxisRenderer.Pct(c.MeanRelError));
        t.AddRow("mean", "", "", "", "", "", LrAxisRenderer.Pct(result.MeanGap), LrAxisRenderer.Pct(result.MeanRelError));
        io.Table().Write(t);
    }

    private static string G(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
}
