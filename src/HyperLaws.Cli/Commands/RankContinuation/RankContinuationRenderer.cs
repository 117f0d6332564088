using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Schedules;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.RankContinuation;

/// <summary>Ranked continuations as a console table (warnings on stderr) or one JSON object.</summary>
internal static class RankContinuationRenderer
{
    public static void Write(CliIo io, RankContinuationSettings settings, RankContinuationResult r)
    {
        ResultOutput.Write(io, settings.Json, () => ToJson(settings, r), () => Table(io, settings, r));
    }

    public static JsonObject ToJson(RankContinuationSettings settings, RankContinuationResult r) => new()
    {
        ["law"] = r.LawName,
        ["historySteps"] = settings.History.Steps,
        ["historyLoss"] = Json.Number(r.HistoryLossShown),
        ["historyLawLoss"] = Json.Number(r.HistoryLawLossShown),
        ["steps"] = settings.Steps,
        ["evaluated"] = r.Ranked.Count,
        ["seconds"] = Math.Round(r.Seconds, 3),
        ["candidates"] = new JsonArray([.. r.Shown.Select((x, i) =>
        {
            var next = (WarmupSchedule)((ContinuedSchedule)x.Schedule).Next;
            return (JsonNode)new JsonObject
            {
                ["rank"] = i + 1,
                ["next"] = next.ToSpec(),
                ["decay"] = next.Family.Name,
                ["peak"] = next.Peak,
                ["rewarm"] = next.Warmup,
                ["rewarmFrom"] = ((ContinuedSchedule)x.Schedule).RewarmFrom.ToString().ToLowerInvariant(),
                ["predictedLoss"] = Json.Number(r.LossShown(x)),
                ["lawLoss"] = Json.Number(r.LawLossShown.TryGetValue(x, out double own) ? own : r.LossShown(x)),
            };
        })]),
        ["held"] = r.Held,
        ["stall"] = HyperLaws.Fitting.CurveStallJson.Write(settings.Law.Stalls),
        ["warnings"] = Json.Strings(r.Warnings),
        // The history's withheld loss first, then the continuations' (each entry names what it counts; "of" which loss it is).
        ["withheld"] = new JsonArray([.. r.HistoryWithheld.ToJson().Select(w => Of(w!, "history")), .. r.Withheld.ToJson().Select(w => Of(w!, "continuation"))]),
        ["orderUnsupported"] = r.OrderUnsupported,
    };

    public static void Table(CliIo io, RankContinuationSettings settings, RankContinuationResult r)
    {
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("#").RightAligned()).AddColumn("continuation").AddColumn(new TableColumn("predicted final loss").RightAligned());
        // A stalled run's held forecast: the law's own loss beside it (as predict's JSON gives both).
        if (r.Held) table.AddColumn(new TableColumn("law's own").RightAligned());
        for (int i = 0; i < r.Shown.Count; i++)
        {
            var x = r.Shown[i];
            string[] cells = [(i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(((ContinuedSchedule)x.Schedule).Next.ToDisplaySpec()), Loss(x.PredictedLoss, r.Hidden.Contains(x))];
            table.AddRow(r.Held ? [.. cells, Loss(r.LawLossShown[x], double.IsNaN(r.LawLossShown[x]))] : cells);
        }
        console.Write(table);
        console.MarkupLine(Markup.Escape($"{r.LawName}: {r.Ranked.Count} continuations of {settings.Steps} steps after a {settings.History.Steps}-step history (predicted loss there {Loss(r.HistoryLoss, r.HistoryHidden)}) ranked in {r.Seconds:F2} s, re-warm from {settings.Grid.RewarmFrom.ToString().ToLowerInvariant()}."));
        if (!settings.Quiet)
            foreach (var warning in r.Warnings) io.Err.WriteLine($"warning: {warning}.");
    }

    /// <summary>A withheld entry with "of": the history's loss or the continuations'.</summary>
    private static JsonNode Of(JsonNode warning, string of)
    {
        var o = (JsonObject)warning.DeepClone();
        o["of"] = of;
        return o;
    }

    /// <summary>A loss to 6 significant digits, "not given" when withheld.</summary>
    private static string Loss(double loss, bool withheld) => withheld ? WithheldLosses.NotGiven : Format.G(loss, 6);
}
