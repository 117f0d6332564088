using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 14</c>, <c>15</c>, <c>16</c> and <c>17</c> (<see cref="CrossDataScoreboard"/>).</summary>
internal sealed class CrossDataRenderer : IResultRenderer<CrossDataScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly CrossDataRenderer Instance = new();

    private static JsonObject Prediction(CrossDataPrediction p) => new()
    {
        ["set"] = p.Set, ["run"] = p.Run, ["law"] = p.Law, ["fittedOn"] = p.FittedOn, ["points"] = p.Points, ["step"] = p.Step,
        ["predicted"] = Json.Number(p.Predicted), ["actual"] = p.Actual, ["relativeError"] = Json.Number(p.RelativeError), ["failure"] = p.Failure,
        ["priors"] = new JsonArray([.. p.Priors.Select(t => (JsonNode)JsonValue.Create(t)!)]), ["nonPhysical"] = p.NonPhysical, ["chosen"] = p.Chosen,
        ["evidence"] = p.Evidence, ["lawPredicted"] = Json.Number(p.LawPredicted), ["held"] = p.Held, ["stall"] = p.Stall is null ? null : HyperLaws.Fitting.CurveStallJson.Write(p.Stall),
    };


    /// <inheritdoc/>
    public JsonNode ToJson(CrossDataScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        return new JsonObject
        {
            ["protocol"] = scoreboard.Number,
            ["sets"] = new JsonArray([.. r.Sets.Select(s => (JsonNode)JsonValue.Create(s)!)]),
            ["summaries"] = new JsonArray([.. r.Summaries.Select(s => (JsonNode)new JsonObject
            {
                ["law"] = s.Law,
                ["setMeans"] = new JsonObject(s.SetMeans.Select(kv => KeyValuePair.Create(kv.Key, Json.Number(kv.Value)))),
                ["meanOfSets"] = Json.Number(s.MeanOfSets), ["wins"] = s.Wins, ["failures"] = s.Failures,
                ["median"] = Json.Number(s.Median), ["withPriors"] = s.WithPriors, ["nonPhysical"] = s.NonPhysical, ["held"] = s.Held,
            })]),
            ["firstHalf"] = new JsonArray([.. r.FirstHalf.Select(p => (JsonNode)Prediction(p))]),
            ["horizon"] = new JsonArray([.. r.Horizon.Select(p => (JsonNode)Prediction(p))]),
        };
    }

    private static string Pct(double x) => double.IsFinite(x) ? Format.Percent(x) : "-";

    /// <summary>A run's error; "*" when a term was held at its prior, "h" when a stalled curve's level was held, "(law)" for select's choice, "<=0" when non-physical.</summary>
    private static string Cell(CrossDataPrediction p) =>
        Pct(p.RelativeError) + (p.Priors.Count > 0 ? "*" : "") + (p.Held ? "h" : "") + (p.NonPhysical ? " (<=0)" : "") + (p.Chosen is { } c ? $" ({c})" : "");

    /// <inheritdoc/>
    public void WriteTable(CliIo io, CrossDataScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        var console = io.Table();
        var runs = new Table().Border(TableBorder.Rounded).Title($"Protocol {scoreboard.Number}a: fitted on the first half of each run's validation curve, the final validation loss predicted (relative error)")
            .AddColumn("set").AddColumn("run").AddColumn(new TableColumn("points").RightAligned()).AddColumn(new TableColumn("final loss").RightAligned());
        var laws = r.Summaries.Select(s => s.Law).ToList();
        foreach (string law in laws) runs.AddColumn(new TableColumn(law).RightAligned());
        foreach (var group in r.FirstHalf.GroupBy(p => (p.Set, p.Run)))
        {
            var first = group.First();
            runs.AddRow([first.Set, first.Run, first.Points.ToString(System.Globalization.CultureInfo.InvariantCulture), Format.G(first.Actual, 5),
                .. laws.Select(l => group.FirstOrDefault(p => p.Law == l) is { } p ? (p.Failure is null ? Cell(p) : "failed") : "-")]);
        }
        console.Write(runs);
        var sets = new Table().Border(TableBorder.Rounded).Title($"Protocol {scoreboard.Number}a per data set (mean relative error) and across sets")
            .AddColumn("law");
        foreach (string set in r.Sets) sets.AddColumn(new TableColumn(set).RightAligned());
        sets.AddColumn(new TableColumn("mean of sets").RightAligned()).AddColumn(new TableColumn("sets won").RightAligned()).AddColumn(new TableColumn("failures").RightAligned())
            .AddColumn(new TableColumn("median").RightAligned()).AddColumn(new TableColumn("with priors").RightAligned()).AddColumn(new TableColumn("<= 0").RightAligned()).AddColumn(new TableColumn("held").RightAligned());
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        foreach (var s in r.Summaries)
            sets.AddRow([s.Law, .. r.Sets.Select(set => Pct(s.SetMeans[set])), Pct(s.MeanOfSets), s.Law is CrossData.Baseline or CrossData.Select ? "-" : s.Wins.ToString(inv), s.Failures.ToString(inv),
                Pct(s.Median), s.WithPriors.ToString(inv), s.NonPhysical.ToString(inv), s.Held.ToString(inv)]);
        console.Write(sets);
        var pairs = r.Horizon.GroupBy(p => (p.FittedOn, p.Run)).ToList();
        if (pairs.Count > 1)
        {
            // Protocol 17b: one row per (shorter run, longer run) pair, one column per law; then each law's mean and median over the pairs with a finite error.
            var h = new Table().Border(TableBorder.Rounded).Title($"Protocol {scoreboard.Number}b: fitted on the whole shorter run, the longer run's final loss predicted (relative error)")
                .AddColumn("fitted on").AddColumn("predicted run").AddColumn(new TableColumn("step").RightAligned()).AddColumn(new TableColumn("final loss").RightAligned());
            foreach (string law in laws.Where(l => l != CrossData.Select)) h.AddColumn(new TableColumn(law).RightAligned());
            var hlaws = laws.Where(l => l != CrossData.Select).ToList();
            foreach (var g in pairs)
            {
                var first = g.First();
                h.AddRow([first.FittedOn, first.Run, first.Step.ToString(System.Globalization.CultureInfo.InvariantCulture), Format.G(first.Actual, 5),
                    .. hlaws.Select(l => g.FirstOrDefault(p => p.Law == l) is { } p ? (p.Failure is null ? Cell(p) : "failed") : "-")]);
            }
            List<double> Errors(string law) => [.. r.Horizon.Where(p => p.Law == law && double.IsFinite(p.RelativeError)).Select(p => p.RelativeError)];
            h.AddRow(["mean", "", "", "", .. hlaws.Select(l => Errors(l) is { Count: > 0 } e ? Pct(e.Average()) : "-")]);
            h.AddRow(["median", "", "", "", .. hlaws.Select(l => Errors(l) is { Count: > 0 } e ? Pct(PlanBacktest.Median(e)) : "-")]);
            console.Write(h);
        }
        else if (r.Horizon.Count > 0)
        {
            var h = new Table().Border(TableBorder.Rounded).Title($"Protocol 14b: fitted on {r.Horizon[0].FittedOn} ({r.Horizon[0].Points} points), the final loss of {r.Horizon[0].Run} (step {r.Horizon[0].Step}) predicted")
                .AddColumn("law").AddColumn(new TableColumn("predicted").RightAligned()).AddColumn(new TableColumn("actual").RightAligned()).AddColumn(new TableColumn("relative error").RightAligned());
            foreach (var p in r.Horizon) h.AddRow(p.Law, p.Failure is null ? Format.G(p.Predicted, 5) : "failed: " + Markup.Escape(p.Failure), Format.G(p.Actual, 5), Cell(p));
            console.Write(h);
        }
        console.WriteLine($"baseline '{CrossData.Baseline}': the last validation loss fitted on, predicted flat; a law's failure is left out of its means and wins nothing.");
        console.WriteLine($"*: the fit held an unidentified term at its prior (no fitted point after an LR decrement; with --identification 14d also fewer than 2 at or below half the peak LR; with evidence, such a partly seen decay only when its free fit is non-physical, protocol 14e/15e); '{CrossData.Select}': per run the law with the lowest held-out error on (S/4, S/2] when fitted on steps <= S/4 (protocol 14c).");
        console.WriteLine("h / held: the fitted half stopped improving where the law still falls (the stall check, docs/VALIDATION.md \"Curves that stop improving\"), so the prediction is the recent level; --no-stall-check gives the law's own.");
    }
}
