using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --lr-holdout</c> (protocols 3h and 17h, <see cref="LrHoldOutScoreboard"/>).</summary>
internal sealed class LrHoldOutRenderer : IResultRenderer<LrHoldOutScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly LrHoldOutRenderer Instance = new();

    /// <summary>One ranker's pairs summed over <paramref name="rows"/>.</summary>
    internal static (int Correct, int Pairs, int WithinCorrect, int Within, int AcrossCorrect, int Across, int SameShapeCorrect, int SameShape) Sum(IEnumerable<LrHoldOutPairs> rows)
    {
        int c = 0, p = 0, wc = 0, w = 0, ac = 0, a = 0, sc = 0, s = 0;
        foreach (var x in rows)
            (c, p, wc, w, ac, a, sc, s) = (c + x.Correct, p + x.Pairs, wc + x.WithinCorrect, w + x.WithinPairs, ac + x.AcrossCorrect, a + x.AcrossPairs,
                sc + x.AcrossSameShapeCorrect, s + x.AcrossSameShapePairs);
        return (c, p, wc, w, ac, a, sc, s);
    }

    private static JsonObject SumJson(IEnumerable<LrHoldOutPairs> rows)
    {
        var s = Sum(rows);
        return new JsonObject
        {
            ["correct"] = s.Correct, ["pairs"] = s.Pairs, ["accuracy"] = Json.Number(s.Pairs > 0 ? (double)s.Correct / s.Pairs : double.NaN),
            ["withinCorrect"] = s.WithinCorrect, ["within"] = s.Within, ["acrossCorrect"] = s.AcrossCorrect, ["across"] = s.Across,
            ["acrossSameShapeCorrect"] = s.SameShapeCorrect, ["acrossSameShape"] = s.SameShape,
        };
    }

    /// <inheritdoc/>
    public JsonNode ToJson(LrHoldOutScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        var fractions = r.Pairs.Select(x => x.Fraction).Distinct().Order().ToList();
        var lrs = r.Pairs.Select(x => x.HeldLr).Distinct().Order().ToList();
        return new JsonObject
        {
            ["protocol"] = r.Protocol,
            ["rankers"] = new JsonArray([.. r.Rankers.Select(k =>
            {
                var rows = r.Pairs.Where(x => x.Ranker == k).ToList();
                var o = SumJson(rows);
                o["ranker"] = k;
                o["byFraction"] = new JsonArray([.. fractions.Select(f => { var j = SumJson(rows.Where(x => x.Fraction == f)); j["fraction"] = f; return (JsonNode)j; })]);
                o["byHeldLr"] = new JsonArray([.. lrs.Select(lr => { var j = SumJson(rows.Where(x => x.HeldLr == lr)); j["heldLr"] = lr; return (JsonNode)j; })]);
                return (JsonNode)o;
            })]),
            ["drop"] = new JsonArray([.. r.Drop.Select(d => (JsonNode)new JsonObject
            {
                ["fraction"] = d.Fraction, ["sets"] = d.Sets, ["setsChanged"] = d.SetsChanged, ["top2WithDrop"] = d.Top2WithDrop, ["top2Without"] = d.Top2Without,
                ["correctWithDrop"] = d.CorrectWithDrop, ["correctWithout"] = d.CorrectWithout, ["pairs"] = d.Pairs, ["nearChanged"] = d.NearChanged,
            })]),
            ["notes"] = Json.Strings(r.Notes),
            ["sets"] = new JsonArray([.. r.Pairs.Select(x => (JsonNode)new JsonObject
            {
                ["ranker"] = x.Ranker, ["fraction"] = x.Fraction, ["heldLr"] = x.HeldLr, ["set"] = x.Set,
                ["withinCorrect"] = x.WithinCorrect, ["within"] = x.WithinPairs, ["acrossCorrect"] = x.AcrossCorrect, ["across"] = x.AcrossPairs,
                ["acrossSameShapeCorrect"] = x.AcrossSameShapeCorrect, ["acrossSameShape"] = x.AcrossSameShapePairs,
            })]),
            ["seconds"] = Math.Round(r.Elapsed.TotalSeconds, 1),
        };
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, LrHoldOutScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        var console = io.Table();
        var lrs = r.Pairs.Select(x => x.HeldLr).Distinct().Order().ToList();
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"Protocol {r.Protocol}: pairs with a candidate at the held-out peak LR (each LR held out in turn)"))
            .AddColumn("ranker").AddColumn(new TableColumn("all").RightAligned()).AddColumn(new TableColumn("within").RightAligned()).AddColumn(new TableColumn("across").RightAligned())
            .AddColumn(new TableColumn("across, same shape").RightAligned());
        foreach (double lr in lrs) table.AddColumn(new TableColumn($"lr={Format.G(lr)} out").RightAligned());
        foreach (string k in r.Rankers)
        {
            var rows = r.Pairs.Where(x => x.Ranker == k).ToList();
            var s = Sum(rows);
            var cells = new List<string> { Markup.Escape(k), Share(s.Correct, s.Pairs), Share(s.WithinCorrect, s.Within), Share(s.AcrossCorrect, s.Across),
                Share(s.SameShapeCorrect, s.SameShape) };
            cells.AddRange(lrs.Select(lr => { var t = Sum(rows.Where(x => x.HeldLr == lr)); return Share(t.Correct, t.Pairs); }));
            table.AddRow([.. cells]);
        }
        console.Write(table);
        var drop = new Table().Border(TableBorder.Rounded).Title("rankfix's member drop on the full fit (every LR seen)")
            .AddColumn("fraction").AddColumn(new TableColumn("sets (changed)").RightAligned()).AddColumn(new TableColumn("Top-2 with / without").RightAligned())
            .AddColumn(new TableColumn("pairs with / without").RightAligned()).AddColumn(new TableColumn("ensemble-lr-near differs").RightAligned());
        foreach (var d in r.Drop)
            drop.AddRow(d.Fraction.ToString(CultureInfo.InvariantCulture), $"{d.Sets} ({d.SetsChanged})", $"{d.Top2WithDrop} / {d.Top2Without}", $"{d.CorrectWithDrop} / {d.CorrectWithout} of {d.Pairs}",
                $"{d.NearChanged} sets");
        console.Write(drop);
        console.WriteLine(r.Notes.Count == 0 ? "the drop left no member out and set no level aside." : $"the drop: {string.Join("; ", r.Notes)}.");
    }

    private static string Share(int correct, int pairs) => pairs == 0 ? "-" : $"{Format.Percent((double)correct / pairs, 1)} ({correct}/{pairs})";
}
