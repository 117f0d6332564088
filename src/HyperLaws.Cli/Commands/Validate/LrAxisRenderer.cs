using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 7|8</c> (<see cref="LrAxisScoreboard"/>): leave one LR out and cross-family on the 124M grid.</summary>
internal sealed class LrAxisRenderer : IResultRenderer<LrAxisScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly LrAxisRenderer Instance = new();

    /// <summary>A share as a percentage with three decimals; "-" when not finite.</summary>
    internal static string Pct(double x) => double.IsFinite(x) ? (100 * x).ToString("F3", CultureInfo.InvariantCulture) + "%" : "-";

    /// <inheritdoc/>
    public void WriteTable(CliIo io, LrAxisScoreboard scoreboard)
    {
        var result = scoreboard.Result;
        int protocol = result.Protocol;
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Protocol {result.Protocol}: {result.Description}"));
        foreach (var h in new[] { "law", "runs", "mean err", "max err", "worst run", protocol == 7 ? "optimum within x2" : "best cooldown hits", protocol == 7 ? "interior" : "regret (mean)", "mechanism", "fit s" }) table.AddColumn(h);
        foreach (var r in result.Laws)
        {
            string hits = protocol == 7 ? $"{r.Optima.Count(o => o.WithinOneStep)}/{r.Optima.Count}" : $"{r.BestCooldowns.Count(b => b.Hit)}/{r.BestCooldowns.Count}";
            string extra = protocol == 7 ? $"{r.Optima.Count(o => o.Interior)}/{r.Optima.Count}" : r.BestCooldowns.Count == 0 ? "-" : Pct(r.BestCooldowns.Average(b => b.Regret) / 3);
            table.AddRow(Markup.Escape(r.Law), r.FinalLoss.Runs.ToString(CultureInfo.InvariantCulture), Pct(r.FinalLoss.MeanRelErr), Pct(r.FinalLoss.MaxRelErr), Markup.Escape(r.FinalLoss.Worst),
                hits, extra, Markup.Escape(string.Join(" ", r.Folds.Select(f => f.Mechanism ?? "-").Distinct())), r.Folds.Sum(f => f.Seconds).ToString("F1", CultureInfo.InvariantCulture));
        }
        io.Table().Write(table);
        if (protocol == 7)
            foreach (var r in result.Laws)
            {
                var t = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"{r.Law}: optimum peak LR per (horizon, schedule), from the fold without the grid's best LR"));
                foreach (var h in new[] { "horizon", "schedule", "LRs", "grid best", "law optimum", "interior", "within x2" }) t.AddColumn(h);
                foreach (var o in r.Optima)
                    t.AddRow(o.Horizon.ToString(CultureInfo.InvariantCulture), Markup.Escape(o.Label), o.Lrs.ToString(CultureInfo.InvariantCulture),
                        o.GridBestLr.ToString("G3", CultureInfo.InvariantCulture), o.LawOptimum.ToString("G3", CultureInfo.InvariantCulture), o.Interior ? "yes" : "no", o.WithinOneStep ? "yes" : "no");
                io.Table().Write(t);
            }
        foreach (var e in result.Excluded) io.Out.WriteLine($"excluded: {e.Run.Name}: {e.Reason}");
    }

    /// <inheritdoc/>
    public JsonNode ToJson(LrAxisScoreboard scoreboard) => ToJson(scoreboard.Result);

    private static JsonObject ToJson(LrAxisResult result) => new()
    {
        ["protocol"] = result.Protocol,
        ["description"] = result.Description,
        ["laws"] = new JsonArray([.. result.Laws.Select(r => (JsonNode)new JsonObject
        {
            ["law"] = r.Law,
            ["runs"] = r.FinalLoss.Runs,
            ["meanRelErr"] = r.FinalLoss.MeanRelErr,
            ["maxRelErr"] = r.FinalLoss.MaxRelErr,
            ["worst"] = r.FinalLoss.Worst,
            ["optimumHitRate"] = double.IsFinite(r.OptimumHitRate) ? r.OptimumHitRate : null,
            ["optima"] = new JsonArray([.. r.Optima.Select(o => (JsonNode)new JsonObject
            {
                ["horizon"] = o.Horizon, ["schedule"] = o.Label, ["lrs"] = o.Lrs, ["gridBestLr"] = o.GridBestLr, ["lawOptimum"] = o.LawOptimum,
                ["interior"] = o.Interior, ["withinOneStep"] = o.WithinOneStep,
            })]),
            ["bestCooldowns"] = new JsonArray([.. r.BestCooldowns.Select(b => (JsonNode)new JsonObject
            {
                ["lr"] = b.Lr, ["horizon"] = b.Horizon, ["predicted"] = b.Predicted, ["actual"] = b.Actual, ["regret"] = b.Regret, ["hit"] = b.Hit,
            })]),
            ["folds"] = new JsonArray([.. r.Folds.Select(f => (JsonNode)new JsonObject
            {
                ["heldOut"] = f.HeldOut, ["curves"] = f.Curves, ["mechanism"] = f.Mechanism, ["offset"] = f.Offset, ["seconds"] = f.Seconds,
                ["scores"] = new JsonArray([.. f.Scores.Select(s => (JsonNode)new JsonObject { ["mechanism"] = s.Mechanism.Name, ["cvError"] = double.IsFinite(s.Error) ? s.Error : null })]),
            })]),
            ["predictions"] = new JsonArray([.. r.Predictions.Select(p => (JsonNode)new JsonObject
            {
                ["run"] = p.Run.Name, ["lr"] = p.Run.Lr, ["horizon"] = p.Run.Horizon, ["schedule"] = p.Run.Label, ["predicted"] = p.Predicted, ["actual"] = p.Actual,
            })]),
            ["seconds"] = r.Elapsed.TotalSeconds,
        })]),
        ["excluded"] = new JsonArray([.. result.Excluded.Select(e => (JsonNode)new JsonObject { ["run"] = e.Run.Name, ["reason"] = e.Reason })]),
    };
}
