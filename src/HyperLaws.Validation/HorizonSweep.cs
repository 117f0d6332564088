using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HyperLaws.Divergence;
using HyperLaws.Laws.Joint;
using HyperLaws.Numerics;
using HyperLaws.Readers;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 25 (docs/VALIDATION.md "Protocol 25", declared before scoring): the peak LR swept at 13 horizons of one model, a source
/// outside shared/data: Marin's <c>LR_datasize</c> runs table (Muon and MuonH on 130M, 1B-128B tokens, one final loss per run;
/// benchmarks/foreign-runs-hyperball/fetch.sh, <see cref="RunsTableReader"/>). Per optimizer, the joint law (its defaults, no cell
/// offsets) is fitted on the runs at D &lt;= <see cref="FitMaxTokens"/> and predicts every run beyond: (a) each run's final loss
/// against a per-LR log-log line in D and a flat hold of the longest fitted horizon; (b) each horizon's optimal peak LR against the
/// sweep's best, beside a flat hold of the longest fitted horizon's best LR and a log-log line of the best LR in D. Runs above twice
/// their horizon's best loss would be diverged and not fitted (protocol 20's label; none is in this source).
/// </summary>
public static class HorizonSweep
{
    /// <summary>The longest fitted horizon in tokens (the declaration's split: 1-8B fitted, 12-128B predicted).</summary>
    public const double FitMaxTokens = 8e9;

    /// <summary>Points of the optimum's LR grid (protocol 20's).</summary>
    public const int OptimumGrid = 49;

    /// <summary>Rule (ii): held-out horizons (of 8) where the law's optimum must be within x2 of the best.</summary>
    public const int MinWithin2 = 6;

    /// <summary>The folder's manifest (<c>DIR/manifest.json</c>, written by fetch.sh): its <c>file</c> read with its <c>facts</c>.</summary>
    /// <exception cref="ValidationDataException">The manifest or the file is missing or malformed.</exception>
    public static SweepTable Load(string dir)
    {
        const string fetch = "benchmarks/foreign-runs-hyperball/fetch.sh";
        string manifest = Path.Combine(dir, CrossData.ManifestName);
        if (!File.Exists(manifest)) throw new ValidationDataException($"{manifest}: not found (protocol 25 reads the folder {fetch} DIR makes).");
        string file;
        RunsTableFacts facts;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("file", out var f) || f.ValueKind != JsonValueKind.String || !root.TryGetProperty("facts", out var x) || x.ValueKind != JsonValueKind.Object)
                throw new ValidationDataException($"{manifest}: expected an object with a \"file\" and \"facts\".");
            file = Path.Combine(dir, f.GetString()!);
            double Number(string key) => x.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Refused(key, "a number");
            int warmup = x.TryGetProperty("warmupSteps", out var w) && w.ValueKind == JsonValueKind.Number && w.GetDouble() is var wd && wd >= 0 && wd <= 1e9 && wd == Math.Floor(wd)
                ? (int)wd : throw Refused("warmupSteps", "a whole number of steps in [0, 1e9]");
            double? fraction = x.TryGetProperty("decayFraction", out var df) && df.ValueKind is JsonValueKind.Number or JsonValueKind.Null
                ? (df.ValueKind == JsonValueKind.Number ? df.GetDouble() : null) : throw Refused("decayFraction", "a number or null (every step after the warmup)");
            bool linear = x.TryGetProperty("linearDecay", out var ld) && ld.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? ld.ValueKind == JsonValueKind.True : throw Refused("linearDecay", "true or false (false: cosine)");
            facts = new RunsTableFacts(Number("parameters"), Number("batchTokens"), Number("sequenceLength"), warmup, Number("minLrRatio"), fraction, linear);
        }
        catch (JsonException e) { throw new ValidationDataException($"{manifest}: not valid JSON ({e.Message})."); }
        ValidationDataException Refused(string key, string expected) => new($"{manifest}: facts.{key}: expected {expected}.");
        if (facts.Problem() is { } problem) throw new ValidationDataException($"{manifest}: facts: {problem}");
        if (!File.Exists(file)) throw new ValidationDataException($"{file}: not found (run {fetch}).");
        try { return RunsTableReader.Read(file, facts); }
        catch (RunFormatException e) { throw new ValidationDataException(e.Message); }
    }

    /// <summary>Runs protocol 25 on <paramref name="table"/> (<paramref name="options"/>: default the joint law's defaults).</summary>
    /// <exception cref="ValidationDataException">An optimizer has fewer than two fitted horizons or no held-out one.</exception>
    public static HorizonSweepResult Run(SweepTable table, Action<string>? progress = null, JointFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= new JointFitOptions();
        var watch = Stopwatch.StartNew();
        var assumption = new SweepScheduleAssumption();
        var runs = new List<HorizonSweepRun>();
        var horizons = new List<HorizonSweepHorizon>();
        var summaries = new List<HorizonSweepSummary>();
        foreach (string opt in table.Points.Select(p => Optimizer(p.Configuration)).Distinct(StringComparer.Ordinal))
        {
            var cells = table.Points.Where(p => Optimizer(p.Configuration) == opt).GroupBy(p => p.D).OrderBy(g => g.Key)
                .Select(g => (D: g.Key, Runs: SweepFinite.Of(g.OrderBy(p => p.LearningRate).ToList(), p => p.Loss))).Where(c => c.Runs.Count > 0).ToList();
            var fitted = cells.Where(c => c.D <= FitMaxTokens).ToList();
            var held = cells.Where(c => c.D > FitMaxTokens).ToList();
            if (fitted.Count < 2 || held.Count == 0)
                throw new ValidationDataException(FormattableString.Invariant($"{opt}: horizon(s) with a finite run: {fitted.Count} at or below {FitMaxTokens:G3} tokens and {held.Count} above; protocol 25 needs two or more and one or more."));
            var train = fitted.SelectMany(c => c.Runs).ToList();
            progress?.Invoke($"{opt}: fitting the joint law on {train.Count} runs at {string.Join(", ", fitted.Select(c => Tokens(c.D)))} tokens ...");
            var fit = JointLawFitter.Fit([.. train.Select(p => StepLawJoint.Curve(p, assumption, p.Loss))], options);
            var law = (JointLaw)fit.Law;
            double[] parameters = [.. fit.Parameters];
            double Predict(SweepPoint p) => StepLawJoint.FinalLoss(law, parameters, p, assumption);

            // Baselines from the fitted horizons only.
            var fittedLrs = train.Select(p => p.LearningRate).Distinct().Order().ToList();
            double NearestFitted(double eta) => fittedLrs.MinBy(x => Math.Abs(Math.Log(x / eta)));
            var lossLines = fittedLrs.ToDictionary(eta => eta, eta => LogLog([.. fitted.SelectMany(c => c.Runs.Where(p => p.LearningRate == eta)).Select(p => (p.D, p.Loss))]));
            var longest = fitted[^1].Runs;
            double FlatLoss(double eta) => longest.MinBy(p => Math.Abs(Math.Log(p.LearningRate / eta)))!.Loss;
            double flatLr = longest.MinBy(p => p.Loss)!.LearningRate;
            var lrLine = LogLog([.. fitted.Select(c => (c.D, c.Runs.MinBy(p => p.Loss)!.LearningRate))]);

            var optRuns = new List<HorizonSweepRun>();
            var optHorizons = new List<HorizonSweepHorizon>();
            foreach (var (d, cellRuns) in held)
            {
                foreach (var p in cellRuns)
                {
                    optRuns.Add(new HorizonSweepRun(opt, d, p.LearningRate, p.Loss, Predict(p), lossLines[NearestFitted(p.LearningRate)](d), FlatLoss(p.LearningRate)));
                }
                var best = cellRuns.MinBy(p => p.Loss)!;
                bool bracketed = cellRuns.Any(p => p.LearningRate < best.LearningRate) && cellRuns.Any(p => p.LearningRate > best.LearningRate);
                double low = cellRuns.Min(p => p.LearningRate) / 2, high = cellRuns.Max(p => p.LearningRate) * 2;
                double lawLr = SweepFinite.OptimumLr(eta => Predict(best with { LearningRate = eta }), low, high, OptimumGrid);
                // An optimum at the grid's first or last point is a bound, not an optimum: never within x2 (rule (ii)).
                bool atEdge = Math.Abs(Math.Log(lawLr / low)) < 1e-9 || Math.Abs(Math.Log(lawLr / high)) < 1e-9;
                var h = new HorizonSweepHorizon(opt, d, cellRuns.Count, best.LearningRate, bracketed, lawLr, flatLr, lrLine(d), atEdge);
                optHorizons.Add(h);
                progress?.Invoke(FormattableString.Invariant($"{opt} {Tokens(d)}: best LR {h.BestLr:G3}, law {h.LawLr:G3}, flat {h.FlatLr:G3}, log-log {h.LogLogLr:G3}"));
            }
            runs.AddRange(optRuns);
            horizons.AddRange(optHorizons);
            summaries.Add(HorizonSweepSummary.Of(opt, train.Count, optRuns, optHorizons));
        }
        return new HorizonSweepResult(runs, horizons, summaries, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Tokens as the source names its horizons (8B, 128B).</summary>
    public static string Tokens(double d) => (d / 1e9).ToString("G4", CultureInfo.InvariantCulture) + "B";

    /// <summary>The table's configuration as protocol 25 names it: "(no optimizer)" for a row without one.</summary>
    private static string Optimizer(string? configuration) => string.IsNullOrEmpty(configuration) ? "(no optimizer)" : configuration;

    /// <summary>
    /// The log-log baseline through <paramref name="points"/>: ln y = a + b ln x by least squares (<see cref="PowerLawFit"/>), as
    /// y = c x^b; through one point, or when every x is equal, the flat line at the geometric mean of y.
    /// </summary>
    internal static Func<double, double> LogLog(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Select(p => p.X).Distinct().Count() < 2)
        {
            double flat = Math.Exp(points.Average(p => Math.Log(p.Y)));
            return _ => flat;
        }
        var fit = PowerLawFit.Fit([.. points.Select(p => p.X)], [.. points.Select(p => p.Y)]);
        double a = Math.Log(fit.Prefactor);
        return x => Math.Exp(a + fit.Exponent * Math.Log(x));
    }
}
