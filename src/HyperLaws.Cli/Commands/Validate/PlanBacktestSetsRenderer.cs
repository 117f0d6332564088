using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Runs;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of protocol 17p (<c>hyperlaws validate --protocol 6 --data DIR</c> with DIR protocol 17's folder; <see cref="PlanBacktestSets"/>).</summary>
internal sealed class PlanBacktestSetsRenderer : IResultRenderer<PlanBacktestSetsScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly PlanBacktestSetsRenderer Instance = new();

    private static string Pct(double v, int decimals = 2) => double.IsFinite(v) ? Format.Percent(v, decimals) : "-";

    private static string Loss(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static string Run(GridRun r) => FormattableString.Invariant($"{r.Label} @ {Format.G(r.Lr, 3)}");

    /// <summary>The declared groups of the summary: every plan, each law and split, and the planner's own choice per split.</summary>
    private static IEnumerable<(string Name, PlanBacktestSummary Summary)> Groups(PlanBacktestSetsResult r)
    {
        yield return ("all plans", PlanBacktestSummary.Of(r.Sets));
        foreach (var split in r.Options.FitOn)
            foreach (string law in r.Options.Laws)
                yield return ($"{law}, fit on {PlanBacktest.Name(split)}", PlanBacktestSummary.Of(r.Sets, c => c.Law == law && c.FitOn == split));
        if (r.Options.Laws.Count > 1)
            foreach (var split in r.Options.FitOn)
            {
                var chosen = r.Sets.Select(s => s.Backtest.PlannerChoice(split)).Where(c => c is not null).ToHashSet();
                yield return ($"the planner's choice, fit on {PlanBacktest.Name(split)}", PlanBacktestSummary.Of(r.Sets, chosen.Contains));
            }
    }

    /// <inheritdoc/>
    public JsonNode ToJson(PlanBacktestSetsScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        return new JsonObject
        {
            ["protocol"] = "17p",
            ["target"] = "history.final-val: loss on the full validation set after the last step",
            ["laws"] = Json.Strings(r.Options.Laws),
            ["fitOn"] = Json.Strings(r.Options.FitOn.Select(PlanBacktest.Name)),
            ["divergence"] = r.Options.Divergence is null ? "none" : r.Options.DivergenceSource,
            ["seconds"] = Math.Round(r.Seconds, 1),
            ["skipped"] = Json.Strings(r.Skipped),
            ["summary"] = new JsonArray([.. Groups(r).Select(g => (JsonNode)SummaryJson(g.Name, g.Summary))]),
            ["sets"] = new JsonArray([.. r.Sets.Select(s => (JsonNode)SetJson(s, r.Options))]),
        };
    }

    private static JsonObject SummaryJson(string name, PlanBacktestSummary s) => new()
    {
        ["group"] = name,
        ["plans"] = s.Plans,
        ["scheduleRun"] = s.Run,
        ["withRegret"] = s.Regrets,
        ["meanRegret"] = Json.Number(s.MeanRegret),
        ["meanAbsError"] = Json.Number(s.MeanAbsError),
        ["meanError"] = Json.Number(s.MeanError),
        ["withinOnePercent"] = s.WithinOnePercent,
        ["covered"] = s.Covered,
        ["withInterval"] = s.WithInterval,
        ["heldOutPredictions"] = s.HeldOutPredictions,
        ["lawMeanAbsError"] = Json.Number(s.LawMeanAbsError),
        ["lawMeanError"] = Json.Number(s.LawMeanError),
    };

    private static JsonObject SetJson(PlanBacktestSet s, PlanBacktestOptions options)
    {
        var h = s.Backtest;
        return new JsonObject
        {
            ["set"] = s.Set,
            ["parameters"] = s.Parameters,
            ["batchTokens"] = s.BatchTokens,
            ["sequenceLength"] = s.SequenceLength,
            ["horizon"] = h.Horizon,
            ["learnedFrom"] = h.LearnedFrom,
            ["available"] = Json.Strings(h.Available),
            ["heldOut"] = Json.Strings(s.HeldOut),
            ["candidates"] = new JsonArray([.. s.Candidates.Select(c => (JsonNode)PlanBacktestRenderer.RunJson(c))]),
            ["notCandidates"] = Json.Strings(s.NotCandidates),
            ["best"] = PlanBacktestRenderer.RunJson(h.Best),
            ["baselines"] = new JsonArray([.. h.Baselines.Select(b => (JsonNode)new JsonObject
            {
                ["name"] = b.Name,
                ["rule"] = b.Rule,
                ["run"] = b.Run is null ? null : PlanBacktestRenderer.RunJson(b.Run),
                ["loss"] = Json.Number(b.Loss),
                ["regret"] = Json.Number(b.Regret),
            })]),
            ["plannerChoice"] = new JsonObject(options.FitOn.Select(f => KeyValuePair.Create(PlanBacktest.Name(f), (JsonNode?)h.PlannerChoice(f)?.Law))),
            ["plans"] = new JsonArray([.. h.Cases.Select(c =>
            {
                var json = PlanBacktestRenderer.CaseJson(c);
                json["scheduleRun"] = PlanBacktest.IsNear(c.Choice, c.Match.Run);
                json["lawOnCandidates"] = new JsonObject(s.Candidates.Select(r => KeyValuePair.Create(r.Name, (JsonNode?)new JsonObject
                {
                    ["law"] = Json.Number(c.LawOnRuns.TryGetValue(r.Name, out double v) ? v : double.NaN),
                    ["finalLoss"] = r.FinalLoss,
                    ["error"] = Json.Number(c.LawOnRuns.TryGetValue(r.Name, out double w) ? w / r.FinalLoss - 1 : double.NaN),
                })));
                json["warnings"] = Json.Strings(c.Warnings);
                return (JsonNode)json;
            })]),
        };
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, PlanBacktestSetsScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        var console = io.Table();
        var inv = CultureInfo.InvariantCulture;
        foreach (var s in r.Sets)
        {
            var h = s.Backtest;
            console.MarkupLine(Markup.Escape(string.Create(inv, $"{s.Set} (N = {Format.Count(s.Parameters, 3)}, batch {Format.Count(s.BatchTokens, 4)} tokens): H = {h.Horizon}, learned from {h.Available.Count} runs of horizon < H (the longest {h.LearnedFrom}; a constant run of H or longer cut to it); candidates at H: ")
                + string.Join(", ", s.Candidates.Select(c => $"{Run(c)} {Loss(c.FinalLoss)}")) + (s.NotCandidates.Count > 0 ? $"; not candidates: {string.Join("; ", s.NotCandidates)}" : "")
                + "; baselines: " + string.Join("; ", h.Baselines.Select(b => $"{b.Rule} {Pct(b.Regret, 3)}"))));
        }
        var plans = new Table().Border(TableBorder.Rounded).Title("Protocol 17p: each set's longest horizon planned from its shorter runs, scored by the nearest candidate at H");
        foreach (var c in new[] { "set", "law", "fit on", "plan", "scored as", "run?", "regret", "predicted [interval]", "final-val", "error", "in interval", "law on held-out runs" })
            plans.AddColumn(new TableColumn(Markup.Escape(c)));
        foreach (var s in r.Sets)
            foreach (var c in s.Backtest.Cases)
            {
                bool near = PlanBacktest.IsNear(c.Choice, c.Match.Run);
                string interval = double.IsNaN(c.Lower) ? "(none)" : $"[{Loss(c.Lower)}, {Loss(c.Upper)}]";
                string regret = s.Backtest.GridRuns < 2 ? "one candidate" : Pct(c.Regret, 3);
                string held = string.Join(", ", s.HeldOut.Select(name => s.Candidates.FirstOrDefault(x => x.Name == name) is { } run && c.LawOnRuns.TryGetValue(name, out double v)
                    ? $"{Run(run)} {Pct(v / run.FinalLoss - 1)}" : name));
                string[] row = [s.Set, c.Law, PlanBacktest.Name(c.FitOn), c.Choice.ToString(), Run(c.Match.Run), near ? "yes" : "not run", near ? regret : $"({regret})",
                    $"{Loss(c.Predicted)} {interval}", Loss(c.Actual), near ? Pct(c.PredictionError) : $"({Pct(c.PredictionError)})",
                    c.Covers is { } v2 ? (v2 ? "yes" : "no") + (near ? "" : " (not run)") : "-", held];
                plans.AddRow([.. row.Select(Markup.Escape)]);
            }
        console.Write(plans);
        foreach (var (name, g) in Groups(r))
            console.MarkupLine(Markup.Escape(string.Create(inv, $"{name}: {g.Plans} plans, the schedule run in {g.Run}; mean regret {Pct(g.MeanRegret, 3)} over {g.Regrets} with two or more candidates; predicted final loss mean |error| {Pct(g.MeanAbsError)} (signed {Pct(g.MeanError)}), {g.WithinOnePercent} within +-1%, interval holds {g.Covered} of {g.WithInterval}; the law on the held-out runs' schedules: mean |error| {Pct(g.LawMeanAbsError)} (signed {Pct(g.LawMeanError)}) over {g.HeldOutPredictions}.")));
        foreach (var w in r.Sets.SelectMany(s => s.Backtest.Cases.SelectMany(c => c.Warnings.Select(x => (s.Set, x)))).GroupBy(x => x.x))
            console.MarkupLine(Markup.Escape($"  warning in {w.Count()} plans ({string.Join(", ", w.Select(x => x.Set).Distinct())}): {w.Key}"));
        foreach (string skipped in r.Skipped) console.MarkupLine(Markup.Escape($"  skipped: {skipped}"));
        console.MarkupLine(Markup.Escape(string.Create(inv, $"run? = whether the plan's schedule was run (the same family, peak within x sqrt(2), cooldown or final-LR fraction within 0.1; docs/VALIDATION.md \"Protocol 17p\"); values in parentheses are the nearest run's, not counted. {r.Seconds:0} s in all.")));
    }
}
