using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Runs;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 3</c> (<see cref="ScheduleGridScoreboard"/>: the 124M schedule grid, <see cref="ScheduleGrid"/>).</summary>
internal sealed class ScheduleGridRenderer : IResultRenderer<ScheduleGridScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly ScheduleGridRenderer Instance = new();

    /// <inheritdoc/>
    public JsonNode ToJson(ScheduleGridScoreboard scoreboard) => ToJson(scoreboard.AllFractions, scoreboard.Results);

    /// <inheritdoc/>
    public void WriteTable(CliIo io, ScheduleGridScoreboard scoreboard)
    {
        foreach (var r in scoreboard.Results) PrintResult(io, r, compact: scoreboard.AllFractions);
        if (scoreboard.AllFractions) PrintAverage(io, scoreboard.Results);
    }

    private static JsonObject ToJson(bool all, IReadOnlyList<GridResult> results)
    {
        var first = results[0];
        var o = new JsonObject
        {
            ["protocol"] = 3,
            ["trainFraction"] = all ? "all" : JsonValue.Create(first.Options.TrainFraction),
            ["fitOn"] = first.Options.FitOn == LossSplit.Train ? "train" : "val",
            ["fit"] = first.Options.Pooled ? "pooled" : "per-lr",
            ["target"] = "history.final-val: loss on the full validation set after the last step",
            ["published"] = new JsonObject
            {
                ["source"] = "Opt-Laws (Xie et al., arXiv 2409.04777), on its own held-out configurations",
                ["top2"] = ScheduleGrid.PublishedTop2,
            },
            ["excluded"] = new JsonArray([.. first.Excluded.Select(e => (JsonNode)new JsonObject
            {
                ["name"] = e.Run.Name,
                ["lr"] = e.Run.Lr,
                ["horizon"] = e.Run.Horizon,
                ["schedule"] = e.Run.Label,
                ["finalLoss"] = Json.Number(e.Run.FinalLoss),
                ["divergedAt"] = e.Run.DivergedAt,
                ["reason"] = e.Reason,
            })]),
        };
        if (!all)
        {
            o["train"] = Json.Strings(first.Train.Select(r => r.Name));
            o["heldOut"] = first.HeldOut.Count;
            o["laws"] = new JsonArray([.. first.Laws.Select(l => (JsonNode)LawJson(l))]);
            return o;
        }
        o["fractions"] = new JsonArray([.. results.Select(r => (JsonNode)JsonValue.Create(r.Options.TrainFraction))]);
        o["laws"] = new JsonArray([.. first.Laws.Select(l => (JsonNode)AverageJson(GridAverage.Of(l.Law, results), results))]);
        o["byFraction"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
        {
            ["trainFraction"] = r.Options.TrainFraction,
            ["train"] = Json.Strings(r.Train.Select(x => x.Name)),
            ["heldOut"] = r.HeldOut.Count,
            ["laws"] = new JsonArray([.. r.Laws.Select(l => (JsonNode)LawJson(l))]),
        })]);
        return o;
    }

    private static JsonObject Hits(HitRates h) => new()
    {
        ["top1"] = Json.Number(h.Top1),
        ["top2"] = Json.Number(h.Top2),
        ["groups"] = h.Groups,
        ["skipped"] = h.Skipped,
    };

    private static JsonObject LawJson(LawGridResult l) => new()
    {
        ["name"] = l.Law,
        ["seconds"] = Math.Round(l.Elapsed.TotalSeconds, 2),
        ["finalLoss"] = new JsonObject
        {
            ["runs"] = l.FinalLoss.Runs,
            ["meanRelErr"] = Json.Number(l.FinalLoss.MeanRelErr),
            ["maxRelErr"] = Json.Number(l.FinalLoss.MaxRelErr),
            ["mae"] = Json.Number(l.FinalLoss.Mae),
            ["worst"] = l.FinalLoss.Worst,
            ["nonFinite"] = l.FinalLoss.NonFinite,
        },
        ["top1"] = Json.Number(l.ByGroup.Top1),
        ["top2"] = Json.Number(l.ByGroup.Top2),
        ["groups"] = l.ByGroup.Groups,
        ["skippedGroups"] = l.ByGroup.Skipped,
        ["atBestLr"] = Hits(l.AtBestLr),
        ["acrossLrs"] = Hits(l.AcrossLrs),
        ["bestCooldown"] = new JsonArray([.. l.BestCooldown.Select(b => (JsonNode)new JsonObject
        {
            ["lr"] = b.Lr,
            ["horizon"] = b.Horizon,
            ["predicted"] = b.Predicted,
            ["actual"] = b.Actual,
            ["regret"] = b.Regret,
            ["candidates"] = b.Candidates,
        })]),
        ["rankingGroups"] = new JsonArray([.. l.Groups.Select(g => (JsonNode)new JsonObject
        {
            ["key"] = g.Key,
            ["candidates"] = g.Candidates.Count,
            ["actualBest"] = g.ActualBest.Name,
            ["predictedBest"] = g.PredictedBest.Name,
            ["rankOfBest"] = g.PredictedRankOfBest,
        })]),
        ["fits"] = new JsonArray([.. l.Fits.Select(f => (JsonNode)new JsonObject
        {
            ["lr"] = f.Lr,
            ["curves"] = f.Curves,
            ["points"] = f.Points,
            ["parameters"] = new JsonObject(f.Fit.Law.ParameterNames.Select((n, i) => KeyValuePair.Create(n, Json.Number(f.Fit.Parameters[i])))),
            ["objective"] = Json.Number(f.Fit.Objective),
            ["converged"] = f.Fit.Converged,
            ["stopReason"] = f.Fit.StopReason,
        })]),
        ["offsets"] = new JsonArray([.. l.Offsets.OrderBy(kv => kv.Key).Select(kv => (JsonNode)new JsonObject { ["lr"] = kv.Key, ["offset"] = Json.Number(kv.Value) })]),
        ["predictions"] = new JsonArray([.. l.Predictions.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p.Run.Name,
            ["lr"] = p.Run.Lr,
            ["horizon"] = p.Run.Horizon,
            ["schedule"] = p.Run.Label,
            ["training"] = p.Training,
            ["actual"] = p.Actual,
            ["predicted"] = Json.Number(p.Predicted),
            ["lawValue"] = Json.Number(p.LawValue),
            ["relErr"] = Json.Number(p.RelativeError),
        })]),
    };

    private static JsonObject AverageJson(GridAverage a, IReadOnlyList<GridResult> results) => new()
    {
        ["name"] = a.Law,
        ["seconds"] = Math.Round(results.Sum(r => r.Laws.Single(l => l.Law == a.Law).Elapsed.TotalSeconds), 2),
        ["finalLoss"] = new JsonObject
        {
            ["meanRelErr"] = Json.Number(a.MeanRelErr),
            ["maxRelErr"] = Json.Number(a.MaxRelErr),
            ["mae"] = Json.Number(a.Mae),
        },
        ["top1"] = Json.Number(a.Top1),
        ["top2"] = Json.Number(a.Top2),
        ["groups"] = results.Sum(r => r.Laws.Single(l => l.Law == a.Law).ByGroup.Groups),
        ["atBestLr"] = new JsonObject { ["top1"] = Json.Number(a.AtBestLrTop1), ["top2"] = Json.Number(a.AtBestLrTop2) },
        ["acrossLrs"] = new JsonObject { ["top1"] = Json.Number(a.AcrossLrsTop1), ["top2"] = Json.Number(a.AcrossLrsTop2) },
        ["bestCooldown"] = new JsonObject { ["hitRate"] = Json.Number(a.BestCooldownHits), ["meanRegret"] = Json.Number(a.BestCooldownRegret) },
    };

    private static void PrintResult(CliIo io, GridResult r, bool compact)
    {
        var console = io.Table();
        var o = r.Options;
        string title = FormattableString.Invariant($"Protocol 3, 124M grid: train on constant + linear cooldown {Num(o.TrainFraction)} ({r.Train.Count} runs, {(o.FitOn == LossSplit.Train ? "train" : "val")} curve, {(o.Pooled ? "one law for all LRs" : "a law per LR")}); {r.HeldOut.Count} held out");
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title)).AddColumn("law");
        foreach (var c in new[] { "mean err", "max err", "MAE", "groups", "Top-1", "Top-2", "best LR", "all LRs", "best f", "regret", "time" })
            table.AddColumn(new TableColumn(c).RightAligned());
        foreach (var l in r.Laws)
        {
            var e = l.FinalLoss;
            table.AddRow(l.Law + (e.NonFinite > 0 ? $" ({e.NonFinite} NaN)" : ""),
                Format.Percent(e.MeanRelErr, 2), Format.Percent(e.MaxRelErr, 2), Format.G(e.Mae, 3), l.ByGroup.Groups.ToString(CultureInfo.InvariantCulture),
                Ratio(l.ByGroup.Top1Hits, l.ByGroup.Groups), Ratio(l.ByGroup.Top2Hits, l.ByGroup.Groups),
                $"{l.AtBestLr.Top1Hits}/{l.AtBestLr.Top2Hits} of {l.AtBestLr.Groups}", $"{l.AcrossLrs.Top1Hits}/{l.AcrossLrs.Top2Hits} of {l.AcrossLrs.Groups}",
                $"{l.BestCooldown.Count(b => b.Hit)}/{l.BestCooldown.Count}", Format.G(l.BestCooldown.Count == 0 ? double.NaN : l.BestCooldown.Average(b => b.Regret), 2),
                FormattableString.Invariant($"{l.Elapsed.TotalSeconds:F1} s"));
        }
        console.Write(table);
        console.MarkupLine(Markup.Escape(string.Join(Environment.NewLine,
            "Target: the final validation loss (history.final-val) of each held-out run; errors relative, MAE in nats.",
            "Top-k: hits over (horizon, LR) groups of held-out runs; best LR: the group of each horizon's best LR (top-1/top-2 hits);",
            "all LRs: one group per horizon over every LR; best f: best linear cooldown fraction per (LR, horizon) right, and the",
            FormattableString.Invariant($"mean loss regret of the pick. Published: Opt-Laws Top-2 {100 * ScheduleGrid.PublishedTop2:F0}% (on its own grid, not this one)."))));
        if (compact) return;

        var cool = new Table().Border(TableBorder.Rounded).Title("Best linear cooldown fraction per (LR, horizon)")
            .AddColumn(new TableColumn("lr").RightAligned()).AddColumn(new TableColumn("steps").RightAligned()).AddColumn(new TableColumn("actual").RightAligned());
        foreach (var l in r.Laws) cool.AddColumn(new TableColumn(l.Law).RightAligned());
        var cells = r.Laws.Count == 0 ? [] : r.Laws[0].BestCooldown;
        foreach (var b in cells)
            cool.AddRow([Format.G(b.Lr), b.Horizon.ToString(CultureInfo.InvariantCulture), Num(b.Actual),
                .. r.Laws.Select(l => l.BestCooldown.First(x => x.Lr == b.Lr && x.Horizon == b.Horizon) is var x && x.Hit ? Num(x.Predicted) : $"{Num(x.Predicted)} (+{Format.G(x.Regret, 2)})")]);
        console.Write(cool);
        foreach (var e in r.Excluded)
            console.MarkupLine(Markup.Escape(FormattableString.Invariant($"excluded: {e.Run.Label} lr={Format.G(e.Run.Lr)} S={e.Run.Horizon} (final val loss {e.Run.FinalLoss:F3}): {e.Reason}.")));
    }

    private static void PrintAverage(CliIo io, IReadOnlyList<GridResult> results)
    {
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"Protocol 3, mean over the training fractions {string.Join(", ", results.Select(r => Num(r.Options.TrainFraction)))}"))
            .AddColumn("law");
        foreach (var c in new[] { "mean err", "max err", "MAE", "Top-1", "Top-2", "best LR T1/T2", "all LRs T1/T2", "best f", "regret" })
            table.AddColumn(new TableColumn(c).RightAligned());
        foreach (var law in results[0].Laws.Select(l => l.Law))
        {
            var a = GridAverage.Of(law, results);
            table.AddRow(law, Format.Percent(a.MeanRelErr, 2), Format.Percent(a.MaxRelErr, 2), Format.G(a.Mae, 3), Format.Percent(a.Top1, 0), Format.Percent(a.Top2, 0),
                $"{Format.Percent(a.AtBestLrTop1, 0)}/{Format.Percent(a.AtBestLrTop2, 0)}", $"{Format.Percent(a.AcrossLrsTop1, 0)}/{Format.Percent(a.AcrossLrsTop2, 0)}",
                Format.Percent(a.BestCooldownHits, 0), Format.G(a.BestCooldownRegret, 2));
        }
        console.Write(table);
    }

    private static string Ratio(int hits, int of) => of == 0 ? "-" : FormattableString.Invariant($"{hits} ({100.0 * hits / of:F0}%)");

    /// <summary>A number with at most three decimals (fractions, LRs).</summary>
    internal static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
