using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Laws;
using HyperLaws.Plotting;
using HyperLaws.Schedules;
using HyperLaws.ScheduleOptimization;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.OptimizeSchedule;

/// <summary><c>optimize-schedule</c>'s results as console tables or one JSON object, the step,lr CSV and the figures.</summary>
internal static class OptimizeScheduleRenderer
{
    /// <summary>Writes the CSV (--out) and the figures (--plot) the settings ask for; returns the figures' files (PNG, SVG, CSV of each; none without --plot).</summary>
    public static IReadOnlyList<string> WriteFiles(OptimizeScheduleSettings settings, OptimizeScheduleResult r)
    {
        if (settings.OutPath is { } outPath) Files.WriteAtomic(outPath, Csv(r.Lr));
        return settings.PlotPath is { } png ? Plot(png, settings.Law!, settings.Parameters!, settings.ModelSize, r.Optimized, r.Baselines, settings.Support) : [];
    }

    /// <summary>The result on stdout, with the figures <c>--plot</c> wrote (<paramref name="written"/>): JSON <c>files</c>, or a <c>written: PATH</c> line each after the table, as predict does.</summary>
    public static void Write(CliIo io, OptimizeScheduleSettings settings, OptimizeScheduleResult r, IReadOnlyList<string> written)
    {
        var o = settings.Options!;
        var law = settings.Law!;
        var result = r.Optimized;
        var baselines = r.Baselines;
        var lr = r.Lr;
        string? outPath = settings.OutPath;
        if (settings.Json)
        {
            var node = new JsonObject
            {
                ["law"] = law.Name,
                ["modelSize"] = Json.Number(settings.ModelSize),
                ["steps"] = o.Steps,
                ["peak"] = o.Peak,
                ["warmup"] = o.Warmup,
                ["knots"] = o.Knots,
                ["monotone"] = !o.AllowIncrease,
                ["method"] = "Nelder-Mead with restarts on softmax-of-drops knot logits; start WSD with a 20% linear cooldown",
                ["evaluations"] = result.Evaluations,
                ["seconds"] = Math.Round(r.Seconds, 3),
                // A withheld loss (the runs do not support it) is null, as is a gain computed from one.
                ["predictedLoss"] = Json.Number(r.OptimizedHidden ? double.NaN : result.PredictedLoss),
                ["startLoss"] = Json.Number(r.StartHidden ? double.NaN : result.StartLoss),
                ["knotSteps"] = new JsonArray([.. result.KnotSteps.Select(x => (JsonNode?)x)]),
                ["knotValues"] = new JsonArray([.. result.KnotValues.Select(Json.Number)]),
                ["finalLr"] = lr[^1],
                ["cooldownStart"] = r.Shape.CooldownStart,
                ["baselines"] = new JsonArray([.. baselines.Select((b, i) => (JsonNode)new JsonObject
                {
                    ["name"] = b.Name, ["schedule"] = b.Schedule.ToSpec(), ["predictedLoss"] = Json.Number(r.BaselineHidden[i] ? double.NaN : r.BaselineLoss[i]),
                    ["gain"] = Json.Number(r.Gain(i)),
                })]),
                ["out"] = outPath,
                ["warnings"] = Json.Strings(r.Warnings),
                ["withheld"] = r.Withheld.ToJson(),
                ["scheduleUnsupported"] = r.OptimizedHidden,
                // The baselines predicted below the optimised schedule (their names; empty when it beats them all).
                ["worseThanBaselines"] = Json.Strings([.. r.BetterBaselines.Select(i => baselines[i].Name)]),
                ["files"] = Json.Strings(written),
            };
            ResultOutput.WriteJson(io, node);
            return;
        }
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded).AddColumn("schedule").AddColumn(new TableColumn("predicted final loss").RightAligned()).AddColumn(new TableColumn("vs optimised").RightAligned());
        table.AddRow("optimised", r.OptimizedHidden ? WithheldLosses.NotGiven : Format.G(result.PredictedLoss, 6), "");
        for (int i = 0; i < baselines.Count; i++)
            table.AddRow(Markup.Escape($"{baselines[i].Name}: {baselines[i].Schedule.ToDisplaySpec()}"), r.BaselineHidden[i] ? WithheldLosses.NotGiven : Format.G(r.BaselineLoss[i], 6),
                double.IsNaN(r.Gain(i)) ? "-" : "+" + Format.G(r.Gain(i), 3));
        console.Write(table);
        console.MarkupLine(Markup.Escape($"{law.Name}: {o.Steps} steps, peak {Format.G(o.Peak)}, warmup {o.Warmup}; {result.Evaluations} predictions in {r.Seconds:F2} s. "
            + $"Optimised schedule: cooldown starts at step {r.Shape.CooldownStart} (LR below 99% of the peak), final LR {Format.G(lr[^1], 3)}. Predicted, not measured."));
        if (outPath is not null) console.MarkupLine(Markup.Escape($"wrote {outPath}: use --schedule 'table(file={outPath}, column=lr)'"));
        foreach (string file in written) io.Out.WriteLine($"written: {file}");
        if (!settings.Quiet)
            foreach (var warning in r.Warnings) io.Err.WriteLine($"warning: {warning}.");
    }

    /// <summary>The table's cell of a withheld loss.</summary>

    public static void WriteComparison(CliIo io, OptimizeScheduleSettings settings, OptimizeScheduleComparison c)
    {
        var sizes = c.Sizes;
        var laws = ScheduleOptimizationComparison.Laws;
        if (settings.Json)
        {
            var node = new JsonObject
            {
                ["steps"] = ScheduleOptimizationComparison.Steps,
                ["peak"] = ScheduleOptimizationComparison.Peak,
                ["warmup"] = ScheduleOptimizationComparison.Warmup,
                ["knots"] = ScheduleOptimizationComparison.Options.Knots,
                ["maxEvaluations"] = ScheduleOptimizationComparison.Options.MaxEvaluations,
                ["seconds"] = Math.Round(c.Seconds, 3),
                ["predicted"] = true,
                ["sizes"] = new JsonArray([.. sizes.Select(s => (JsonNode)new JsonObject
                {
                    ["size"] = s.Size,
                    ["seconds"] = Math.Round(s.Seconds, 3),
                    ["evaluations"] = new JsonObject([.. s.Evaluations.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))]),
                    ["schedules"] = new JsonArray([.. s.Schedules.Select(x => (JsonNode)new JsonObject
                    {
                        ["name"] = x.Name,
                        ["predictedLoss"] = new JsonObject([.. laws.Select(l => KeyValuePair.Create(l, (JsonNode?)Json.Number(x.Loss[l])))]),
                        ["maxLrDifferenceFromMpl"] = x.MaxDifferenceFromMpl,
                        ["cooldownStart"] = x.CooldownStart,
                    })]),
                })]),
            };
            ResultOutput.WriteJson(io, node);
            return;
        }
        var console = io.Table();
        foreach (var s in sizes)
        {
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"{s.Size}M: predicted final loss after 24,000 steps (not measured)")).AddColumn("schedule");
            foreach (var l in laws) table.AddColumn(new TableColumn($"under {l}").RightAligned());
            table.AddColumn(new TableColumn("max |LR - MPL-opt|").RightAligned()).AddColumn(new TableColumn("cooldown starts").RightAligned());
            foreach (var x in s.Schedules)
                table.AddRow([Markup.Escape(x.Name), .. laws.Select(l => Format.G(x.Loss[l], 6)), Format.G(x.MaxDifferenceFromMpl, 3), x.CooldownStart.ToString(CultureInfo.InvariantCulture)]);
            console.Write(table);
        }
        console.MarkupLine(Markup.Escape($"{sizes.Count} sizes in {c.Seconds:F1} s; optimiser: {ScheduleOptimizationComparison.Options.Knots} knots, <= {ScheduleOptimizationComparison.Options.MaxEvaluations} predictions per law. Cooldown start: first step after the last one at >= 99% of the peak."));
    }

    /// <summary>step,lr with one row per step (the round-trip format; R17 keeps every double exact).</summary>
    internal static string Csv(double[] lr)
    {
        var sb = new StringBuilder("step,lr\n");
        for (int i = 0; i < lr.Length; i++)
            sb.Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(',').Append(lr[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// The LR curves and the predicted loss curves; a loss the runs do not support (<paramref name="support"/>: the final one, those past
    /// the runs' latest logged step) is not drawn (NaN in the CSV), and the note gives no withheld final loss. Returns the files written.
    /// </summary>
    private static IReadOnlyList<string> Plot(string png, ILossLaw law, double[] p, double modelSize, OptimizedSchedule result, IReadOnlyList<(string Name, LrSchedule Schedule)> baselines,
        HyperLaws.Planning.PredictionSupport? support)
    {
        var all = new List<(string Name, LrSchedule Schedule)> { ("optimised", result.Schedule) };
        all.AddRange(baselines);
        int steps = result.Schedule.Steps;
        var at = Enumerable.Range(0, 400).Select(i => Math.Max(1, (int)Math.Round((double)(i + 1) * steps / 400))).Distinct().ToArray();
        var x = at.Select(v => (double)v).ToArray();
        var lrSeries = new List<LineSeries>();
        var lossSeries = new List<LineSeries>();
        foreach (var (name, s) in all)
        {
            var lrs = s.Evaluate();
            lrSeries.Add(new LineSeries(name, x, [.. at.Select(t => lrs[t - 1])]));
            var y = new double[at.Length];
            law.Predict(p, new ScheduleHistory(lrs), modelSize, at, y);
            support?.Mask(at, y);
            lossSeries.Add(new LineSeries(name, x, y));
        }
        string dir = Path.GetDirectoryName(Path.GetFullPath(png))!;
        string stem = Path.GetFileNameWithoutExtension(png);
        var lrChart = new LineChart($"{law.Name}: optimised schedule vs baselines", "step", "learning rate", false, false, lrSeries);
        var lossChart = new LineChart($"{law.Name}: predicted loss (not measured)", "step", "predicted loss", false, false, lossSeries,
            [new Annotation(double.IsNaN(lossSeries[0].Y[^1]) ? "optimised final loss not given (the runs do not support it)" : $"optimised final {result.PredictedLoss:F4}", Corner.UpperRight)]);
        return [.. Files.Guard(png, () => FigureWriter.Write(lrChart, dir, stem)), .. Files.Guard(png, () => FigureWriter.Write(lossChart, dir, stem + "-loss"))];
    }
}
