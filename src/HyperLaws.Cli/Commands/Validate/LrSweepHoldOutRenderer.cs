using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 20</c> (<see cref="LrSweepHoldOutScoreboard"/>).</summary>
internal sealed class LrSweepHoldOutRenderer : IResultRenderer<LrSweepHoldOutScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly LrSweepHoldOutRenderer Instance = new();

    /// <summary>The summary rows: cells with at least 3 finite LRs (the headline), then at least 2.</summary>
    private static readonly int[] MinLrs = [3, 2];

    /// <inheritdoc/>
    public JsonNode ToJson(LrSweepHoldOutScoreboard scoreboard) => Body(scoreboard.Result, new JsonObject { ["protocol"] = 20, ["lagPriorNeedsCurves"] = scoreboard.LagPriorNeedsCurves });

    /// <summary>The result's keys (law, runs, summary, cells, folds) added to <paramref name="head"/>; protocol 23's per optimizer too.</summary>
    internal static JsonObject Body(LrSweepHoldOutResult r, JsonObject head)
    {
        foreach (var (key, value) in new JsonObject
        {
            ["law"] = "joint",
            ["runs"] = r.Runs,
            ["seconds"] = r.Seconds,
            ["allDivergedCells"] = Json.Strings(r.AllDiverged ?? []),
            ["summary"] = new JsonArray([.. MinLrs.Select(k => (JsonNode)Summary(r, k))]),
            ["cells"] = new JsonArray([.. r.Cells.Select(c => (JsonNode)new JsonObject
            {
                ["cell"] = c.Cell, ["n"] = c.N, ["d"] = c.D, ["finiteLrs"] = c.FiniteLrs, ["divergedLrs"] = c.DivergedLrs, ["bestLr"] = c.BestLr,
                ["bracketed"] = c.Bracketed, ["bestTied"] = c.BestTied, ["lawLr"] = c.LawLr, ["optimumLog2"] = c.OptimumLog2,
            })]),
            ["folds"] = new JsonArray([.. r.Folds.Select(f => (JsonNode)new JsonObject
            {
                ["cell"] = f.Cell, ["finiteLrs"] = f.FiniteLrs, ["lr"] = f.Lr, ["actual"] = f.Actual, ["predicted"] = f.Predicted, ["error"] = f.Error,
                ["nearestLrLoss"] = f.NearestLr, ["baselineError"] = f.BaselineError, ["heldBest"] = f.HeldBest, ["lawOptimumLr"] = f.LawOptimumLr,
                ["bestLr"] = f.BestLr, ["optimumLog2"] = f.OptimumLog2,
            })]),
        })
            head[key] = value?.DeepClone();
        return head;
    }

    /// <summary>The declared scores over the cells with at least <paramref name="minLrs"/> finite LRs.</summary>
    internal static JsonObject Summary(LrSweepHoldOutResult r, int minLrs)
    {
        var folds = r.FoldsOf(minLrs);
        var cells = r.Cells.Where(c => c.FiniteLrs >= minLrs).ToList();
        var bestHeld = folds.Where(f => f.HeldBest).ToList();
        return new JsonObject
        {
            ["minFiniteLrs"] = minLrs,
            ["folds"] = folds.Count,
            ["meanError"] = Json.Number(folds.Count > 0 ? folds.Average(f => f.Error) : double.NaN),
            ["maxError"] = Json.Number(folds.Count > 0 ? folds.Max(f => f.Error) : double.NaN),
            ["meanBaselineError"] = Json.Number(folds.Count > 0 ? folds.Average(f => f.BaselineError) : double.NaN),
            ["lawBeatsBaseline"] = folds.Count(f => f.Error < f.BaselineError),
            ["cells"] = cells.Count,
            ["fullFitOptimaNearest"] = cells.Count(c => c.IsNearest),
            ["fullFitOptimaWithinStep"] = cells.Count(c => c.IsWithinStep),
            ["fullFitMeanLog2"] = Json.Number(cells.Count > 0 ? cells.Average(c => c.OptimumLog2) : double.NaN),
            ["bestHeldOptimaNearest"] = bestHeld.Count(f => f.IsNearest),
            ["bestHeldOptimaWithinStep"] = bestHeld.Count(f => f.IsWithinStep),
            ["bestHeldMeanLog2"] = Json.Number(bestHeld.Count > 0 ? bestHeld.Average(f => f.OptimumLog2) : double.NaN),
        };
    }

    /// <inheritdoc/>
    public void WriteTable(CliIo io, LrSweepHoldOutScoreboard scoreboard) =>
        WriteTables(io, scoreboard.Result, scoreboard.LagPriorNeedsCurves ? "Protocol 20 (lag prior only with curves: --joint-lag-prior-curves-only)" : "Protocol 20");

    /// <summary>The folds, cells and summary tables of <paramref name="r"/>, titled with <paramref name="name"/> (protocol 23: one set per optimizer).</summary>
    internal static void WriteTables(CliIo io, LrSweepHoldOutResult r, string name)
    {
        var folds = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"{name}, joint law (an offset per cell): each finite LR of a cell held out, fitted on the other {r.Runs - 1} runs"));
        foreach (var h in new[] { "cell", "LRs", "held LR", "actual", "predicted", "error", "nearest-LR baseline", "baseline error", "fold's law optimum", "cell's best LR" }) folds.AddColumn(h);
        foreach (var f in r.Folds)
            folds.AddRow(f.Cell, I(f.FiniteLrs), G(f.Lr) + (f.HeldBest ? " (best)" : ""), F(f.Actual), F(f.Predicted), LrAxisRenderer.Pct(f.Error), F(f.NearestLr), LrAxisRenderer.Pct(f.BaselineError), G(f.LawOptimumLr), G(f.BestLr));
        io.Table().Write(folds);

        var cells = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"{name}: the law's LR optimum fitted on all {r.Runs} finite runs, per cell with two or more finite LRs"));
        foreach (var h in new[] { "cell", "N", "D", "finite LRs", "diverged LRs", "best LR", "bracketed", "law LR", "|log2(law / best)|" }) cells.AddColumn(h);
        foreach (var c in r.Cells)
            cells.AddRow(c.Cell, G(c.N), G(c.D), I(c.FiniteLrs), I(c.DivergedLrs), G(c.BestLr), c.Bracketed ? "yes" : "no", G(c.LawLr), c.OptimumLog2.ToString("F2", CultureInfo.InvariantCulture));
        io.Table().Write(cells);

        var summary = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"{name}: summary (cells with at least 3 finite LRs: the headline; at least 2)"));
        foreach (var h in new[] { "cells", "folds", "mean error", "max error", "baseline mean error", "law < baseline", "full-fit optima nearest / within a step", "best-held optima nearest / within a step" }) summary.AddColumn(h);
        foreach (int k in MinLrs)
        {
            var s = Summary(r, k);
            summary.AddRow($">= {k} LRs: {s["cells"]}", $"{s["folds"]}", Pct(s["meanError"]), Pct(s["maxError"]), Pct(s["meanBaselineError"]),
                $"{s["lawBeatsBaseline"]} of {s["folds"]}", $"{s["fullFitOptimaNearest"]} / {s["fullFitOptimaWithinStep"]} of {s["cells"]}", $"{s["bestHeldOptimaNearest"]} / {s["bestHeldOptimaWithinStep"]} of {s["cells"]}");
        }
        io.Table().Write(summary);
        if (r.AllDiverged is { Count: > 0 } skipped) io.Out.WriteLine($"Skipped (every run diverged, no finite loss): {string.Join(", ", skipped)}.");
        if (r.Cells.Any(c => c.BestTied)) io.Out.WriteLine($"Best LR tied (the lower LR taken as best): {string.Join(", ", r.Cells.Where(c => c.BestTied).Select(c => c.Cell))}.");
    }

    private static string Pct(JsonNode? v) => v is null ? "n/a" : LrAxisRenderer.Pct((double)v);

    private static string G(double x) => x.ToString("G3", CultureInfo.InvariantCulture);

    private static string F(double x) => x.ToString("F4", CultureInfo.InvariantCulture);

    private static string I(int x) => x.ToString(CultureInfo.InvariantCulture);
}
