using System.Diagnostics;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 9 of shared/docs/validation.md: the share of held-out final losses inside the 90% interval of
/// <see cref="ConformalCalibration"/>, and the interval's width against the extrapolation distance, on the
/// splits of protocols 2, 3 and 6. Declared before scoring (docs/VALIDATION.md, "Protocol 9"):
/// <list type="bullet">
/// <item>Calibration uses the training runs of each split only: leave one curve out (protocol 2: one
/// schedule, both sizes, so a fold costs one fit instead of two) and a fit on the first half of every
/// training curve predicting its final loss (horizon ratio 2).</item>
/// <item>Protocol 2: the size law of its headline (every parameter a power law in N, offset exponent 0.34),
/// fitted on the 18 curves of 25M and 100M; targets: the last logged loss of the nine 400M curves.</item>
/// <item>Protocol 3: protocol 3's split (constant runs + linear cooldown 0.2 train, the rest held out), one
/// law pooled over the LRs, fitted on the training runs' validation curves (cooldown runs after their last
/// peak step, as in protocol 3); targets: the last validation point of each held-out run (not
/// history.final-val, which protocol 3 reaches through a per-LR offset this component does not have).</item>
/// <item>Protocol 6 (final-loss part): for H = 35000 and 50000, fit on every stable run shorter than H
/// (validation curves), predict the last validation point of every stable run at H.</item>
/// </list>
/// </summary>
public static class IntervalCoverage
{
    /// <summary>The protocols whose held-out final losses get calibrated intervals.</summary>
    public static IReadOnlyList<int> Protocols { get; } = [2, 3, 6];

    /// <summary>The truncation fraction of the horizon residuals.</summary>
    public const double Truncation = 0.5;

    /// <summary>Calibrates on <paramref name="train"/> and scores the intervals of <paramref name="test"/>'s final losses.</summary>
    public static IntervalCoverageResult Run(string protocol, string lawName, Func<IFittableLaw> law, IReadOnlyList<FitTarget> train, IReadOnlyList<FitTarget> test,
        double level = 0.9, Func<FitTarget, string>? group = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(law);
        if (train.Count == 0 || test.Count == 0) throw new ArgumentException($"protocol {protocol}: nothing to fit on or nothing held out.");
        var clock = Stopwatch.StartNew();
        var predictor = ConformalCalibration.FinalLoss(law());
        var residuals = ConformalCalibration.Residuals(train, predictor, group, [Truncation], m => progress?.Invoke($"{lawName} [{protocol}] {m}"));
        var interval = ConformalCalibration.Calibrate(residuals, level);
        progress?.Invoke($"{lawName} [{protocol}]: fitting on all {train.Count} training curves");
        var predict = predictor(train);
        var held = new List<HeldOutInterval>();
        foreach (var t in test)
        {
            double p = predict(t);
            var d = ExtrapolationDistance.Of(t, train);
            var (lo, hi) = double.IsFinite(p) ? interval.Bounds(p, d.Value) : (double.NaN, double.NaN);
            held.Add(new HeldOutInterval(t.Name, p, t.Loss[^1], lo, hi, d));
        }
        return new IntervalCoverageResult(protocol, lawName, interval, residuals, held, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Protocol 2's split with the headline size law.</summary>
    public static IntervalCoverageResult Protocol2(string dataRoot, string law, double level = 0.9, Action<string>? progress = null)
    {
        var train = CrossSize.TrainTargets(dataRoot);
        var test = CrossSize.TestTargets(dataRoot);
        var v = CrossSize.Variants[0];
        double reference = SizeLawSpec.CentreOf(train);
        return Run("2", law, () => SizedLaw.Create(LawCatalog.Create(law), new SizeLawSpec(reference, v.Scaling, v.OffsetExponent)), train, test, level, t => t.Name.Split('@')[0], progress);
    }

    /// <summary>Protocol 3's split (training fraction 0.2), one law pooled over LRs, validation curves.</summary>
    public static IntervalCoverageResult Protocol3(IReadOnlyList<GridRun> runs, string law, double level = 0.9, Action<string>? progress = null)
    {
        var (train, heldOut, _) = ScheduleGrid.Split(ScheduleGrid.Order(runs), new GridOptions().TrainFraction);
        var trainTargets = train.Select(r => ScheduleGrid.Target(r, LossSplit.Validation)).Where(t => t is not null).Select(t => t!).ToList();
        return Run("3", law, () => LawCatalog.Create(law), trainTargets, Full(heldOut), level, null, progress);
    }

    /// <summary>Protocol 6's horizons: fit on the stable runs shorter than H, predict those at H.</summary>
    public static IReadOnlyList<IntervalCoverageResult> Protocol6(IReadOnlyList<GridRun> runs, string law, double level = 0.9, Action<string>? progress = null)
    {
        var stable = runs.Where(r => !r.Diverged).ToList();
        var results = new List<IntervalCoverageResult>();
        foreach (int h in new PlanBacktestOptions().Horizons.Where(h => h > 25000))
            results.Add(Run($"6 (H = {h})", law, () => LawCatalog.Create(law), Full(stable.Where(r => r.Horizon < h)), Full(stable.Where(r => r.Horizon == h)), level, null, progress));
        return results;
    }

    private static List<FitTarget> Full(IEnumerable<GridRun> runs) =>
        [.. runs.Select(r => FitTarget.Of(r.Run, r.Run.Split(LossSplit.Validation))).Where(t => t.Steps.Length >= 2)];
}
