using System.Globalization;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Tables and JSON of <c>hyperlaws validate --protocol 22</c> (<see cref="MarinSizeScoreboard"/>).</summary>
internal sealed class MarinSizeRenderer : IResultRenderer<MarinSizeScoreboard>
{
    /// <summary>The renderer (stateless).</summary>
    public static readonly MarinSizeRenderer Instance = new();

    /// <inheritdoc/>
    public JsonNode ToJson(MarinSizeScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        return new JsonObject
        {
            ["protocol"] = 22,
            ["runs"] = r.Runs,
            ["seconds"] = r.Seconds,
            ["allDivergedCells"] = Json.Strings(r.AllDiverged ?? []),
            ["size"] = Split(r.Size),
            ["horizon"] = Split(r.Horizon),
            ["beta"] = r.Beta is { } b ? new JsonObject
            {
                ["beta"] = b.Beta, ["objective"] = b.Objective, ["identified"] = b.Identified, ["band"] = MarinSizeBeta.Band,
                ["bandBetas"] = new JsonArray([.. b.BandBetas.Select(x => (JsonNode)x)]),
                ["profile"] = new JsonArray([.. b.Profile.Select(p => (JsonNode)new JsonObject { ["beta"] = p.Beta, ["objective"] = p.Objective, ["converged"] = p.Converged })]),
                ["pooled"] = b.Pooled is { } q ? new JsonObject
                {
                    ["beta"] = q.Pooled.Beta, ["objective"] = q.Pooled.Objective,
                    ["alone"] = new JsonArray([.. q.Alone.Select(a => (JsonNode)new JsonObject { ["source"] = a.Source, ["beta"] = a.Beta, ["objective"] = a.Objective, ["flat"] = a.Flat })]),
                } : null,
            } : null,
        };
    }

    private static JsonObject Split(MarinSizeSplit s) => new()
    {
        ["split"] = s.Name,
        ["trainRuns"] = s.TrainRuns.Count,
        ["trainCells"] = Json.Strings(s.TrainCells),
        ["jointBeta"] = s.JointBeta,
        ["jointMeanError"] = s.JointMean,
        ["jointMaxError"] = s.JointMax,
        ["baselineMeanError"] = s.BaselineMean,
        ["ruleMet"] = s.RuleMet,
        ["chinchillaMeanError"] = s.Cells.Average(c => c.ChinchillaError),
        ["chinchillaFixedAlphaMeanError"] = Json.Number(s.Cells.Average(c => c.ChinchillaFixedAlphaError)),
        ["runs"] = new JsonArray([.. s.Runs.Select(x => (JsonNode)new JsonObject
        {
            ["cell"] = x.Cell, ["name"] = x.Name, ["lr"] = x.Lr, ["actual"] = x.Actual, ["joint"] = x.Joint, ["jointError"] = x.JointError,
            ["baseline"] = x.Baseline, ["baselineError"] = x.BaselineError, ["cellBest"] = x.CellBest,
        })]),
        ["cells"] = new JsonArray([.. s.Cells.Select(c => (JsonNode)new JsonObject
        {
            ["cell"] = c.Cell, ["n"] = c.N, ["d"] = c.D, ["best"] = c.Best, ["bestLr"] = c.BestLr, ["chinchilla"] = c.Chinchilla, ["chinchillaError"] = c.ChinchillaError,
            ["chinchillaFixedAlpha"] = Json.Number(c.ChinchillaFixedAlpha), ["chinchillaFixedAlphaError"] = Json.Number(c.ChinchillaFixedAlphaError),
            ["lawLr"] = c.LawLr, ["optimumLog2"] = c.OptimumLog2, ["nearest"] = c.IsNearest, ["lowestDivergedLr"] = Json.Number(c.LowestDivergedLr), ["belowDiverged"] = c.BelowDiverged,
        })]),
    };

    /// <inheritdoc/>
    public void WriteTable(CliIo io, MarinSizeScoreboard scoreboard)
    {
        var r = scoreboard.Result;
        foreach (var s in new[] { r.Size, r.Horizon })
        {
            string what = s.Name == "size" ? "22a-size: fitted on 130m and 300m, predicting 520m" : $"22a-horizon: fitted on 1x-{MarinSize.LongestFittedHorizon}x, predicting the longer horizons";
            var runs = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(FormattableString.Invariant($"Protocol {what} ({s.TrainRuns.Count} training runs; the joint law's beta {s.JointBeta:G3})")));
            foreach (var h in new[] { "cell", "LR", "actual", "joint", "joint error", "baseline", "baseline error" }) runs.AddColumn(h);
            foreach (var x in s.Runs)
                runs.AddRow(x.Cell, G(x.Lr) + (x.CellBest ? " (best)" : ""), F(x.Actual), F(x.Joint), LrAxisRenderer.Pct(x.JointError), F(x.Baseline), LrAxisRenderer.Pct(x.BaselineError));
            runs.AddRow("mean / max", "", "", "", $"{LrAxisRenderer.Pct(s.JointMean)} / {LrAxisRenderer.Pct(s.JointMax)}", "", LrAxisRenderer.Pct(s.BaselineMean));
            io.Table().Write(runs);
            var cells = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Protocol 22a-{s.Name}: each target cell's best loss by Chinchilla's law (fitted on the {s.TrainCells.Count} training cells' best), the joint law's LR optimum"));
            foreach (var h in new[] { "cell", "best", "chinchilla (error)", "chinchilla, alpha 0.34 (error)", "best LR", "law LR", "|log2(law / best)|", "lowest diverged LR" }) cells.AddColumn(h);
            foreach (var c in s.Cells)
                cells.AddRow(c.Cell, F(c.Best), $"{F(c.Chinchilla)} ({LrAxisRenderer.Pct(c.ChinchillaError)})", double.IsNaN(c.ChinchillaFixedAlpha) ? "n/a" : $"{F(c.ChinchillaFixedAlpha)} ({LrAxisRenderer.Pct(c.ChinchillaFixedAlphaError)})",
                    G(c.BestLr), G(c.LawLr), c.OptimumLog2.ToString("F2", CultureInfo.InvariantCulture), double.IsNaN(c.LowestDivergedLr) ? "none" : G(c.LowestDivergedLr));
            io.Table().Write(cells);
            io.Out.WriteLine(FormattableString.Invariant($"Rule 22a ({s.Name}): joint mean {LrAxisRenderer.Pct(s.JointMean)} vs baseline {LrAxisRenderer.Pct(s.BaselineMean)}, max {LrAxisRenderer.Pct(s.JointMax)} (<= 1%): {(s.RuleMet ? "met" : "not met")}."));
        }
        if (r.AllDiverged is { Count: > 0 } skipped) io.Out.WriteLine($"Skipped (every run diverged, no finite loss): {string.Join(", ", skipped)}.");
        if (r.Beta is { } b)
        {
            io.Out.WriteLine(FormattableString.Invariant($"22b: beta from all {r.Runs} finite runs {b.Beta:F4} (objective {b.Objective:G6}); grid betas within 1% of the minimum: {string.Join(", ", b.BandBetas.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}; identified: {(b.Identified ? "yes" : "no")}."));
            io.Out.WriteLine("22b profile: " + string.Join("; ", b.Profile.Select(p => FormattableString.Invariant($"{p.Beta:F4} {p.Objective:G6}"))));
            if (b.Pooled is { } q)
                io.Out.WriteLine(FormattableString.Invariant($"22b pooled: beta {q.Pooled.Beta:F4}; alone: {string.Join("; ", q.Alone.Select(a => FormattableString.Invariant($"{a.Source} {a.Beta:F4}{(a.Flat ? " (flat)" : "")}")))}."));
        }
    }

    private static string G(double x) => x.ToString("G3", CultureInfo.InvariantCulture);

    private static string F(double x) => x.ToString("F4", CultureInfo.InvariantCulture);
}
