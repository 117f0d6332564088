using HyperLaws.Fitting;
using HyperLaws.Laws;

namespace HyperLaws.Validation;

/// <summary>
/// Calibration of prediction intervals on protocol 1 (the MPL split, <see cref="MplSplit"/>): per model size
/// and law, fit and bootstrap on the three training curves (<see cref="LawBootstrap"/>; with three curves the
/// default scheme is blocks within each curve), then predict the six test curves with their central
/// interval (<see cref="PredictionIntervals"/>) and count the held-out points, and the held-out final losses
/// (each test curve's last point the protocol keeps), that fall inside. A calibrated 90% interval holds about
/// 90% of them. Nothing here is tuned on the test curves: the bootstrap settings are the library's defaults
/// unless the caller changes them.
/// </summary>
public static class Calibration
{
    /// <summary>Runs the calibration at one size for each law.</summary>
    public static CalibrationResult Run(string dataRoot, string size, IReadOnlyList<string> laws, BootstrapOptions options, double level, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!MplSplit.Published.ContainsKey(size)) throw new ArgumentException($"unknown size '{size}' (known: {string.Join(", ", MplSplit.Sizes)}).");
        if (!(level > 0 && level < 1)) throw new ArgumentException($"The interval level must be between 0 and 1 (got {level}).");
        var train = MplSplit.Targets(dataRoot, size, MplSplit.Train);
        var test = MplSplit.Targets(dataRoot, size, MplSplit.Test);
        var results = new List<LawCalibration>();
        foreach (string name in laws)
        {
            var law = LawCatalog.Create(name);
            var scheme = LawBootstrap.Check(options, train.Count);
            progress?.Invoke($"{size}M, {name}: fit and {options.Replicates} {LawBootstrap.SchemeName(scheme)}-bootstrap replicates ...");
            var started = System.Diagnostics.Stopwatch.StartNew();
            var bootstrap = LawBootstrap.Run(law, train, options);
            var intervals = PredictionIntervals.From(bootstrap);
            var trainCurves = train.Select(t => Score(intervals, t, level)).ToList();
            var testCurves = test.Select(t => Score(intervals, t, level)).ToList();
            progress?.Invoke($"{size}M, {name} done in {started.Elapsed.TotalSeconds:F1} s");
            results.Add(new LawCalibration(name, bootstrap.Bootstrap.Scheme, bootstrap.Bootstrap.Replicates, bootstrap.Failed, level,
                CoverageSummary.Of(trainCurves), CoverageSummary.Of(testCurves), testCurves, started.Elapsed.TotalSeconds));
        }
        return new CalibrationResult(size, level, results);
    }

    private static CurveCalibration Score(PredictionIntervals intervals, FitTarget curve, double level)
    {
        var band = intervals.Predict(curve.History, curve.Steps, level);
        int inside = 0, below = 0, above = 0;
        var widths = new double[curve.Steps.Length];
        for (int i = 0; i < curve.Steps.Length; i++)
        {
            if (curve.Loss[i] < band.Lower[i]) below++;
            else if (curve.Loss[i] > band.Upper[i]) above++;
            else inside++;
            widths[i] = (band.Upper[i] - band.Lower[i]) / band.Point[i];
        }
        return new CurveCalibration(curve.Name, curve.Steps.Length, inside, below, above, widths.Average(),
            curve.Steps[^1], curve.Loss[^1], band.Point[^1], band.Lower[^1], band.Upper[^1]);
    }
}
