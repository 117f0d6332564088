using System.CommandLine;
using System.Text.Json.Nodes;
using HyperLaws.Cli.Options;
using HyperLaws.Cli.Output;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Plotting;
using HyperLaws.Schedules;
using Spectre.Console;

namespace HyperLaws.Cli.Commands;

/// <summary><c>hyperlaws predict</c>: the loss curve a fitted law predicts for a schedule.</summary>
internal static class PredictCommand
{
    public static Command Create(CliIo io)
    {
        var lawFile = CliOptions.LawFile();
        var schedule = new Option<string>("--schedule") { Description = "The schedule, e.g. 'wsd(peak=3e-4,warmup=2160,steps=24000,cooldown=0.2,shape=linear,floor=3e-5)' or its JSON form.", Required = true, HelpName = "SPEC" };
        var steps = new Option<string>("--steps") { Description = "Steps to predict: a comma list (1000,5000,24000) or 'every:K'; default 200 points and the last step.", HelpName = "LIST" };
        var plot = new Option<string>("--plot") { Description = $"Also draw the predicted curve at {PlotPoints} steps over the run (PNG; SVG and CSV beside it), dashed where it extrapolates before the first or after the last step of the runs LAW.json was fitted on.", HelpName = "OUT.png" };
        var level = BootstrapCli.Level("Level of the prediction interval (default: the level LAW.json was bootstrapped at, 0.9 unless chosen); needs a LAW.json from 'fit --bootstrap'.");
        var explain = CliOptions.Flag("--explain", "Also split the final predicted loss into the law's terms (convergence, noise features, loss drop...): why a schedule wins.");
        var size = CliOptions.ModelSize();
        var json = CliOptions.Json();
        var command = new Command("predict", "Predict the loss curve of a schedule with a fitted law (with prediction intervals when the law was bootstrapped).");
        foreach (var o in new Option[] { lawFile, schedule, steps, plot, level, explain, size, json }) command.Options.Add(o);

        command.SetAction(r =>
        {
            string path = r.GetValue(lawFile)!;
            var doc = LawRuns.LoadLaw(path);
            var (law, p) = doc.Instantiate();
            if (doc.Bootstrap is null && r.GetValue(level) is not null)
                throw new UserInputException($"--level: {path} has no bootstrap to draw an interval from (fit it with --bootstrap N).");
            double modelSize = ModelSize(r.GetValue(size), law is SizedLaw, path);
            LrSchedule s;
            try
            {
                s = LrSchedule.Parse(r.GetValue(schedule)!);
                ScheduleMemory.Check(s.Steps);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or IOException)
            {
                throw new UserInputException($"--schedule: {e.Message}");
            }
            var lrs = s.Evaluate();
            int[] at = Steps(r.GetValue(steps), s.Steps);
            var y = new double[at.Length];
            var history = new ScheduleHistory(lrs);
            law.Predict(p, history, modelSize, at, y);
            int bad = Array.FindIndex(y, v => !double.IsFinite(v));
            if (bad >= 0)
                throw new UserInputException($"--law: {ErrorText.Echo(path)} predicts a non-finite loss ({y[bad]}) at step {at[bad]}: its parameters are out of range for this schedule.");
            var band = doc.Intervals()?.Predict(history, at, r.GetValue(level) ?? doc.Bootstrap!.Level);
            IReadOnlyList<LawTerm>? terms = null;
            if (r.GetValue(explain))
                terms = law is IExplainableLaw explainable ? explainable.Explain(p, history, at[^1])
                    : throw new UserInputException($"--explain: the {law.Name} law cannot split its prediction into terms.");

            if (r.GetValue(plot) is { } png)
                Plot(png, law, p, history, modelSize, s, doc, path, band?.Level);
            if (r.GetValue(json))
            {
                var node = new JsonObject
                {
                    ["law"] = law.Name,
                    ["modelSize"] = Json.Number(modelSize),
                    ["schedule"] = s.ToSpec(),
                    ["steps"] = new JsonArray([.. at.Select(x => (JsonNode?)x)]),
                    ["learningRates"] = new JsonArray([.. at.Select(x => (JsonNode?)lrs[x - 1])]),
                    ["loss"] = new JsonArray([.. y.Select(Json.Number)]),
                    ["finalLoss"] = Json.Number(y[^1]),
                };
                if (band is not null)
                    node["interval"] = new JsonObject
                    {
                        ["level"] = band.Level,
                        ["lower"] = new JsonArray([.. band.Lower.Select(Json.Number)]),
                        ["median"] = new JsonArray([.. band.Median.Select(Json.Number)]),
                        ["upper"] = new JsonArray([.. band.Upper.Select(Json.Number)]),
                        ["final"] = new JsonObject { ["lower"] = Json.Number(band.Lower[^1]), ["median"] = Json.Number(band.Median[^1]), ["upper"] = Json.Number(band.Upper[^1]) },
                    };
                if (terms is not null)
                    node["explain"] = new JsonObject
                    {
                        ["step"] = at[^1],
                        ["terms"] = new JsonArray([.. terms.Select(t => (JsonNode)new JsonObject
                        {
                            ["name"] = t.Name, ["formula"] = t.Formula, ["feature"] = Json.Number(t.Feature), ["contribution"] = Json.Number(t.Contribution),
                        })]),
                    };
                io.Out.WriteLine(Json.Serialize(node));
                return 0;
            }
            var console = io.Table();
            var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("step").RightAligned()).AddColumn(new TableColumn("lr").RightAligned()).AddColumn(new TableColumn("predicted loss").RightAligned());
            string pct = band is null ? "" : Format.Percent(band.Level, 0);
            if (band is not null) table.AddColumn(new TableColumn($"{pct} lower").RightAligned()).AddColumn(new TableColumn($"{pct} upper").RightAligned());
            void Row(int i)
            {
                string[] cells = [at[i].ToString(System.Globalization.CultureInfo.InvariantCulture), Format.G(lrs[at[i] - 1]), Format.G(y[i], 6)];
                table.AddRow(band is null ? cells : [.. cells, Format.G(band.Lower[i], 6), Format.G(band.Upper[i], 6)]);
            }
            int stride = Math.Max(1, at.Length / 20);
            for (int i = 0; i < at.Length; i += stride) Row(i);
            if ((at.Length - 1) % stride != 0) Row(at.Length - 1);
            console.Write(table);
            string interval = band is null ? "" : $" ({pct} interval {Format.G(band.Lower[^1], 6)} to {Format.G(band.Upper[^1], 6)})";
            console.MarkupLine(Markup.Escape($"{law.Name}: predicted final loss {Format.G(y[^1], 6)}{interval} after {s.Steps} steps of {s.ToSpec()}" + (double.IsNaN(modelSize) ? "" : $" for N = {Format.Count(modelSize)}")));
            if (terms is not null)
            {
                var why = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"final loss at step {at[^1]}, term by term"))
                    .AddColumn("term").AddColumn("what it is").AddColumn(new TableColumn("feature").RightAligned()).AddColumn(new TableColumn("adds to the loss").RightAligned());
                foreach (var t in terms) why.AddRow(Markup.Escape(t.Name), Markup.Escape(t.Formula), Format.G(t.Feature, 4), Format.G(t.Contribution, 5));
                console.Write(why);
            }
            return 0;
        });
        return command;
    }

    /// <summary>About this many steps of the run are drawn by <c>--plot</c>, whatever --steps asks for (the table shows those).</summary>
    public const int PlotPoints = 500;

    /// <summary>
    /// Draws the predicted curve at <see cref="PlotPoints"/> steps spread over the whole run (with its interval when the law
    /// was bootstrapped), and, when the runs LAW.json names can be read, marks the first and last logged step of the runs it
    /// was fitted on: outside them the curve is dashed, an extrapolation.
    /// </summary>
    private static void Plot(string png, IFittableLaw law, double[] p, ScheduleHistory history, double modelSize, LrSchedule s, FittedLawDocument doc, string lawPath, double? level)
    {
        int[] at = Dense(s.Steps, PlotPoints);
        var y = new double[at.Length];
        law.Predict(p, history, modelSize, at, y);
        var x = at.Select(v => (double)v).ToArray();
        var (first, last) = FittedSteps(doc, lawPath);
        bool known = first is not null && last is not null;
        // The first steps' loss is far above the rest (it falls like a power of the LR area) and would flatten the curve:
        // points above twice the span between the reference step (the first fitted step, else 5% of the run) and the lowest
        // loss are left out of the drawing (NaN in the CSV), and the note says so.
        double reference = known ? first!.Value : 0.05 * s.Steps;
        int r0 = Math.Max(0, Array.FindIndex(x, v => v >= reference));
        double lowest = y.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min();
        double ceiling = y[r0] + (y[r0] - lowest);
        int cut = y.Count(v => v > ceiling);
        y = [.. y.Select(v => v > ceiling ? double.NaN : v)];
        bool Inside(int i) => !known || x[i] >= first!.Value && x[i] <= last!.Value;
        // The fitted part solid; the extrapolated parts dashed in the same colour (NaN breaks the line between them).
        const string blue = "#1f77b4";
        var series = new List<LineSeries> { new("predicted loss", x, [.. y.Select((v, i) => Inside(i) ? v : double.NaN)], ColorHex: blue) };
        bool before = known && x[0] < first!.Value, after = known && x[^1] > last!.Value;
        if (before || after)
        {
            // Each dashed part includes the boundary point, so the solid and dashed parts meet.
            bool Out(int i) => x[i] < first!.Value || x[i] > last!.Value;
            var outside = y.Select((v, i) => Out(i) || i > 0 && Out(i - 1) || i < x.Length - 1 && Out(i + 1) ? v : double.NaN).ToArray();
            series.Add(new LineSeries("extrapolated (outside the fitted steps)", x, outside, Dashed: true, ColorHex: blue));
        }
        var note = $"final loss {y[^1].ToString("F4", System.Globalization.CultureInfo.InvariantCulture)} at step {at[^1]}";
        var bands = new List<BandSeries>();
        if (level is { } lv && doc.Intervals()?.Predict(history, at, lv) is { } band)
        {
            bands.Add(new BandSeries($"{Format.Percent(band.Level, 0)} interval", x, [.. band.Lower.Select((v, i) => double.IsNaN(y[i]) ? double.NaN : v)],
                [.. band.Upper.Select((v, i) => double.IsNaN(y[i]) ? double.NaN : v)], "#7f7f7f"));
            note += $" [{Format.G(band.Lower[^1], 5)}, {Format.G(band.Upper[^1], 5)}]";
        }
        if (cut > 0) note += $"\nthe first {cut} of {x.Length} points (loss above {Format.G(ceiling, 4)}) are not drawn";
        var markers = new List<VerticalMarker>();
        if (known)
        {
            if (first!.Value > 1) markers.Add(new VerticalMarker(first.Value, $"first fitted step {first.Value:0}"));
            if (last!.Value < s.Steps) markers.Add(new VerticalMarker(last.Value, $"last fitted step {last.Value:0}"));
        }
        else
        {
            note += doc.Runs.Count == 0 ? "\nfitted steps unknown (LAW.json names no runs)" : "\nfitted steps unknown (the runs LAW.json names cannot be read)";
        }
        var chart = new LineChart($"{law.Name} prediction: {s.Family} schedule", "step", "predicted loss", false, false,
            series, [new Annotation(note, Corner.UpperRight)], markers, bands);
        string dir = Path.GetDirectoryName(Path.GetFullPath(png))!;
        Files.Guard(png, () => FigureWriter.Write(chart, dir, Path.GetFileNameWithoutExtension(png)));
    }

    /// <summary>About <paramref name="points"/> steps spread evenly over 1..<paramref name="total"/> (every step when fewer), the last included.</summary>
    internal static int[] Dense(int total, int points) =>
        total <= points ? [.. Enumerable.Range(1, total)]
        : [.. Enumerable.Range(0, points).Select(i => 1 + (int)Math.Round((double)i * (total - 1) / (points - 1))).Distinct()];

    /// <summary>
    /// The first and last logged step of the runs LAW.json was fitted on (paths absolute or relative to LAW.json's folder);
    /// nulls when any of them is missing or unreadable, so that a partial range is never drawn as the fitted one.
    /// </summary>
    internal static (double? First, double? Last) FittedSteps(FittedLawDocument doc, string lawPath)
    {
        if (doc.Runs.Count == 0) return (null, null);
        string dir = Path.GetDirectoryName(Path.GetFullPath(lawPath))!;
        double first = double.PositiveInfinity, last = double.NegativeInfinity;
        foreach (string run in doc.Runs)
        {
            string? file = File.Exists(run) ? run : File.Exists(Path.Combine(dir, run)) ? Path.Combine(dir, run) : null;
            if (file is null) return (null, null);
            try
            {
                var read = Readers.RunReader.Read(file);
                if (read.Observations.Count == 0) return (null, null);
                first = Math.Min(first, read.Observations.Min(o => o.Step));
                last = Math.Max(last, read.Observations.Max(o => o.Step));
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                return (null, null);
            }
        }
        return (first, last);
    }

    /// <summary>The --params value: required for a law across sizes, refused for a law of one size.</summary>
    /// <summary>
    /// The model size of --params for a law fitted across sizes (NaN for a law of one size). With
    /// <paramref name="usedElsewhere"/> (e.g. by a divergence screen), --params may also go with a law of one size.
    /// </summary>
    internal static double ModelSize(string? text, bool acrossSizes, string path, bool usedElsewhere = false)
    {
        if (text is null)
            return acrossSizes ? throw new UserInputException($"--params: {path} holds a law fitted across model sizes; give the model size, e.g. --params 400M.") : double.NaN;
        if (!acrossSizes)
            return usedElsewhere ? double.NaN : throw new UserInputException($"--params: {path} holds a law of one model size; fit it with 'fit --across-sizes' to predict other sizes.");
        if (!Quantity.TryParse(text, out double n) || !(n > 0) || !double.IsFinite(n))
            throw new UserInputException($"--params: '{text}' is not a positive number of parameters (e.g. 400M or 4e8).");
        return n;
    }

    private static int[] Steps(string? text, int total)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Enumerable.Range(1, 200).Select(i => (int)Math.Round((double)i * total / 200)).Where(x => x >= 1).Distinct().ToArray();
        if (text.StartsWith("every:", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(text[6..], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int k) || k < 1)
                throw new UserInputException($"--steps: '{text}' needs a positive whole number after 'every:'.");
            return [.. Enumerable.Range(1, total / k).Select(i => i * k), .. total % k == 0 ? Array.Empty<int>() : [total]];
        }
        var list = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Quantity.TryParse(part, out double v) || v != Math.Floor(v) || v < 1 || v > total)
                throw new UserInputException($"--steps: '{part}' is not a step in 1..{total}.");
            list.Add((int)v);
        }
        if (list.Count == 0) throw new UserInputException("--steps: no steps given.");
        return list.Distinct().Order().ToArray();
    }
}
