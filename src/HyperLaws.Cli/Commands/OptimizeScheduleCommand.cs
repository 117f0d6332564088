using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Laws;
using HyperLaws.Plotting;
using HyperLaws.Schedules;
using HyperLaws.ScheduleOptimization;
using HyperLaws.Validation;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary>
/// <c>hyperlaws optimize-schedule</c>: a free-form schedule (monotone after the warmup unless --allow-increase) that
/// minimises a fitted law's predicted final loss (<see cref="ScheduleOptimizer"/>), compared with WSD and cosine
/// baselines of the same peak and warmup; written as a step,lr CSV that <c>table(file=OUT.csv, column=lr)</c> reads back.
/// </summary>
internal static class OptimizeScheduleCommand
{
    public static Command Create(CliIo io)
    {
        var lawFile = new Option<string>("--law") { Description = "A fitted law (LAW.json from 'hyperlaws fit'); required unless --compare-mpl.", HelpName = "LAW.json" };
        var stepsOption = CliOptions.ParsedValue("--steps", "The length of the schedule (e.g. 24000 or 24k); required unless --compare-mpl.", "S", LawRuns.Steps);
        var peakOption = CliOptions.Checked("--peak", "Peak LR (default: the largest peak of the law's training runs).", "LR", v => v > 0 && v <= CliOptions.MaxLearningRate, "a positive learning rate of at most 1e6");
        var warmupOption = CliOptions.Count("--warmup", "Linear warmup steps, kept as given (default 9% of S, as in the MPL runs: 2160 of 24000).", "W", 0, LrSchedule.MaxSteps);
        var knotsOption = CliOptions.Count("--knots", "Knots of the piecewise-linear curve after the warmup (default 24).", "K", 1, 10_000);
        var evalsOption = CliOptions.Count("--evaluations", "Budget of law predictions (default 4000).", "N", 1, 10_000_000);
        var increase = new Option<bool>("--allow-increase") { Description = "Let the LR rise after the warmup (each knot in [0, 2 peak]); default: non-increasing." };
        var runsOption = CliOptions.InputPaths("--runs", "The law's training runs, for the default peak (default: the files LAW.json names).");
        var size = CliOptions.ModelSize();
        var outOption = new Option<string>("--out") { Description = "Write the schedule as CSV (step,lr); read it back with --schedule 'table(file=OUT.csv, column=lr)'.", HelpName = "OUT.csv" };
        var plot = new Option<string>("--plot") { Description = "Draw the LR curves (OUT.png) and the predicted loss curves (OUT-loss.png), SVG and CSV beside them.", HelpName = "OUT.png" };
        var compare = new Option<bool>("--compare-mpl") { Description = "Instead: per size 25/100/400, fit MPL and OptLaw on protocol 1's training curves, optimise a 24,000-step schedule under each and compare with the MPL-optimised schedules and cosine/WSD under both laws (predicted loss)." };
        var data = CliOptions.InputFolder("--data", "With --compare-mpl: folder laid out like shared/data (needs MultiPowerLaw/loss_curve_repo and MultiPowerLaw/optimized_schedules); default: the repository's data/.", ShippedData.Folder);
        var json = CliOptions.Json();
        var quiet = CliOptions.Quiet();
        var command = new Command("optimize-schedule", "Optimise a free-form LR schedule (monotone after the warmup) to minimise a fitted law's predicted final loss, against WSD and cosine baselines.");
        foreach (var o in new Option[] { lawFile, stepsOption, peakOption, warmupOption, knotsOption, evalsOption, increase, runsOption, size, outOption, plot, compare, data, json, quiet }) command.Options.Add(o);

        command.SetAction(r =>
        {
            if (r.GetValue(compare)) return CompareMpl(io, ShippedData.DataOption(r.GetValue(data)!), r.GetValue(json), r.GetValue(quiet));
            string path = r.GetValue(lawFile) ?? throw new UserInputException("--law: required (a LAW.json from 'hyperlaws fit'), unless --compare-mpl.");
            var doc = LawRuns.LoadLaw(path);
            var (law, p) = doc.Instantiate();
            double modelSize = Predict.PredictCommand.ModelSize(r.GetValue(size), law is SizedLaw, path);
            int steps = r.GetValue(stepsOption) ?? throw new UserInputException("--steps: required (the length of the schedule), unless --compare-mpl.");
            double peak;
            if (r.GetValue(peakOption) is { } pt)
            {
                peak = pt;
            }
            else
            {
                peak = Rank.RankCommand.TrainingRange(r.GetValue(runsOption), doc, path)?.MaxPeak
                    ?? throw new UserInputException($"--peak: the training runs of {path} were not found, so give the peak LR (e.g. --peak 3e-4) or the runs (--runs).");
            }
            int warmup = (int)Math.Round(0.09 * steps);
            if (r.GetValue(warmupOption) is { } w)
            {
                if (w >= steps) throw new UserInputException($"--warmup: '{w}' is not a whole number of steps in [0, {steps}).");
                warmup = w;
            }
            string? outPath = r.GetValue(outOption);
            if (outPath is not null && !outPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                throw new UserInputException($"--out: '{outPath}' must end in .csv (the schedule is written as step,lr CSV).");
            if (outPath is not null && r.GetValue(plot) is { } plotPath && Path.ChangeExtension(Path.GetFullPath(plotPath), ".csv") == Path.GetFullPath(outPath))
                throw new UserInputException($"--plot: {plotPath} writes its data to {outPath} beside it, the same file as --out; choose another name.");
            var options = new ScheduleOptimizationOptions(steps, peak, warmup, r.GetValue(knotsOption) ?? 24, r.GetValue(increase), r.GetValue(evalsOption) ?? 4000);
            try
            {
                options.Check();
            }
            catch (ArgumentException e)
            {
                throw new UserInputException($"--{e.Message}");
            }
            bool chatty = !r.GetValue(json) && !r.GetValue(quiet);
            if (chatty) io.Err.WriteLine($"optimising {options.Knots} knots of a {steps}-step schedule under {law.Name} (up to {options.MaxEvaluations} predictions)...");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = ScheduleOptimizer.Optimize(law, p, options, modelSize);
            double seconds = clock.Elapsed.TotalSeconds;
            var baselines = Baselines(options);
            var baselineLoss = baselines.Select(b => ScheduleOptimizer.PredictFinal(law, p, b.Schedule, modelSize)).ToList();
            var lr = result.Schedule.Evaluate();
            var shape = ScheduleShape.Of(lr, warmup);

            if (outPath is not null) Files.WriteAtomic(outPath, Csv(lr));
            if (r.GetValue(plot) is { } png) Plot(png, law, p, modelSize, result, baselines);

            if (r.GetValue(json))
            {
                var node = new JsonObject
                {
                    ["law"] = law.Name,
                    ["modelSize"] = Json.Number(modelSize),
                    ["steps"] = steps,
                    ["peak"] = peak,
                    ["warmup"] = warmup,
                    ["knots"] = options.Knots,
                    ["monotone"] = !options.AllowIncrease,
                    ["method"] = "Nelder-Mead with restarts on softmax-of-drops knot logits; start WSD with a 20% linear cooldown",
                    ["evaluations"] = result.Evaluations,
                    ["seconds"] = Math.Round(seconds, 3),
                    ["predictedLoss"] = Json.Number(result.PredictedLoss),
                    ["startLoss"] = Json.Number(result.StartLoss),
                    ["knotSteps"] = new JsonArray([.. result.KnotSteps.Select(x => (JsonNode?)x)]),
                    ["knotValues"] = new JsonArray([.. result.KnotValues.Select(Json.Number)]),
                    ["finalLr"] = lr[^1],
                    ["cooldownStart"] = shape.CooldownStart,
                    ["baselines"] = new JsonArray([.. baselines.Select((b, i) => (JsonNode)new JsonObject
                    {
                        ["name"] = b.Name, ["schedule"] = b.Schedule.ToSpec(), ["predictedLoss"] = Json.Number(baselineLoss[i]),
                        ["gain"] = Json.Number(baselineLoss[i] - result.PredictedLoss),
                    })]),
                    ["out"] = outPath,
                };
                io.Out.WriteLine(Json.Serialize(node));
                return 0;
            }
            var console = io.Table();
            var table = new Table().Border(TableBorder.Rounded).AddColumn("schedule").AddColumn(new TableColumn("predicted final loss").RightAligned()).AddColumn(new TableColumn("vs optimised").RightAligned());
            table.AddRow("optimised", Format.G(result.PredictedLoss, 6), "");
            for (int i = 0; i < baselines.Count; i++)
                table.AddRow(Markup.Escape($"{baselines[i].Name}: {baselines[i].Schedule.ToSpec()}"), Format.G(baselineLoss[i], 6), "+" + Format.G(baselineLoss[i] - result.PredictedLoss, 3));
            console.Write(table);
            console.MarkupLine(Markup.Escape($"{law.Name}: {steps} steps, peak {Format.G(peak)}, warmup {warmup}; {result.Evaluations} predictions in {seconds:F2} s. "
                + $"Optimised schedule: cooldown starts at step {shape.CooldownStart} (LR below 99% of the peak), final LR {Format.G(lr[^1], 3)}. Predicted, not measured."));
            if (outPath is not null) console.MarkupLine(Markup.Escape($"wrote {outPath}: use --schedule 'table(file={outPath}, column=lr)'"));
            return 0;
        });
        return command;
    }

    private static int CompareMpl(CliIo io, string dataRoot, bool json, bool quiet)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<SizeComparison> sizes;
        try
        {
            sizes = ScheduleOptimizationComparison.Run(dataRoot, progress: json || quiet ? null : m => { lock (io) io.Err.WriteLine(m); });
        }
        catch (ValidationDataException e)
        {
            throw new UserInputException($"--data: {e.Message}");
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var laws = ScheduleOptimizationComparison.Laws;
        if (json)
        {
            var node = new JsonObject
            {
                ["steps"] = ScheduleOptimizationComparison.Steps,
                ["peak"] = ScheduleOptimizationComparison.Peak,
                ["warmup"] = ScheduleOptimizationComparison.Warmup,
                ["knots"] = ScheduleOptimizationComparison.Options.Knots,
                ["maxEvaluations"] = ScheduleOptimizationComparison.Options.MaxEvaluations,
                ["seconds"] = Math.Round(seconds, 3),
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
            io.Out.WriteLine(Json.Serialize(node));
            return 0;
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
        console.MarkupLine(Markup.Escape($"{sizes.Count} sizes in {seconds:F1} s; optimiser: {ScheduleOptimizationComparison.Options.Knots} knots, <= {ScheduleOptimizationComparison.Options.MaxEvaluations} predictions per law. Cooldown start: first step after the last one at >= 99% of the peak."));
        return 0;
    }

    /// <summary>WSD (20% linear cooldown to 0, the optimiser's start) and cosine to 0, same peak and warmup.</summary>
    internal static List<(string Name, LrSchedule Schedule)> Baselines(ScheduleOptimizationOptions o) =>
    [
        ("wsd 20% cooldown", new WsdSchedule(o.Peak, o.Steps, o.Warmup, cooldown: 0.2)),
        ("cosine", new CosineSchedule(o.Peak, o.Steps, o.Warmup)),
    ];

    /// <summary>step,lr with one row per step (the round-trip format; R17 keeps every double exact).</summary>
    internal static string Csv(double[] lr)
    {
        var sb = new StringBuilder("step,lr\n");
        for (int i = 0; i < lr.Length; i++)
            sb.Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(',').Append(lr[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    private static void Plot(string png, ILossLaw law, double[] p, double modelSize, OptimizedSchedule result, List<(string Name, LrSchedule Schedule)> baselines)
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
            lossSeries.Add(new LineSeries(name, x, y));
        }
        string dir = Path.GetDirectoryName(Path.GetFullPath(png))!;
        string stem = Path.GetFileNameWithoutExtension(png);
        var lrChart = new LineChart($"{law.Name}: optimised schedule vs baselines", "step", "learning rate", false, false, lrSeries);
        var lossChart = new LineChart($"{law.Name}: predicted loss (not measured)", "step", "predicted loss", false, false, lossSeries,
            [new Annotation($"optimised final {result.PredictedLoss:F4}", Corner.UpperRight)]);
        Files.Guard(png, () => FigureWriter.Write(lrChart, dir, stem));
        Files.Guard(png, () => FigureWriter.Write(lossChart, dir, stem + "-loss"));
    }
}
