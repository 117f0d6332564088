using System.Diagnostics;
using System.Globalization;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>
/// Protocols 7 and 8 of shared/docs/validation.md on the 124M schedule grid (the runs of <see cref="ScheduleGrid.Load"/>).
/// <para>Declared before any held-out score was computed:</para>
/// <list type="bullet">
/// <item>Protocol 7, leave one LR out: for each base LR with a constant run (1e-4, 5e-4, 1e-3, 2e-3), fit one
/// law on every run of the other three LRs (all schedules and horizons), predict the final validation loss of
/// every run at the held-out LR. Protocol 8, cross-family: fit on the constant and cosine runs (all LRs and
/// horizons), predict every WSD run (linear cooldowns 0.1-0.9 and sqrt 0.2).</item>
/// <item>Fitted curves: the validation points, as in protocol 3 (<see cref="ScheduleGrid.Target"/>): a constant
/// run's whole curve, a decaying run's points after its last peak-LR step (the stable phase is the constant run's).</item>
/// <item>One law across LRs (pooled); the final-validation offset is one number, the mean over the training runs of
/// final validation loss minus the law's value at the last step.</item>
/// <item>The joint law chooses its mechanism by cross-validation on the training runs only
/// (<see cref="JointLawSelection"/>: leave one training LR out in protocol 7; in protocol 8 also one LR out, the
/// training runs having four LRs). Other laws are fitted as they are (<see cref="LawFitter"/>).</item>
/// <item>Optimum (protocol 7): for each (horizon, schedule label) with runs at three or more LRs, the fold that
/// held out the group's best LR predicts the final loss of the group's schedule shape (the best run's LRs divided
/// by its base LR, times the peak) over peaks in [1/4 x lowest, 4 x highest grid LR] (41-point log scan, Brent
/// refinement); hit when within x2 of the grid's best LR.</item>
/// <item>Diverged runs and runs without a final validation loss or a constant run at their LR are excluded and listed.</item>
/// </list>
/// </summary>
public static class LrAxis
{
    /// <summary>The searched peak range for the optimum, as multiples of the grid's lowest and highest LR.</summary>
    public const double OptimumRange = 4;

    /// <summary>How the protocols fit the joint law: its mechanism chosen by cross-validation on the training runs.</summary>
    public static JointFitOptions DefaultJoint { get; } = new() { SelectMechanism = true };

    /// <summary>Protocol 7.</summary>
    /// <param name="joint">How the joint law is fitted (default <see cref="DefaultJoint"/>; tests fit one mechanism to be quick).</param>
    /// <param name="stabilityEdge">Null: off; else also fit the joint law's stability-edge term, its edge placed per fold by <see cref="GridEdge.For"/> (the fold's training runs and the grid's diverged runs).</param>
    public static LrAxisResult LeaveOneLrOut(IReadOnlyList<GridRun> runs, IReadOnlyList<string> laws, LossSplit fitOn = LossSplit.Validation, Action<string>? progress = null, JointFitOptions? joint = null, JointEdgeHeight? stabilityEdge = null)
    {
        var (usable, excluded) = Usable(runs);
        var lrs = usable.Where(r => r.Family == "constant").Select(r => r.Lr).Distinct().Order().ToList();
        if (lrs.Count < 2) throw new ArgumentException("leave-one-LR-out needs runs at two or more base LRs.");
        var results = new List<LrAxisLawResult>();
        foreach (string law in laws)
        {
            var watch = Stopwatch.StartNew();
            var predictions = new List<GridPrediction>();
            var folds = new List<LrAxisFold>();
            var fitOf = new Dictionary<double, (LawFit Fit, double Offset)>();
            foreach (double lr in lrs)
            {
                var train = usable.Where(r => r.Lr != lr).ToList();
                var test = usable.Where(r => r.Lr == lr).ToList();
                string held = FormattableString.Invariant($"lr={lr:G4}");
                progress?.Invoke($"{law}: fitting without {held} on {train.Count} runs ...");
                var (fit, offset, fold) = FitFold(law, train, fitOn, held, GridEdge.With(joint ?? DefaultJoint, stabilityEdge, train, runs));
                folds.Add(fold);
                fitOf[lr] = (fit, offset);
                if (stabilityEdge is not null) progress?.Invoke(EdgeSummary(fit));
                if ((joint ?? DefaultJoint) is { FitNoisePower: true } or { PeakNoisePower: true } or { NoisePowersWhereIdentified: true } or { PeakNoiseTangent: true }) progress?.Invoke(PowerSummary(fit));
                foreach (var r in test) predictions.Add(Predicted(fit, r, offset));
            }
            var optima = new List<LrOptimumCheck>();
            double lo = lrs[0] / OptimumRange, hi = lrs[^1] * OptimumRange;
            foreach (var g in usable.GroupBy(r => (r.Horizon, r.Label)).OrderBy(g => g.Key.Horizon).ThenBy(g => g.Key.Label, StringComparer.Ordinal))
            {
                var group = g.ToList();
                if (group.Select(r => r.Lr).Distinct().Count() < 3) continue;
                var best = group.MinBy(r => r.FinalLoss)!;
                var (fit, _) = fitOf[best.Lr];
                var opt = Optimum(fit, best, lo, hi);
                optima.Add(new LrOptimumCheck(g.Key.Horizon, g.Key.Label, best.Lr, opt.Peak, opt.Interior, group.Select(r => r.Lr).Distinct().Count()));
            }
            predictions = [.. predictions.OrderBy(p => p.Run.Horizon).ThenBy(p => p.Run.Lr).ThenBy(p => p.Run.Label, StringComparer.Ordinal)];
            results.Add(new LrAxisLawResult(law, predictions, FinalLossError.Of(predictions), optima, [], folds, watch.Elapsed));
            progress?.Invoke(FormattableString.Invariant($"{law}: done in {watch.Elapsed.TotalSeconds:F1} s"));
        }
        return new LrAxisResult(7, "leave one base LR out: fit on the runs of three LRs, predict the final validation loss of every run at the fourth", excluded, results);
    }

    /// <summary>Protocol 8.</summary>
    /// <param name="joint">How the joint law is fitted (default <see cref="DefaultJoint"/>).</param>
    /// <param name="stabilityEdge">Null: off; else also fit the joint law's stability-edge term (<see cref="GridEdge.For"/> on the training runs and the grid's diverged runs).</param>
    public static LrAxisResult CrossFamily(IReadOnlyList<GridRun> runs, IReadOnlyList<string> laws, LossSplit fitOn = LossSplit.Validation, Action<string>? progress = null, JointFitOptions? joint = null, JointEdgeHeight? stabilityEdge = null)
    {
        var (usable, excluded) = Usable(runs);
        var train = usable.Where(r => r.Family is "constant" or "cosine").ToList();
        var test = usable.Where(r => r.Family == "wsd").ToList();
        if (train.Count == 0 || test.Count == 0) throw new ArgumentException("cross-family needs constant/cosine runs to fit and WSD runs to predict.");
        var results = new List<LrAxisLawResult>();
        foreach (string law in laws)
        {
            var watch = Stopwatch.StartNew();
            progress?.Invoke($"{law}: fitting on {train.Count} constant and cosine runs ...");
            var (fit, offset, fold) = FitFold(law, train, fitOn, "wsd", GridEdge.With(joint ?? DefaultJoint, stabilityEdge, train, runs));
            if (stabilityEdge is not null) progress?.Invoke(EdgeSummary(fit));
            if ((joint ?? DefaultJoint) is { FitNoisePower: true } or { PeakNoisePower: true } or { NoisePowersWhereIdentified: true } or { PeakNoiseTangent: true }) progress?.Invoke(PowerSummary(fit));
            var predictions = test.Select(r => Predicted(fit, r, offset)).ToList();
            var cooldowns = new List<BestCooldown>();
            foreach (var cell in predictions.Where(p => p.Run.IsLinearCooldown).GroupBy(p => (p.Run.Lr, p.Run.Horizon)).OrderBy(g => g.Key.Lr).ThenBy(g => g.Key.Horizon))
            {
                var c = cell.ToList();
                if (c.Count < 2) continue;
                var predicted = c.OrderBy(p => double.IsFinite(p.Predicted) ? p.Predicted : double.PositiveInfinity).ThenBy(p => p.Run.CooldownFraction).First();
                var actual = c.OrderBy(p => p.Actual).ThenBy(p => p.Run.CooldownFraction).First();
                cooldowns.Add(new BestCooldown(cell.Key.Lr, cell.Key.Horizon, predicted.Run.CooldownFraction!.Value, actual.Run.CooldownFraction!.Value, predicted.Actual - actual.Actual, c.Count));
            }
            results.Add(new LrAxisLawResult(law, predictions, FinalLossError.Of(predictions), [], cooldowns, [fold], watch.Elapsed));
            progress?.Invoke(FormattableString.Invariant($"{law}: done in {watch.Elapsed.TotalSeconds:F1} s"));
        }
        return new LrAxisResult(8, "cross-family: fit on the constant and cosine runs, predict the final validation loss of every WSD run", excluded, results);
    }

    /// <summary>The fitted noise powers of a joint fit (<see cref="JointFitOptions.FitNoisePower"/>, <see cref="JointFitOptions.PeakNoisePower"/>), for progress output.</summary>
    private static string PowerSummary(LawFit fit) => fit.Law is JointLaw
        ? FormattableString.Invariant($"{fit.Law.Name}: noise power p {JointLaw.NoisePower(fit.Parameters):G4}, across peaks p + q {JointLaw.NoisePower(fit.Parameters) + fit.Parameters[JointLaw.NoisePeakExponent] + JointLaw.TangentExponent(fit.Parameters):G4}{(JointLaw.TangentExponent(fit.Parameters) != 0 ? " (tangent form)" : "")}{(JointLaw.EffectiveClock(fit.Parameters) ? " (effective-step clock)" : "")}, kappa {fit.Parameters[JointLaw.Kappa]:G4}, C {fit.Parameters[JointLaw.C]:G4}, free noise weights sum {Enumerable.Range(0, JointLaw.NoiseCount).Sum(m => fit.Parameters[JointLaw.FirstNoise + m]):G4} ({fit.StopReason})")
        : $"{fit.Law.Name}: no noise power";

    /// <summary>The fitted edge term of a joint fit, for progress output: eta_edge at the reference, k and H (0: not fitted or fitted at 0).</summary>
    private static string EdgeSummary(LawFit fit) => fit.Law is JointLaw && fit.Parameters.Length > JointLaw.EdgeSlope
        ? FormattableString.Invariant($"{fit.Law.Name}: stability edge H {fit.Parameters[JointLaw.EdgeHeight]:G4} at eta_edge {(fit.Parameters[JointLaw.EdgeHeight] == 0 ? double.NaN : Math.Exp(fit.Parameters[JointLaw.EdgeLn])):G4} (k {fit.Parameters[JointLaw.EdgeSlope]:G3}; {fit.StopReason})")
        : $"{fit.Law.Name}: no edge term";

    /// <summary>The runs that can be fitted or scored, and the others with the reason.</summary>
    private static (List<GridRun> Usable, List<ExcludedRun> Excluded) Usable(IReadOnlyList<GridRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        // ScheduleGrid.Split with a fraction no run has: every fittable run lands in train or held-out alike.
        var (train, heldOut, excluded) = ScheduleGrid.Split(ScheduleGrid.Order(runs), double.NaN);
        return ([.. ScheduleGrid.Order(train.Concat(heldOut))], excluded);
    }

    private static double Value(LawFit fit, GridRun r) => fit.Predict(r.History, [r.Horizon], r.Run.Metadata.Parameters ?? double.NaN)[0];

    /// <summary>A held-out run's prediction: the law's final loss (one evaluation) plus the final-validation offset.</summary>
    private static GridPrediction Predicted(LawFit fit, GridRun r, double offset)
    {
        double value = Value(fit, r);
        return new GridPrediction(r, value + offset, value, false);
    }

    /// <summary>Fits one law (the joint law with its cross-validated mechanism) and its final-validation offset.</summary>
    private static (LawFit Fit, double Offset, LrAxisFold Fold) FitFold(string law, IReadOnlyList<GridRun> train, LossSplit fitOn, string heldOut, JointFitOptions joint)
    {
        var watch = Stopwatch.StartNew();
        var targets = train.Select(r => (Run: r, Target: ScheduleGrid.Target(r, fitOn))).Where(x => x.Target is not null).ToList();
        LawFit fit;
        string? mechanism = null;
        IReadOnlyList<MechanismScore> scores = [];
        if (string.Equals(law, "joint", StringComparison.OrdinalIgnoreCase))
        {
            var curves = targets.Select(x => JointCurve.Of(x.Target!)).ToList();
            if (joint.SelectMechanism)
            {
                var selection = JointLawSelection.Select(curves, joint);
                (fit, mechanism, scores) = (selection.Fit, selection.Chosen.Name, selection.Scores);
            }
            else (fit, mechanism) = (JointLawFitter.Fit(curves, joint), joint.Mechanism.Name);
        }
        else fit = LawFitter.Fit(LawCatalog.Create(law), [.. targets.Select(x => x.Target!)]);
        var usable = train.Where(r => double.IsFinite(r.FinalLoss)).Select(r => r.FinalLoss - Value(fit, r)).Where(double.IsFinite).ToList();
        double offset = usable.Count == 0 ? 0 : usable.Average();
        return (fit, offset, new LrAxisFold(heldOut, targets.Count, mechanism, scores, offset, watch.Elapsed.TotalSeconds));
    }

    /// <summary>The law's argmin over peak LR of the shape of <paramref name="run"/> (its LRs over its base LR).</summary>
    internal static PeakLrOptimum Optimum(LawFit fit, GridRun run, double lower, double upper)
    {
        var shape = run.Run.LearningRates.Select(x => x / run.Lr).ToArray();
        double[] At(double peak) => [.. shape.Select(s => s * peak)];
        double n = run.Run.Metadata.Parameters ?? double.NaN;
        if (fit.Law is JointLaw joint) return joint.OptimalPeak(fit.Parameters, At, lower, upper, n);
        // Any other law: the same scan over ln(peak) (no refinement needed to tell an end from the inside).
        const int scan = 41;
        double lo = Math.Log(lower), h = (Math.Log(upper) - lo) / (scan - 1);
        int best = 0;
        double bestValue = double.PositiveInfinity;
        for (int i = 0; i < scan; i++)
        {
            double v = fit.Predict(new ScheduleHistory(At(Math.Exp(lo + i * h))), [shape.Length], n)[0];
            if (v < bestValue) (best, bestValue) = (i, v);
        }
        return new PeakLrOptimum(Math.Exp(lo + best * h), bestValue, best > 0 && best < scan - 1, lower, upper);
    }

    /// <summary>A one-line summary for progress output.</summary>
    public static string Summary(LrAxisLawResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Law}: mean {100 * r.FinalLoss.MeanRelErr:F3}% max {100 * r.FinalLoss.MaxRelErr:F3}% over {r.FinalLoss.Runs} runs; optimum within x2 {r.Optima.Count(o => o.WithinOneStep)}/{r.Optima.Count}");
}
