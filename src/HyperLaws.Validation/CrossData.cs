using System.Text.Json;
using HyperLaws.Fitting;
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
/// <item>14c (the default since): the same with <see cref="IdentifiedFitter"/>'s fits, and <see cref="Select"/>, a law chosen per run on
/// the fitted half alone.</item>
/// </list>
/// </summary>
public static class CrossData
{
    /// <summary>The manifest's file name in the data folder.</summary>
    public const string ManifestName = "manifest.json";

    /// <summary>The name of the baseline in the results.</summary>
    public const string Baseline = "last";

    /// <summary>Reads the manifest and every run it lists (each with its schedule, when it has one).</summary>
    /// <param name="dir">The data folder.</param>
    /// <param name="fetchScript">The script that makes the folder, named in the messages when the manifest or a run is missing.</param>
    /// <returns>The runs in manifest order, and the 14b pair (from, to) when the manifest names one.</returns>
    /// <exception cref="ValidationDataException">The manifest or a run is missing or unreadable.</exception>
    public static (IReadOnlyList<CrossDataRun> Runs, (string From, string To)? Horizon) Load(string dir, string fetchScript = "benchmarks/foreign-runs/fetch.sh")
    {
        string manifest = Path.Combine(dir, ManifestName);
        if (!File.Exists(manifest))
            throw new ValidationDataException($"{manifest}: not found (make the folder with {fetchScript} DIR).");
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
                if (!File.Exists(path)) throw new ValidationDataException($"{where}: {path} not found (run {fetchScript}).");
                try
                {
                    runs.Add(new CrossDataRun(set, name, RunReader.Read(path, new RunReadOptions { Schedule = schedule, ScheduleFolder = Path.GetFullPath(dir) })));
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

    internal static string Text(JsonElement e, string key, string where) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s : throw new ValidationDataException($"{where}: missing \"{key}\" (a string).");

    /// <summary>The name of protocol 14c's held-out choice among the laws in the results.</summary>
    public const string Select = "select";

    /// <summary>
    /// Runs protocol 14 on the loaded runs with the given laws. With <paramref name="priors"/> (the default) each fit
    /// is <see cref="IdentifiedFitter.Fit"/>'s (unidentified decay terms held at <see cref="DecayPrior"/>); false: the fit as of
    /// protocol 14 (<see cref="LawFitter.Fit"/>, terms left free). With more than one law, <see cref="Select"/> (14c) is added: per run
    /// the law whose fit on the validation losses at steps &lt;= S/4 has the lowest mean relative error on those in (S/4, S/2].
    /// </summary>
    /// <param name="runs">The runs.</param>
    /// <param name="horizon">14b's pair, or null.</param>
    /// <param name="laws">The laws.</param>
    /// <param name="progress">Progress lines, or null.</param>
    /// <param name="priors">False: every term left free (as <see cref="IdentificationRule.Free"/>).</param>
    /// <param name="rule">When a decay is held at its prior (<see cref="IdentifiedFitter.DefaultRule"/> when null; protocol 14e/15e: <see cref="IdentificationRule.Evidence"/>).</param>
    /// <param name="stallCheck">
    /// <see cref="StallCheck"/> on each fit (the default): a law whose fitted curve has stopped improving predicts the curve's recent level
    /// (the law's own prediction is kept in <see cref="CrossDataPrediction.LawPredicted"/>); false: the law's own prediction, as before.
    /// <see cref="Select"/> chooses by the laws' own held-out scores either way and takes the chosen law's prediction.
    /// </param>
    /// <param name="hold">What a stalled curve's forecast holds (<see cref="StallHold"/>; the recent level, or the law's progress alone).</param>
    public static CrossDataResult Run(IReadOnlyList<CrossDataRun> runs, (string From, string To)? horizon, IReadOnlyList<string> laws, Action<string>? progress = null, bool priors = true, IdentificationRule? rule = null, bool stallCheck = true, StallHold hold = StallCheck.DefaultHold)
    {
        var how = priors ? rule ?? IdentifiedFitter.DefaultRule : IdentificationRule.Free;
        var predictions = new List<CrossDataPrediction>();
        bool select = laws.Count > 1;
        foreach (var r in runs)
        {
            int s = r.Run.Steps, half = s / 2, quarter = s / 4;
            var val = r.Run.Split(LossSplit.Validation).ToList();
            var fitted = val.Where(o => o.Step <= half).ToList();
            double actual = val.Where(o => o.Step == s).Select(o => o.Loss).DefaultIfEmpty(double.NaN).Last();
            if (double.IsNaN(actual)) throw new ValidationDataException($"{r.Run.Metadata.Source ?? r.Name}: no validation loss at the last step {s} to predict.");
            if (fitted.Count == 0) throw new ValidationDataException($"{r.Run.Metadata.Source ?? r.Name}: no validation loss in the first half (steps <= {half}).");
            predictions.Add(new CrossDataPrediction(r.Set, r.Name, Baseline, r.Name, fitted.Count, s, fitted[^1].Loss, actual, null));
            var mine = new List<CrossDataPrediction>();
            foreach (string law in laws)
            {
                progress?.Invoke($"{r.Name}: {law} on {fitted.Count} points (steps <= {half}) ...");
                mine.Add(Predict(r.Set, r.Name, law, [FitTarget.Of(r.Run, fitted)], r.Name, fitted.Count, r.Run, actual, how, stallCheck, hold));
            }
            predictions.AddRange(mine);
            if (select)
            {
                var early = fitted.Where(o => o.Step <= quarter).ToList();
                var held = fitted.Where(o => o.Step > quarter).ToList();
                string? chosen = null;
                double bestScore = double.PositiveInfinity;
                if (early.Count > 0 && held.Count > 0)
                    foreach (string law in laws)
                    {
                        progress?.Invoke($"{r.Name}: {law} on {early.Count} points (steps <= {quarter}), held out to {half} ...");
                        double score = HeldOut(law, FitTarget.Of(r.Run, early), held, r.Run, how);
                        if (score < bestScore) (bestScore, chosen) = (score, law);
                    }
                var pick = chosen is null ? null : mine.First(p => p.Law == chosen);
                predictions.Add(pick is null
                    ? new CrossDataPrediction(r.Set, r.Name, Select, r.Name, fitted.Count, s, double.NaN, actual, "no law fitted the first quarter")
                    : pick with { Law = Select, Chosen = chosen });
            }
        }
        var sets = runs.Select(r => r.Set).Distinct().ToList();
        var names = new List<string>(laws);
        if (select) names.Add(Select);
        names.Add(Baseline);
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
            var mine = predictions.Where(p => p.Law == n).ToList();
            return new CrossDataLawSummary(n, means[n], finite.Count > 0 ? finite.Average() : double.NaN, wins.GetValueOrDefault(n),
                mine.Count(p => !double.IsFinite(p.RelativeError)), mine.Select(p => p.RelativeError).Where(double.IsFinite).ToList() is { Count: > 0 } errors ? PlanBacktest.Median(errors) : double.NaN,
                mine.Count(p => p.Priors.Count > 0), mine.Count(p => p.NonPhysical), mine.Count(p => p.Held));
        }).ToList();

        var transfer = new List<CrossDataPrediction>();
        if (horizon is { } pair)
            Transfer(transfer, runs.First(r => r.Name == pair.From), runs.First(r => r.Name == pair.To), laws, progress, how, stallCheck, hold);
        return new CrossDataResult(sets, predictions, summaries, transfer);
    }

    /// <summary>
    /// One horizon transfer (14's and 17b's): appends to <paramref name="into"/> the baseline (<paramref name="from"/>'s last validation
    /// loss) and each law fitted on <paramref name="from"/>'s validation points predicting <paramref name="to"/>'s validation loss at
    /// its last step.
    /// </summary>
    /// <exception cref="ValidationDataException"><paramref name="from"/> has no validation loss, or <paramref name="to"/> none at its last step.</exception>
    internal static void Transfer(List<CrossDataPrediction> into, CrossDataRun from, CrossDataRun to, IReadOnlyList<string> laws, Action<string>? progress, IdentificationRule how, bool stallCheck, StallHold hold)
    {
        var points = from.Run.Split(LossSplit.Validation).ToList();
        double actual = to.Run.Split(LossSplit.Validation).Where(o => o.Step == to.Run.Steps).Select(o => o.Loss).DefaultIfEmpty(double.NaN).Last();
        if (points.Count == 0 || double.IsNaN(actual))
            throw new ValidationDataException($"{from.Name} -> {to.Name}: no validation loss to fit on or none at the longer run's last step.");
        into.Add(new CrossDataPrediction(to.Set, to.Name, Baseline, from.Name, points.Count, to.Run.Steps, points[^1].Loss, actual, null));
        foreach (string law in laws)
        {
            progress?.Invoke($"{from.Name} -> {to.Name}: {law} on {points.Count} points ...");
            into.Add(Predict(to.Set, to.Name, law, [FitTarget.Of(from.Run, points)], from.Name, points.Count, to.Run, actual, how, stallCheck, hold));
        }
    }

    /// <summary>14c's held-out score: the mean relative error on <paramref name="held"/> of <paramref name="law"/> fitted on <paramref name="early"/>; +infinity when the fit fails or predicts a non-finite or non-positive loss.</summary>
    private static double HeldOut(string law, FitTarget early, IReadOnlyList<LossObservation> held, TrainingRun run, IdentificationRule rule)
    {
        try
        {
            var fit = Fit(law, [early], rule).Fit;
            if (!fit.HasFiniteParameters) return double.PositiveInfinity;
            var y = fit.Predict(new ScheduleHistory(run.LearningRates), [.. held.Select(o => o.Step)]);
            double sum = 0;
            for (int i = 0; i < y.Length; i++)
            {
                if (!(y[i] > 0) || !double.IsFinite(y[i])) return double.PositiveInfinity;
                sum += Math.Abs(y[i] - held[i].Loss) / held[i].Loss;
            }
            return sum / y.Length;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return double.PositiveInfinity;
        }
    }

    private static IdentifiedFit Fit(string law, IReadOnlyList<FitTarget> targets, IdentificationRule rule) =>
        IdentifiedFitter.Fit(LawCatalog.Create(law), targets, rule: rule);

    /// <summary>
    /// Fits <paramref name="law"/> on the targets and predicts <paramref name="target"/>'s last step; a failure is recorded, not thrown (also
    /// protocol 17b's, <see cref="CrossDataLrSchedule"/>). With <paramref name="stallCheck"/>, a fitted (single) curve that <see cref="StallCheck"/>
    /// finds stalled is forecast by <paramref name="hold"/> (<see cref="StallCheck.Forecast(CurveStall, StallHold, ILossLaw, double[], ScheduleHistory, ScheduleHistory, int[], double[], double)"/>:
    /// the recent level, or the law's progress held at the fitted window's end and its later drop kept).
    /// </summary>
    internal static CrossDataPrediction Predict(string set, string run, string law, IReadOnlyList<FitTarget> targets, string fittedOn, int points, TrainingRun target, double actual, IdentificationRule rule, bool stallCheck, StallHold hold)
    {
        try
        {
            var identified = Fit(law, targets, rule);
            var fit = identified.Fit;
            var held = identified.UsedPriors ? identified.Unidentified.Where(u => u.Prior is not null).Select(u => u.Term).ToList() : [];
            if (!fit.HasFiniteParameters) return new CrossDataPrediction(set, run, law, fittedOn, points, target.Steps, double.NaN, actual, "non-finite parameters") { Priors = held, Evidence = identified.Evidence };
            var history = new ScheduleHistory(target.LearningRates);
            double own = fit.Predict(history, [target.Steps])[0];
            var stall = targets.Count == 1 ? StallCheck.Of(fit, targets)[0] : null;
            double predicted = stallCheck && stall is not null && double.IsFinite(own)
                ? StallCheck.Forecast(stall, hold, fit.Law, fit.Parameters, history, targets[0].History, [target.Steps], [own])[0] : own;
            return new CrossDataPrediction(set, run, law, fittedOn, points, target.Steps, predicted, actual, double.IsFinite(predicted) ? null : "non-finite prediction")
            {
                Priors = held, Evidence = identified.Evidence, Stall = stall, LawPredicted = own, Held = predicted != own,
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            return new CrossDataPrediction(set, run, law, fittedOn, points, target.Steps, double.NaN, actual, e.Message);
        }
    }
}
