using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 25</c> (<see cref="HorizonSweepScoreboard"/>): every held-out run, every held-out horizon's optimum, then the rule per optimizer.</summary>
internal sealed class HorizonSweepRenderer : IResultRenderer<HorizonSweepScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly HorizonSweepRenderer Instance = new();

    /// <inheritdoc/>
    public JsonNode ToJson(HorizonSweepScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        return new JsonObject
        {
            ["protocol"] = 25,
            ["law"] = "joint",
            ["fitMaxTokens"] = Json.Number(HorizonSweep.FitMaxTokens),
            ["seconds"] = Json.Number(r.Seconds),
            ["passes"] = r.Passes,
            ["summaries"] = new JsonArray([.. r.Summaries.Select(s => (JsonNode)new JsonObject
            {
                ["optimizer"] = s.Optimizer, ["fittedRuns"] = s.FittedRuns, ["heldOutRuns"] = s.HeldOutRuns,
                ["lawMeanError"] = Json.Number(s.LawMean), ["lawMaxError"] = Json.Number(s.LawMax), ["logLogMeanError"] = Json.Number(s.LogLogMean), ["flatMeanError"] = Json.Number(s.FlatMean),
                ["horizons"] = s.Horizons, ["lawWithin2"] = s.LawWithin2, ["lawNearest"] = s.LawNearest, ["lawMeanSteps"] = Json.Number(s.LawMeanSteps),
                ["flatWithin2"] = s.FlatWithin2, ["flatMeanSteps"] = Json.Number(s.FlatMeanSteps), ["logLogWithin2"] = s.LogLogWithin2, ["logLogMeanSteps"] = Json.Number(s.LogLogMeanSteps),
                ["lossBeatsLogLog"] = s.LossBeatsLogLog, ["optimumWithin2"] = s.OptimumWithin2, ["optimumBeatsFlat"] = s.OptimumBeatsFlat, ["passes"] = s.Passes, ["verdict"] = s.Verdict,
            })]),
            ["horizons"] = new JsonArray([.. r.Horizons.Select(h => (JsonNode)new JsonObject
            {
                ["optimizer"] = h.Optimizer, ["tokens"] = Json.Number(h.D), ["runs"] = h.Runs, ["bestLr"] = Json.Number(h.BestLr), ["bracketed"] = h.Bracketed,
                ["lawLr"] = Json.Number(h.LawLr), ["lawAtGridEdge"] = h.LawAtGridEdge, ["lawWithin2"] = h.LawWithin2, ["flatLr"] = Json.Number(h.FlatLr), ["logLogLr"] = Json.Number(h.LogLogLr),
                ["lawSteps"] = Json.Number(h.LawSteps), ["flatSteps"] = Json.Number(h.FlatSteps), ["logLogSteps"] = Json.Number(h.LogLogSteps),
            })]),
            ["runs"] = new JsonArray([.. r.Runs.Select(x => (JsonNode)new JsonObject
            {
                ["optimizer"] = x.Optimizer, ["tokens"] = Json.Number(x.D), ["lr"] = Json.Number(x.LearningRate), ["actual"] = Json.Number(x.Actual),
                ["law"] = Json.Number(x.Law), ["logLog"] = Json.Number(x.LogLog), ["flat"] = Json.Number(x.Flat),
                ["lawError"] = Json.Number(x.LawError), ["logLogError"] = Json.Number(x.LogLogError), ["flatError"] = Json.Number(x.FlatError),
            })]),
        };
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, HorizonSweepScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        var runs = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(FormattableString.Invariant($"Protocol 25a: every run beyond {HorizonSweep.Tokens(HorizonSweep.FitMaxTokens)} tokens, the joint law fitted on the runs up to it")));
        foreach (var h in new[] { "optimizer", "tokens", "peak LR", "actual", "law", "law error", "log-log error", "flat-hold error" }) runs.AddColumn(h);
        foreach (var x in r.Runs)
            runs.AddRow(Markup.Escape(x.Optimizer), HorizonSweep.Tokens(x.D), Invariant($"{x.LearningRate:G3}"), Invariant($"{x.Actual:F4}"), Invariant($"{x.Law:F4}"),
                LrAxisRenderer.Pct(x.LawError), LrAxisRenderer.Pct(x.LogLogError), LrAxisRenderer.Pct(x.FlatError));
        io.Table().Write(runs);

        var optima = new Table().Border(TableBorder.Rounded).Title("Protocol 25b: each held-out horizon's optimal peak LR; in brackets |log2(answer / best)|");
        foreach (var h in new[] { "optimizer", "tokens", "runs", "sweep's best LR", "law", "flat hold", "log-log" }) optima.AddColumn(h);
        foreach (var h in r.Horizons)
            optima.AddRow(Markup.Escape(h.Optimizer), HorizonSweep.Tokens(h.D), $"{h.Runs}", Invariant($"{h.BestLr:G3}{(h.Bracketed ? "" : " (not bracketed)")}"),
                Invariant($"{h.LawLr:G3} ({h.LawSteps:F2}){(h.LawAtGridEdge ? " (grid edge)" : "")}"), Invariant($"{h.FlatLr:G3} ({h.FlatSteps:F2})"), Invariant($"{h.LogLogLr:G3} ({h.LogLogSteps:F2})"));
        io.Table().Write(optima);

        var rule = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Protocol 25's rule per optimizer: (i) loss error <= log-log's, (ii) optimum within x2 (not at the grid's edge) at >= {HorizonSweep.MinWithin2} horizons, (iii) mean |log2| <= the flat hold's"));
        foreach (var h in new[] { "optimizer", "fitted / held-out runs", "law mean (max) error", "log-log mean", "flat mean", "within x2: law / flat / log-log", "nearest: law", "mean |log2|: law / flat / log-log", "rule" }) rule.AddColumn(h);
        foreach (var s in r.Summaries)
            rule.AddRow(Markup.Escape(s.Optimizer), $"{s.FittedRuns} / {s.HeldOutRuns}", $"{LrAxisRenderer.Pct(s.LawMean)} ({LrAxisRenderer.Pct(s.LawMax)})", LrAxisRenderer.Pct(s.LogLogMean), LrAxisRenderer.Pct(s.FlatMean),
                $"{s.LawWithin2} / {s.FlatWithin2} / {s.LogLogWithin2} of {s.Horizons}", $"{s.LawNearest} of {s.Horizons}", Invariant($"{s.LawMeanSteps:F2} / {s.FlatMeanSteps:F2} / {s.LogLogMeanSteps:F2}"),
                s.Verdict);
        io.Table().Write(rule);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
