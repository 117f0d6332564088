using System.Text.Json.Nodes;
using HyperLaws.Cli.Output;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Plotting;
using HyperLaws.Schedules;
using Spectre.Console;

namespace HyperLaws.Cli.Commands.Predict;

/// <summary>A prediction as a console table, one JSON object, or a figure (PNG, SVG, CSV).</summary>
internal static class PredictRenderer
{
    /// <summary>The prediction on stdout, with the files <c>--plot</c> wrote (<paramref name="written"/>): JSON <c>files</c>, or a <c>written: PATH</c> line each after the table, as contour does.</summary>
    public static void Write(CliIo io, PredictSettings settings, PredictResult result, IReadOnlyList<string> written)
    {
        ResultOutput.Write(io, settings.Json, () => ToJson(settings, result, written), () =>
        {
            Table(io, settings, result);
            foreach (string file in written) io.Out.WriteLine($"written: {file}");
        });
    }

    public static JsonObject ToJson(PredictSettings settings, PredictResult result, IReadOnlyList<string> written)
    {
        var (law, modelSize, s, at, lrs, y, band, terms) = (result.Law, settings.ModelSize, settings.Schedule, result.Steps, result.LearningRates, result.Loss, result.Band, result.Terms);
        var node = new JsonObject
        {
            ["law"] = law.Name,
            ["modelSize"] = Json.Number(modelSize),
            ["schedule"] = s.ToSpec(),
            ["steps"] = new JsonArray([.. at.Select(x => (JsonNode?)x)]),
            ["learningRates"] = new JsonArray([.. at.Select(x => (JsonNode?)lrs[x - 1])]),
            ["loss"] = new JsonArray([.. y.Select(Json.Number)]),
            ["finalLoss"] = Json.Number(y[^1]),
            ["lawLoss"] = new JsonArray([.. (result.LawLoss ?? y).Select(Json.Number)]),
            ["held"] = result.Held,
            ["stall"] = CurveStallJson.Write(settings.Law.Stalls),
            ["unidentified"] = IdentificationJson.Write(settings.Law.Unidentified),
            ["warnings"] = Json.Strings(Warnings(settings, result)),
            ["runNotes"] = RunNotesJson.Of(result.RunNotes),
            ["withheld"] = result.Withheld.ToJson(),
            ["files"] = Json.Strings(written),
        };
        if (band is not null)
        {
            // The interval of a withheld loss is not given either (its ends are the same law's values).
            JsonArray Ends(IReadOnlyList<double> v) => new([.. v.Select((x, i) => Json.Number(Given(result, i) ? x : double.NaN))]);
            node["interval"] = new JsonObject
            {
                ["level"] = band.Level,
                ["lower"] = Ends(band.Lower),
                ["median"] = Ends(band.Median),
                ["upper"] = Ends(band.Upper),
                ["final"] = Given(result, at.Length - 1)
                    ? new JsonObject { ["lower"] = Json.Number(band.Lower[^1]), ["median"] = Json.Number(band.Median[^1]), ["upper"] = Json.Number(band.Upper[^1]) }
                    : null,
            };
        }
        if (terms is not null)
            node["explain"] = new JsonObject
            {
                ["step"] = at[^1],
                ["terms"] = new JsonArray([.. terms.Select(t => (JsonNode)new JsonObject
                {
                    ["name"] = t.Name, ["formula"] = t.Formula, ["feature"] = Json.Number(t.Feature), ["contribution"] = Json.Number(t.Contribution),
                })]),
            };
        return node;
    }

    /// <summary>
    /// One warning per term LAW.json's runs did not identify (its "unidentified"), saying whether this schedule uses it: a schedule
    /// with an LR decrement gets its drop from the prior (or from a free, arbitrary value with <c>fit --no-priors</c>).
    /// </summary>
    internal static IReadOnlyList<string> Warnings(PredictSettings settings, PredictResult result) =>
        [.. TermWarnings(settings, result), .. StallWarnings(settings, result), .. result.RangeWarnings, .. result.Withheld.Texts];

    /// <summary>True when the loss at index <paramref name="i"/> is given (not withheld, <see cref="PredictResult.WithheldAt"/>).</summary>
    internal static bool Given(PredictResult result, int i) => !(i < result.WithheldAt.Length && result.WithheldAt[i]);

    /// <summary>
    /// One warning per run of LAW.json that had stopped improving (its "stall"), saying what this forecast did: held the run's recent level
    /// after its last fitted step (a law of one run, the default), or kept the law's own forecast (--no-stall-check, or several runs).
    /// </summary>
    internal static IEnumerable<string> StallWarnings(PredictSettings settings, PredictResult result) => StallHoldOptions.Warnings(settings.Law, settings.StallCheck, settings.StallHold,
        result.Held, result.Band is null ? "" : "; the interval is the law's, about its own forecast");

    /// <summary>
    /// For a command that compares candidate schedules from step 0 and applies no stall hold (rank, contour, optimize-schedule):
    /// one warning per run of <paramref name="law"/> that had stopped improving (its "stall", <see cref="HyperLaws.Fitting.CurveStall.Finding"/>),
    /// saying what predict would give instead (a law of one run: its held forecast, <see cref="PredictSettings.Hold"/>) and why it is
    /// not applied here: the candidates are new runs, not the stalled run continued (predict's premise), and a held level would give
    /// every candidate past the run's last fitted step the same loss and change no order (docs/VALIDATION.md, "The stall hold outside predict").
    /// </summary>
    internal static IReadOnlyList<string> StallNotHeld(FittedLawDocument law, string command) => [.. law.Stalls.Where(s => s.Stalled).Select(s => s.Finding(law.Law)
        + $": {command} gives the law's own losses, which fall on past it; " + (law.Runs.Count == 1
            ? FormattableString.Invariant($"predict holds this run's forecast after step {s.ToStep} (--stall-hold; the recent level {s.Level:G5}), so the losses here are likely too low; not held here: the candidates are new runs from step 0, not this run continued, and a held level would give every candidate past step {s.ToStep} the same loss and change no order")
            : "predict too keeps the law's own forecast (the law was fitted on several runs)"))];

    private static IReadOnlyList<string> TermWarnings(PredictSettings settings, PredictResult result)
    {
        if (settings.Law.Unidentified.Count == 0) return [];
        bool decays = ScheduleEvidence.Of([new FitTarget("schedule", result.History, result.Steps, new double[result.Steps.Length])]).DecayPoints > 0;
        return [.. settings.Law.Unidentified.Select(t => t.Describe() + (decays
            ? " (this schedule decays: what it predicts for the decay comes from " + (t.Prior is null ? "a free, arbitrary value)" : "the prior, not from the runs)")
            : " (this schedule does not decay: the term adds nothing here)"))];
    }

    public static void Table(CliIo io, PredictSettings settings, PredictResult result)
    {
        if (!settings.Quiet)
            foreach (string warning in Warnings(settings, result)) io.Err.WriteLine($"warning: {warning}.");
        var (law, modelSize, s, at, lrs, y, band, terms) = (result.Law, settings.ModelSize, settings.Schedule, result.Steps, result.LearningRates, result.Loss, result.Band, result.Terms);
        var console = io.Table();
        var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("step").RightAligned()).AddColumn(new TableColumn("lr").RightAligned()).AddColumn(new TableColumn("predicted loss").RightAligned());
        string pct = band is null ? "" : Format.Percent(band.Level, 0);
        if (band is not null) table.AddColumn(new TableColumn($"{pct} lower").RightAligned()).AddColumn(new TableColumn($"{pct} upper").RightAligned());
        void Row(int i)
        {
            bool given = Given(result, i);
            string[] cells = [at[i].ToString(System.Globalization.CultureInfo.InvariantCulture), Format.G(lrs[at[i] - 1]), given ? Format.G(y[i], 6) : WithheldLosses.NotGiven];
            table.AddRow(band is null ? cells : [.. cells, given ? Format.G(band.Lower[i], 6) : "-", given ? Format.G(band.Upper[i], 6) : "-"]);
        }
        int stride = Math.Max(1, at.Length / 20);
        for (int i = 0; i < at.Length; i += stride) Row(i);
        if ((at.Length - 1) % stride != 0) Row(at.Length - 1);
        console.Write(table);
        bool final = Given(result, at.Length - 1);
        string interval = band is null || !final ? "" : $" ({pct} interval {Format.G(band.Lower[^1], 6)} to {Format.G(band.Upper[^1], 6)})";
        console.MarkupLine(Markup.Escape($"{law.Name}: predicted final loss {(final ? Format.G(y[^1], 6) : "NOT GIVEN (see the warning)")}{interval} after {s.Steps} steps of {s.ToDisplaySpec()}" + (double.IsNaN(modelSize) ? "" : $" for N = {Format.Count(modelSize)}")));
        if (terms is not null)
        {
            var why = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"final loss at step {at[^1]}, term by term"))
                .AddColumn("term").AddColumn("what it is").AddColumn(new TableColumn("feature").RightAligned()).AddColumn(new TableColumn("adds to the loss").RightAligned());
            foreach (var t in terms) why.AddRow(Markup.Escape(t.Name), Markup.Escape(t.Formula), Format.G(t.Feature, 4), Format.G(t.Contribution, 5));
            console.Write(why);
        }
    }

    /// <summary>
    /// Draws the predicted curve over the whole run into settings' plot path (see <see cref="Plot(string, IFittableLaw, double[], ScheduleHistory, double, LrSchedule, FittedLawDocument, string, double?, HyperLaws.Planning.PredictionSupport?)"/>);
    /// returns the files written (the PNG, SVG and CSV; none without --plot).
    /// </summary>
    public static IReadOnlyList<string> Plot(PredictSettings settings, PredictResult result) =>
        settings.PlotPath is { } png
            ? Plot(png, result.Law, result.Parameters, result.History, settings.ModelSize, settings.Schedule, settings.Law, settings.LawPath, result.Band?.Level, result.Withheld.Support)
            : [];

    /// <summary>About this many steps of the run are drawn by <c>--plot</c>, whatever --steps asks for (the table shows those).</summary>
    public const int PlotPoints = 500;

    /// <summary>
    /// Draws the predicted curve at <see cref="PlotPoints"/> steps spread over the whole run (with its interval when the law
    /// was bootstrapped), and, when the runs LAW.json names can be read, marks the first and last logged step of the runs it
    /// was fitted on: outside them the curve is dashed, an extrapolation. A point whose loss the runs do not support (as predict
    /// withholds it: the last one, and those past the runs, <paramref name="support"/>) is not drawn (NaN in the CSV), nor its interval.
    /// </summary>
    private static IReadOnlyList<string> Plot(string png, IFittableLaw law, double[] p, ScheduleHistory history, double modelSize, LrSchedule s, FittedLawDocument doc, string lawPath, double? level,
        HyperLaws.Planning.PredictionSupport? support)
    {
        int[] at = Dense(s.Steps, PlotPoints);
        var y = new double[at.Length];
        law.Predict(p, history, modelSize, at, y);
        int withheld = support?.Mask(at, y) ?? 0;
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
        var note = double.IsNaN(y[^1]) && withheld > 0
            ? $"final loss not given at step {at[^1]} (the runs do not support it; {withheld} points not drawn)"
            : $"final loss {y[^1].ToString("F4", System.Globalization.CultureInfo.InvariantCulture)} at step {at[^1]}";
        var bands = new List<BandSeries>();
        if (level is { } lv && doc.Intervals()?.Predict(history, at, lv) is { } band)
        {
            bands.Add(new BandSeries($"{Format.Percent(band.Level, 0)} interval", x, [.. band.Lower.Select((v, i) => double.IsNaN(y[i]) ? double.NaN : v)],
                [.. band.Upper.Select((v, i) => double.IsNaN(y[i]) ? double.NaN : v)], "#7f7f7f"));
            if (!double.IsNaN(y[^1])) note += $" [{Format.G(band.Lower[^1], 5)}, {Format.G(band.Upper[^1], 5)}]";
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
        return Files.Guard(png, () => FigureWriter.Write(chart, dir, Path.GetFileNameWithoutExtension(png)));
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
}
