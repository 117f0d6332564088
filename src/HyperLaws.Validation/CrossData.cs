using System.Text.Json;
using HyperLaws.Laws;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 14 of docs/VALIDATION.md: the schedule laws on public training runs from outside shared/data (other producers,
/// optimizers, sizes, schedules), listed with their schedules in a manifest (benchmarks/foreign-runs/manifest.json; the
/// logs are extracted beside it by benchmarks/foreign-runs/fetch.sh).
/// <list type="bullet">
/// <item>14a: each run, each law fitted (default options) on its validation losses at steps &lt;= floor(S/2), predicting the
/// validation loss at S; the baseline <c>last</c> predicts the last validation loss fitted on. Per data set the mean relative
/// error; per law the mean of the set means and the sets it wins.</item>
/// <item>14b: each law fitted on the whole validation curve of the manifest's <c>horizonTransfer.from</c> run, predicting the
/// final validation loss of its <c>horizonTransfer.to</c> run.</item>
/// </list>
/// </summary>
public static class CrossData
{
    /// <summary>The manifest's file name in the data folder.</summary>
    public const string ManifestName = "manifest.json";

    /// <summary>The name of the baseline in the results.</summary>
    public const string Baseline = "last";

    /// <summary>Reads the manifest and every run it lists (each with its schedule, when it has one).</summary>
    /// <returns>The runs in manifest order, and the 14b pair (from, to) when the manifest names one.</returns>
    /// <exception cref="ValidationDataException">The manifest or a run is missing or unreadable.</exception>
    public static (IReadOnlyList<CrossDataRun> Runs, (string From, string To)? Horizon) Load(string dir)
    {
        string manifest = Path.Combine(dir, ManifestName);
        if (!File.Exists(manifest))
            throw new ValidationDataException($"{manifest}: not found (make the folder with benchmarks/foreign-runs/fetch.sh DIR).");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(manifest));
        }
        catch (JsonException e)
        {
            throw new ValidationDataException($"{manifest}: not valid JSON ({e.Message}).");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("runs", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new ValidationDataException($"{manifest}: expected an object with a \"runs\" list.");
            var runs = new List<CrossDataRun>();
            int i = 0;
            foreach (var e in list.EnumerateArray())
            {
                string where = $"{manifest}:runs[{i++}]";
                string set = Text(e, "set", where), name = Text(e, "run", where), file = Text(e, "file", where);
                string? schedule = e.TryGetProperty("schedule", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                string path = Path.Combine(dir, file);
                if (!File.Exists(path)) throw new ValidationDataException($"{where}: {path} not found (run benchmarks/foreign-runs/fetch.sh).");
                try
                {
                    runs.Add(new CrossDataRun(set, name, RunReader.Read(path, new RunReadOptions { Schedule = schedule })));
                }
                catch (FormatException x)
                {
                    throw new ValidationDataException(x.Message);
                }
            }
            if (runs.Count == 0) throw new ValidationDataException($"{manifest}: no runs listed.");
            (string, string)? horizon = null;
            if (root.TryGetProperty("horizonTransfer", out var h))
            {
                string from = Text(h, "from", $"{manifest}:horizonTransfer"), to = Text(h, "to", $"{manifest}:horizonTransfer");
                foreach (string n in new[] { from, to })
                    if (!runs.Any(r => r.Name == n)) throw new ValidationDataException($"{manifest}:horizonTransfer: no run named '{n}'.");
                horizon = (from, to);
            }
            return (runs, horizon);
        }
    }

    private static string Text(JsonElement e, string key, string where) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s : throw new ValidationDataException($"{where}: missing \"{key}\" (a string).");

    /// <summary>Runs protocol 14 on the loaded runs with the given laws.</summary>
    public static CrossDataResult Run(IReadOnlyList<CrossDataRun> runs, (string From, string To)? horizon, IReadOnlyList<string> laws, Action<string>? progress = null)
    {
        var predictions = new List<CrossDataPrediction>();
        foreach (var r in runs)
        {
            int s = r.Run.Steps, half = s / 2;
            var val = r.Run.Split(LossSplit.Validation).ToList();
            var fitted = val.Where(o => o.Step <= half).ToList();
            double actual = val.Where(o => o.Step == s).Select(o => o.Loss).DefaultIfEmpty(double.NaN).Last();
            if (double.IsNaN(actual)) throw new ValidationDataException($"{r.Run.Metadata.Source ?? r.Name}: no validation loss at the last step {s} to predict.");
            if (fitted.Count == 0) throw new ValidationDataException($"{r.Run.Metadata.Source ?? r.Name}: no validation loss in the first half (steps <= {half}).");
            predictions.Add(new CrossDataPrediction(r.Set, r.Name, Baseline, r.Name, fitted.Count, s, fitted[^1].Loss, actual, null));
            foreach (string law in laws)
            {
                progress?.Invoke($"{r.Name}: {law} on {fitted.Count} points (steps <= {half}) ...");
                predictions.Add(Predict(r.Set, r.Name, law, [FitTarget.Of(r.Run, fitted)], r.Name, fitted.Count, r.Run, actual));
            }
        }
        var sets = runs.Select(r => r.Set).Distinct().ToList();
        var names = new List<string>(laws) { Baseline };
        var means = names.ToDictionary(n => n, n => sets.ToDictionary(set => set, set =>
        {
            var errs = predictions.Where(p => p.Law == n && p.Set == set && double.IsFinite(p.RelativeError)).Select(p => p.RelativeError).ToList();
            return errs.Count > 0 ? errs.Average() : double.NaN;
        }));
        var wins = laws.ToDictionary(l => l, _ => 0);
        foreach (string set in sets)
        {
            var best = laws.Where(l => double.IsFinite(means[l][set])).OrderBy(l => means[l][set]).FirstOrDefault();
            if (best is not null) wins[best]++;
        }
        var summaries = names.Select(n =>
        {
            var finite = means[n].Values.Where(double.IsFinite).ToList();
            return new CrossDataLawSummary(n, means[n], finite.Count > 0 ? finite.Average() : double.NaN, wins.GetValueOrDefault(n),
                predictions.Count(p => p.Law == n && !double.IsFinite(p.RelativeError)));
        }).ToList();

        var transfer = new List<CrossDataPrediction>();
        if (horizon is { } pair)
        {
            var from = runs.First(r => r.Name == pair.From);
            var to = runs.First(r => r.Name == pair.To);
            var points = from.Run.Split(LossSplit.Validation).ToList();
            double actual = to.Run.Split(LossSplit.Validation).Where(o => o.Step == to.Run.Steps).Select(o => o.Loss).DefaultIfEmpty(double.NaN).Last();
            transfer.Add(new CrossDataPrediction(to.Set, to.Name, Baseline, from.Name, points.Count, to.Run.Steps, points[^1].Loss, actual, null));
            foreach (string law in laws)
            {
                progress?.Invoke($"{from.Name} -> {to.Name}: {law} on {points.Count} points ...");
                transfer.Add(Predict(to.Set, to.Name, law, [FitTarget.Of(from.Run, points)], from.Name, points.Count, to.Run, actual));
            }
        }
        return new CrossDataResult(sets, predictions, summaries, transfer);
    }

    /// <summary>Fits <paramref name="law"/> on the targets and predicts <paramref name="target"/>'s last step; a failure is recorded, not thrown.</summary>
    private static CrossDataPrediction Predict(string set, string run, string law, IReadOnlyList<FitTarget> targets, string fittedOn, int points, TrainingRun target, double actual)
    {
        try
        {
            var fit = LawFitter.Fit(LawCatalog.Create(law), targets);
            if (!fit.HasFiniteParameters) return new CrossDataPrediction(set, run, law, fittedOn, points, target.Steps, double.NaN, actual, "non-finite parameters");
            double predicted = fit.Predict(new ScheduleHistory(target.LearningRates), [target.Steps])[0];
            return new CrossDataPrediction(set, run, law, fittedOn, points, target.Steps, predicted, actual, double.IsFinite(predicted) ? null : "non-finite prediction");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return new CrossDataPrediction(set, run, law, fittedOn, points, target.Steps, double.NaN, actual, e.Message);
        }
    }
}
