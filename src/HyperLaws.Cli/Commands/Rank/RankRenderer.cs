using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Commands.Hosting;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Numerics;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Rank;

/// <summary>A ranking as a console table (warnings on stderr) or one JSON object.</summary>
internal static class RankRenderer
{
    public static void Write(CliIo io, RankSettings settings, RankResult r)
    {
        ResultOutput.Write(io, settings.Json, () => ToJson(r), () => Table(io, settings, r));
    }

    public static JsonObject ToJson(RankResult r)
    {
        var (law, modelSize, steps, seconds, training, ranked, shown, bands, lvl, warnings) = (r.Law, r.ModelSize, r.Steps, r.Seconds, r.Training, r.Ranked, r.Shown, r.Bands, r.Level, r.Warnings);
        var (winner, runnerUp, constant, vsRunnerUp, vsConstant) = (r.Winner, r.RunnerUp, r.Constant, r.VsRunnerUp, r.VsConstant);
        var node = new JsonObject
        {
            ["ranker"] = RankCommand.LawRanker,
            ["law"] = law.Name,
            ["modelSize"] = Json.Number(modelSize),
            ["steps"] = steps,
            ["evaluated"] = ranked.Count,
            ["skipped"] = r.Skipped,
            ["seconds"] = Math.Round(seconds, 3),
            ["trainingRange"] = training is { } t ? new JsonObject
            {
                ["minPeak"] = t.MinPeak, ["maxPeak"] = t.MaxPeak, ["maxSteps"] = t.MaxSteps, ["runs"] = t.Runs,
                // The bounds of a physical loss and whether the runs were all still in their warmup (HyperLaws.Planning.PredictionSupport).
                ["lowestLoss"] = Json.Number(t.LowestLoss), ["highestLoss"] = Json.Number(t.HighestLoss), ["warmupOnly"] = r.Withheld.Support?.WarmupOnly,
                // Where the runs' losses end (maxSteps is the longest schedule): the covered step, past which the support's rules apply
                // (PredictionSupport.Covered: the run's length where its log reaches its last update), and the latest step logged.
                // lastLoggedStep carried the covered step from ab59322 to b07087b; a script that asks "past the runs?" reads coveredStep.
                ["coveredStep"] = r.Withheld.Support?.LongestSteps,
                ["lastLoggedStep"] = r.Withheld.Support?.LastLoggedStep,
            } : null,
            ["intervalLevel"] = r.HasIntervals ? lvl : null,
            ["candidates"] = new JsonArray([.. shown.Select((x, i) => (JsonNode)new JsonObject
            {
                ["rank"] = i + 1,
                ["schedule"] = x.Schedule.ToSpec(),
                ["family"] = x.Schedule.Family.Name,
                ["peak"] = x.Schedule is WarmupSchedule ws ? ws.Peak : null,
                ["warmup"] = x.Schedule is WarmupSchedule wu ? wu.Warmup : null,
                ["predictedLoss"] = Json.Number(r.LossShown(x)),
                ["interval"] = bands[i] is { } b && !r.Hidden.Contains(x) ? new JsonObject { ["lower"] = Json.Number(b.Lower[0]), ["median"] = Json.Number(b.Median[0]), ["upper"] = Json.Number(b.Upper[0]) } : null,
                ["diverges"] = x.Diverges,
                ["divergenceProbability"] = Json.Number(x.DivergenceProbability),
            })]),
            ["why"] = new JsonObject
            {
                ["vsRunnerUp"] = Why(vsRunnerUp, runnerUp, r),
                ["vsBestConstant"] = Why(vsConstant, constant, r),
            },
            ["warnings"] = Json.Strings(warnings),
            ["runNotes"] = RunNotesJson.Of(r.RunNotes),
            ["edges"] = new JsonArray([.. r.Edges.Select(e => (JsonNode)e.DeepClone())]),
            ["withheld"] = r.Withheld.ToJson(),
            ["orderUnsupported"] = r.OrderUnsupported,
            ["unidentified"] = HyperLaws.Fitting.IdentificationJson.Write(r.Unidentified),
        };
        return node;
    }

    public static void Table(CliIo io, RankSettings settings, RankResult r)
    {
        var (law, modelSize, steps, seconds, training, ranked, shown, bands, lvl, warnings) = (r.Law, r.ModelSize, r.Steps, r.Seconds, r.Training, r.Ranked, r.Shown, r.Bands, r.Level, r.Warnings);
        var (winner, runnerUp, constant, vsRunnerUp, vsConstant) = (r.Winner, r.RunnerUp, r.Constant, r.VsRunnerUp, r.VsConstant);
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("#").RightAligned()).AddColumn("schedule").AddColumn(new TableColumn("predicted loss").RightAligned());
        string pct = Format.Percent(lvl, 0);
        if (r.HasIntervals) table.AddColumn(new TableColumn($"{pct} interval").RightAligned());
        bool screened = settings.Screen is not null;
        if (screened) table.AddColumn(new TableColumn("P(diverge)").RightAligned());
        for (int i = 0; i < shown.Count; i++)
        {
            bool hidden = r.Hidden.Contains(shown[i]);
            string[] cells = [(i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(shown[i].Schedule.ToDisplaySpec()), hidden ? WithheldLosses.NotGiven : Format.G(shown[i].PredictedLoss, 6)];
            if (r.HasIntervals && (hidden || bands[i] is null)) cells = [.. cells, "-"];
            else if (bands[i] is { } b) cells = [.. cells, $"{Format.G(b.Lower[0], 5)} to {Format.G(b.Upper[0], 5)}"];
            if (screened) cells = [.. cells, Markup.Escape(DivergenceCell(shown[i]))];
            table.AddRow(cells);
        }
        console.Write(table);
        console.MarkupLine(Markup.Escape($"{law.Name}: {ranked.Count} candidates of {steps} steps ranked in {seconds:F2} s" + (r.Skipped > 0 ? $" ({r.Skipped} grid points skipped: warmup or cooldown too long)" : "") + "."));
        WriteWhy(console, vsRunnerUp, winner, runnerUp, "runner-up", r);
        WriteWhy(console, vsConstant, winner, constant, "best constant schedule", r);
        if (vsRunnerUp is null && runnerUp is not null) console.MarkupLine(Markup.Escape($"(the {law.Name} law cannot split its prediction into terms, so no feature breakdown)"));
        if (!settings.Json && !settings.Quiet)
            foreach (var warning in warnings) io.Err.WriteLine($"warning: {warning}.");
    }

    /// <summary>P(diverge) to two significant digits, with "(diverges)" when the screen rejects the candidate; "-" without a probability.</summary>
    internal static string DivergenceCell(RankedCandidate c) =>
        (double.IsFinite(c.DivergenceProbability) ? Format.G(c.DivergenceProbability, 2) : "-") + (c.Diverges == true ? " (diverges)" : "");

    private static JsonObject? Why(IReadOnlyList<TermDifference>? terms, RankedCandidate? other, RankResult r) => terms is null || other is null ? null : new JsonObject
    {
        ["schedule"] = other.Schedule.ToSpec(),
        ["predictedLoss"] = Json.Number(r.LossShown(other)),
        ["terms"] = new JsonArray([.. terms.Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t.Name, ["formula"] = t.Formula,
            ["winnerFeature"] = Json.Number(t.WinnerFeature), ["otherFeature"] = Json.Number(t.ReferenceFeature),
            // A withheld candidate's contributions would give its loss back (they sum to it): null.
            ["winnerContribution"] = Json.Number(r.Hidden.Contains(r.Winner) ? double.NaN : t.WinnerContribution),
            ["otherContribution"] = Json.Number(r.Hidden.Contains(other) ? double.NaN : t.ReferenceContribution),
            ["difference"] = Json.Number(t.Difference),
        })]),
    };

    private static void WriteWhy(IAnsiConsole console, IReadOnlyList<TermDifference>? terms, RankedCandidate winner, RankedCandidate? other, string label, RankResult r)
    {
        if (terms is null || other is null) return;
        string losses = r.Hidden.Contains(winner) || r.Hidden.Contains(other) ? "losses not given" : $"{Format.G(winner.PredictedLoss, 6)} vs {Format.G(other.PredictedLoss, 6)}";
        var why = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"why #1 beats the {label} {other.Schedule.ToDisplaySpec()} ({losses})"))
            .AddColumn("term").AddColumn("what it is").AddColumn(new TableColumn("#1 feature").RightAligned()).AddColumn(new TableColumn($"{label} feature").RightAligned())
            .AddColumn(new TableColumn("#1 minus other (loss)").RightAligned());
        foreach (var t in terms.Take(6))
            why.AddRow(Markup.Escape(t.Name), Markup.Escape(t.Formula), Format.G(t.WinnerFeature, 4), Format.G(t.ReferenceFeature, 4), Format.Signed(t.Difference, 5));
        console.Write(why);
    }
}
