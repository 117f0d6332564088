using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Planning;
using HyperLaws.Plotting;

namespace HyperLaws.Cli.Commands.Contour;

/// <summary>The grids as figures (one per budget) and contour_optima.csv, then the file list or one JSON object.</summary>
internal static class ContourRenderer
{
    /// <summary>Writes one figure per budget (PNG, SVG, CSV) and contour_optima.csv; returns the files written.</summary>
    public static List<string> WriteFiles(CliIo io, ContourSettings settings, ContourResult result)
    {
        string dir = settings.OutDir;
        var written = new List<string>();
        var peakAxis = result.PeakAxis;
        foreach (var g in result.Grids)
        {
            var overlays = new List<LineSeries>(OptimumMarker.Overlays($"optimum: warmup {g.Warmup}, peak {Format.G(g.Peak, 3)}, " + (g.LossWithheld ? "loss not given" : $"ppl {Format.G(Math.Exp(g.Loss), 5)}"),
                g.Warmup, g.Peak, [g.WarmupSteps[0], g.WarmupSteps[^1]], peakAxis));
            if (result.Training is { } tr)
            {
                double[] xs = [g.WarmupSteps[0], g.WarmupSteps[^1]];
                overlays.Add(new LineSeries("fitted peak range", xs, [tr.MinPeak, tr.MinPeak], Dashed: true, ColorHex: "#ffffff"));
                if (tr.MaxPeak > tr.MinPeak * 1.001) overlays.Add(new LineSeries("fitted peak range (max)", xs, [tr.MaxPeak, tr.MaxPeak], Dashed: true, ColorHex: "#ffffff"));
            }
            // The boundary, when it crosses the plotted peaks (above them every cell trains; below, every cell is blank).
            if (g.CriticalPeakLr is { } eta && eta.All(double.IsFinite) && eta.Any(e => e >= peakAxis.Min() && e <= peakAxis.Max()))
                overlays.Add(new LineSeries("divergence boundary eta_crit", [.. g.WarmupSteps.Select(x => (double)x)], eta, Dashed: true, ColorHex: "#d62728"));
            var chart = new ContourChart($"{result.LawName}: predicted perplexity, {settings.Family} schedule, {(g.Label.EndsWith(" steps", StringComparison.Ordinal) ? g.Label : $"{g.Label} ({g.Steps} steps)")}",
                "warmup steps", "peak learning rate", "perplexity", g.WarmupSteps.Select(x => (double)x).ToArray(), peakAxis.ToArray(), g.Perplexity,
                LogX: true, LogY: true, LogZ: true, Levels: 12, Overlays: overlays);
            string name = "contour_" + ContourCommand.Sanitize(g.Label);
            written.AddRange(Files.Guard(dir, () => FigureWriter.Write(chart, dir, name)));
            if (settings.Chatty) io.Err.WriteLine($"{g.Label}: optimum warmup {g.Warmup}, peak {Format.G(g.Peak, 3)}, predicted loss {(g.LossWithheld ? WithheldLosses.NotGiven : Format.G(g.Loss, 6))}");
        }
        var csv = new StringBuilder("budget,steps,family,warmup,peak,loss,perplexity\n");
        foreach (var o in result.Grids)
            csv.Append(CultureInfo.InvariantCulture, $"{o.Label},{o.Steps},{settings.Family},{o.Warmup},{o.Peak:R},{(o.LossWithheld ? "" : o.Loss.ToString("R", CultureInfo.InvariantCulture))},{(o.LossWithheld ? "" : Math.Exp(o.Loss).ToString("R", CultureInfo.InvariantCulture))}\n");
        string optimaPath = Path.Combine(dir, "contour_optima.csv");
        Files.WriteAtomic(optimaPath, csv.ToString());
        written.Add(optimaPath);
        return written;
    }

    /// <summary>The notes: what is not marked or drawn, and how many cells diverge.</summary>
    public static List<string> Notes(ContourSettings settings, ContourResult result)
    {
        var notes = new List<string>();
        if (settings.Screen is null) notes.Add("diverging regions are not marked: give --divergence DIV.json --params N --batch B (cells with a non-finite prediction are blank)");
        else notes.AddRange(result.Grids.Select(d => $"{d.Label}: {d.Diverging} of {d.Cells} cells predicted to diverge (left blank)"));
        if (result.Training is null) notes.Add($"the training runs of {settings.LawPath} were not found: the fitted peak range is not drawn");
        foreach (var g in result.Grids)
        {
            if (g.NoPerplexity > 0) notes.Add($"{g.Label}: {g.NoPerplexity} of {g.Cells} cells have a predicted loss whose perplexity exp(L) is not a finite positive number (left blank)");
        }
        // The optima's losses the runs do not support (the rule predict and rank apply): withheld, said per reason.
        notes.AddRange(result.Withheld.Texts);
        // A law fitted on a run that had stopped improving: predict holds its forecast, the grids are the law's own losses (said).
        notes.AddRange(Predict.PredictRenderer.StallNotHeld(settings.Law, "contour"));
        return notes;
    }

    /// <summary>
    /// The optima whose peak is at an end of the peak axis and outside the training runs' peaks: the law has no optimum in LR
    /// inside what it saw there (the schedule laws see the LR through progress, so a higher peak keeps lowering their loss, docs
    /// VALIDATION.md "Plans from runs at one peak LR"), and the printed peak is the axis' end, not a measured optimum. Structured
    /// (kind AxisAtEdge, label "peak"; quantities peak, axisMin, axisMax, runsMinPeak, runsMaxPeak), one per budget.
    /// </summary>
    internal static List<(ContourGrid Grid, string Text, JsonObject Json)> PeakAtEdge(ContourResult result)
    {
        var found = new List<(ContourGrid, string, JsonObject)>();
        if (result.Training is not { } t) return found;
        double lo = result.PeakAxis.Min(), hi = result.PeakAxis.Max();
        foreach (var g in result.Grids)
        {
            string? end = Rank.AxisEdge.End(g.Peak, result.PeakAxis);
            bool atHigh = end == "high" && g.Peak > t.MaxPeak * 1.001, atLow = end == "low" && g.Peak < t.MinPeak * 0.999;
            if (!atHigh && !atLow) continue;
            string text = $"{g.Label}: the optimum's peak {Format.G(g.Peak, 3)} is the {(atHigh ? "highest" : "lowest")} of the peak axis [{Format.G(lo, 3)}, {Format.G(hi, 3)}], "
                + $"outside the training runs' peaks [{Format.G(t.MinPeak, 3)}, {Format.G(t.MaxPeak, 3)}]: the law has no optimum in LR inside what it saw, so this peak is the axis' end, "
                + $"not an optimum (runs at {(atHigh ? "higher" : "lower")} peaks would place one)";
            var warning = new PlanWarning(WarningKind.AxisAtEdge)
            {
                Labels = ["peak", atHigh ? "high" : "low"],
                Quantities = new Dictionary<string, double> { ["peak"] = g.Peak, ["axisMin"] = lo, ["axisMax"] = hi, ["runsMinPeak"] = t.MinPeak, ["runsMaxPeak"] = t.MaxPeak },
            };
            var json = HyperLaws.Cli.Commands.Plan.PlanOutput.Warning(warning, text);
            json["budget"] = g.Label;
            found.Add((g, text, json));
        }
        return found;
    }

    /// <summary>
    /// The optima whose warmup is at an end of the warmup axis (<see cref="Rank.AxisEdge"/>, as rank's #1; a warmup of 0 is none): the
    /// law would go further, so the warmup printed is the axis' end. Structured (kind AxisAtEdge, labels ["warmup", "high" | "low"];
    /// quantities value, axisMin, axisMax; budget), one per budget.
    /// </summary>
    internal static List<(ContourGrid Grid, string Text, JsonObject Json)> WarmupAtEdge(ContourResult result)
    {
        var found = new List<(ContourGrid, string, JsonObject)>();
        foreach (var g in result.Grids)
        {
            double[] axis = [.. g.WarmupSteps.Select(x => (double)x)];
            if (Rank.AxisEdge.End(g.Warmup, axis) is not { } end) continue;
            var (text, json) = Rank.AxisEdge.Warning($"{g.Label}: the optimum", "warmup", end, g.Warmup, axis, "--warmups");
            json["budget"] = g.Label;
            found.Add((g, text, json));
        }
        return found;
    }

    public static void Write(CliIo io, ContourSettings settings, ContourResult result, IReadOnlyList<string> written)
    {
        var notes = Notes(settings, result);
        var edges = PeakAtEdge(result).Concat(WarmupAtEdge(result)).ToList();
        notes.AddRange(edges.Select(e => e.Text));
        if (settings.Json)
        {
            ResultOutput.WriteJson(io, new JsonObject
            {
                ["law"] = result.LawName,
                ["family"] = settings.Family,
                ["optima"] = new JsonArray([.. result.Grids.Select(o => (JsonNode)new JsonObject
                {
                    ["budget"] = o.Label, ["steps"] = o.Steps, ["warmup"] = o.Warmup, ["peak"] = o.Peak, ["loss"] = Json.Number(o.ShownLoss), ["perplexity"] = Json.Number(Math.Exp(o.ShownLoss)),
                    ["divergenceProbability"] = Json.Number(o.DivergenceProbability),
                    ["criticalPeakLr"] = o.CriticalPeakLr is { } eta ? new JsonArray([.. eta.Select((e, j) => (JsonNode)new JsonObject { ["warmup"] = o.WarmupSteps[j], ["peak"] = Json.Number(e) })]) : null,
                })]),
                ["files"] = Json.Strings(written),
                ["notes"] = Json.Strings(notes),
                ["withheld"] = result.Withheld.ToJson(),
                ["warnings"] = new JsonArray([.. edges.Select(e => (JsonNode)e.Json)]),
            });
            return;
        }
        foreach (var file in written) io.Out.WriteLine($"written: {file}");
        if (settings.Chatty) foreach (var n in notes) io.Err.WriteLine($"note: {n}.");
    }
}
