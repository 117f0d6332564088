using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 10</c> (<see cref="LrTransferScoreboard"/>): the LR-axis prior fitted on Step Law, transferred to the 124M grid.</summary>
internal sealed class LrTransferRenderer : IResultRenderer<LrTransferScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly LrTransferRenderer Instance = new();

    /// <inheritdoc/>
    public JsonNode ToJson(LrTransferScoreboard scoreboard)
    {
        var result = scoreboard.Result;
        var p = scoreboard.Prior.Prior;
        return new JsonObject
        {
            ["protocol"] = 10,
            ["prior"] = new JsonObject { ["ratio"] = p.Ratio, ["curvature"] = p.Curvature, ["curvatureExponent"] = p.CurvatureExponent, ["curvatureTokens"] = p.CurvatureTokens, ["cells"] = p.Cells },
            ["meanError"] = Json.Number(result.MeanError), ["maxError"] = Json.Number(result.MaxError), ["predictions"] = result.Predictions.Count,
            ["optimaWithinTwo"] = result.Optima.Count(o => o.WithinTwo), ["priorAloneWithinTwo"] = result.Optima.Count(o => o.ReferenceWithinTwo), ["optima"] = result.Optima.Count,
            ["byBaseLr"] = new JsonArray([.. result.Optima.Select(o => o.BaseLr).Distinct().Select(b => (JsonNode)new JsonObject
            {
                ["baseLr"] = b,
                ["meanError"] = Json.Number(result.Predictions.Where(x => x.BaseLr == b).Select(x => x.RelativeError).DefaultIfEmpty(double.NaN).Average()),
                ["withinTwo"] = result.Optima.Count(o => o.BaseLr == b && o.WithinTwo), ["optima"] = result.Optima.Count(o => o.BaseLr == b),
            })]),
            ["detail"] = new JsonArray([.. result.Optima.Select(o => (JsonNode)new JsonObject
            {
                ["baseLr"] = o.BaseLr, ["horizon"] = o.Horizon, ["schedule"] = o.Label, ["gridBest"] = o.GridBestLr, ["law"] = o.LawLr, ["interior"] = o.Interior, ["prior"] = o.ReferenceLr,
            })]),
            ["seconds"] = Math.Round(result.Seconds, 1),
        };
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, LrTransferScoreboard scoreboard)
    {
        var result = scoreboard.Result;
        var p = scoreboard.Prior.Prior;
        io.Out.WriteLine($"prior (Step Law, {p.Cells} cells): x* = {G(p.Ratio)} eta_ref, curvature {G(p.Curvature)}{(p.CurvatureExponent == 0 ? "" : $" (D/{G(p.CurvatureTokens)})^-{G(p.CurvatureExponent)}")}");
        var table = new Table().Border(TableBorder.Rounded).Title("Protocol 10: the joint law on the runs of one base LR, its LR axis from the Step Law prior").AddColumn("base LR")
            .AddColumn("runs predicted").AddColumn("mean err").AddColumn("max err").AddColumn("optimum within x2").AddColumn("prior alone within x2");
        foreach (var b in result.Optima.Select(o => o.BaseLr).Distinct())
        {
            var pr = result.Predictions.Where(x => x.BaseLr == b).ToList();
            var op = result.Optima.Where(o => o.BaseLr == b).ToList();
            table.AddRow(G(b), pr.Count.ToString(CultureInfo.InvariantCulture), Format.Percent(pr.Average(x => x.RelativeError)), Format.Percent(pr.Max(x => x.RelativeError)),
                $"{op.Count(o => o.WithinTwo)}/{op.Count}", $"{op.Count(o => o.ReferenceWithinTwo)}/{op.Count}");
        }
        table.AddRow("all", result.Predictions.Count.ToString(CultureInfo.InvariantCulture), Format.Percent(result.MeanError), Format.Percent(result.MaxError),
            $"{result.Optima.Count(o => o.WithinTwo)}/{result.Optima.Count}", $"{result.Optima.Count(o => o.ReferenceWithinTwo)}/{result.Optima.Count}");
        io.Table().Write(table);
        var t = new Table().Border(TableBorder.Rounded).Title("optimum per (base LR, horizon, schedule)");
        foreach (var h in new[] { "base LR", "horizon", "schedule", "grid best", "law", "interior", "prior alone" }) t.AddColumn(h);
        foreach (var o in result.Optima)
            t.AddRow(G(o.BaseLr), o.Horizon.ToString(CultureInfo.InvariantCulture), Markup.Escape(o.Label), G(o.GridBestLr), G(o.LawLr), o.Interior ? "yes" : "no", G(o.ReferenceLr));
        io.Table().Write(t);
    }

    private static string G(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
}
