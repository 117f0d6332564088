using System.Diagnostics;
using System.Globalization;
using HyperLaws.Divergence;
using HyperLaws.Laws.Joint;
using HyperLaws.Runs;
using HyperLaws.SizeLaws;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 22 (docs/VALIDATION.md "Protocol 22"): Marin's AdamW tables (the runs of protocol 20, <see cref="LrSweepHoldOut.Load"/>)
/// across model size and data, with no offset per cell, so that the law must carry the loss's level to sizes and horizons it did not see.
/// <list type="bullet">
/// <item>22a-size: the joint law (its defaults: one offset E + B_N (z^-beta - 1), beta the prior 0.34 with two sizes) fitted on every
/// finite run of every size but the largest (130m, 300m), predicting every finite run of the largest (520m); 22a-horizon: fitted on
/// every finite run at 1x-4x Chinchilla, predicting those at 8x and 16x. Chinchilla's L = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022,
/// approach 3; <see cref="ChinchillaFitter"/>) fitted on the training cells' best losses predicts each target cell's best; in 22a-size
/// also with alpha fixed at Hoffmann's 0.34. The naive baseline: ln L extrapolated linearly in ln x (x = N in 22a-size, D in
/// 22a-horizon) through the two training runs nearest in ln x with the target's LR and its other coordinate (the same horizon in
/// 22a-size, the same size in 22a-horizon); where fewer than two exist, the same through those two training cells' best losses.</item>
/// <item>The joint law's optimum in each target cell: the lowest prediction over <see cref="OptimumGrid"/> log-spaced peak LRs from
/// <see cref="OptimumLow"/> to <see cref="OptimumHigh"/> at the cell's best run's batch, warmup and horizon.</item>
/// <item>22b: the joint law on every finite run profiled over beta (<see cref="OffsetExponentProfile"/>), and optionally beta pooled with
/// another source (protocol 17c's, <see cref="PooledSizeExponent.SlimPajamaSource"/>).</item>
/// </list>
/// A run is finite when its loss is at most 2x its cell's best (protocol 20's rule); the others are diverged and never fitted.
/// </summary>
public static class MarinSize
{
    /// <summary>Rule 22a's bound on the joint law's largest error (1%).</summary>
    public const double MaxError = 0.01;

    /// <summary>The largest horizon (Chinchilla multiple) fitted in 22a-horizon; larger ones are its targets.</summary>
    public const int LongestFittedHorizon = 4;

    /// <summary>Points of the optimum's grid: 12 per x2 sweep step over <see cref="OptimumLow"/>-<see cref="OptimumHigh"/> (five steps).</summary>
    public const int OptimumGrid = 61;

    /// <summary>The optimum grid's lowest peak LR (two x2 sweep steps below the tables' lowest, 0.004).</summary>
    public const double OptimumLow = 0.001;

    /// <summary>The optimum grid's highest peak LR (the tables' highest).</summary>
    public const double OptimumHigh = 0.032;

    /// <summary>Hoffmann et al.'s alpha, the fixed value of the declared Chinchilla variant of 22a-size.</summary>
    public const double HoffmannAlpha = 0.34;

    /// <summary>A cell's Chinchilla multiple K = D / (20 N), rounded.</summary>
    public static int Multiple(SweepCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return (int)Math.Round(cell.D / (20 * cell.N));
    }

    /// <summary>
    /// Runs protocol 22 on <paramref name="table"/>. <paramref name="profileBeta"/>: also run 22b (the profile over beta, the slow part);
    /// <paramref name="pooledWith"/>: also pool beta with that source (needs <paramref name="profileBeta"/>); <paramref name="joint"/>: the joint law's fit
    /// options (null: the defaults, the protocol as declared; the CLI varies only the LR batch scale b_eta, docs/VALIDATION.md "A batch scale in
    /// the joint law's LR units").
    /// </summary>
    /// <exception cref="ValidationDataException">The table has fewer than three sizes or no horizon above <see cref="LongestFittedHorizon"/>, or a split has no training or target run.</exception>
    public static MarinSizeResult Run(SweepTable table, Action<string>? progress = null, bool profileBeta = true, PooledSource? pooledWith = null, JointFitOptions? joint = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var watch = Stopwatch.StartNew();
        var assumption = new SweepScheduleAssumption();
        var cells = table.Cells.Select(c => Finite(c, assumption)).ToList();
        var allDiverged = cells.Where(c => c.Runs.Count == 0).Select(c => c.Label).ToList();
        if (allDiverged.Count > 0) progress?.Invoke($"skipped (every run diverged): {string.Join(", ", allDiverged)}");
        var sizes = cells.Select(c => c.Cell.N).Distinct().Order().ToList();
        if (sizes.Count < 3) throw new ValidationDataException($"protocol 22 needs three model sizes (two fitted, the largest predicted); the tables have {sizes.Count}.");
        double largest = sizes[^1];
        joint ??= new JointFitOptions();
        var size = Split("size", cells, c => c.Cell.N == largest, SizeAxis, assumption, fixedAlpha: true, progress, joint);
        var horizon = Split("horizon", cells, c => Multiple(c.Cell) > LongestFittedHorizon, HorizonAxis, assumption, fixedAlpha: false, progress, joint);

        MarinSizeBeta? beta = null;
        if (profileBeta)
        {
            var all = cells.SelectMany(c => c.Runs.Select(r => r.Curve)).ToList();
            progress?.Invoke($"22b: the joint law on all {all.Count} finite runs, profiled over beta ...");
            var profile = new OffsetExponentProfile(all, joint);
            var min = profile.Minimize();
            PooledExponentResult? pooled = null;
            if (pooledWith is not null)
            {
                var marin = new PooledSource("protocol 22 (Marin 130m-520m)", b =>
                {
                    profile.Minimize();
                    return profile.At(b).Objective;
                });
                pooled = PooledSizeExponent.Fit([marin, pooledWith], progress);
            }
            beta = new MarinSizeBeta(profile.Points, min.Parameters[JointLaw.Beta], min.Objective, pooled);
            progress?.Invoke(FormattableString.Invariant($"22b: beta {beta.Beta:F4}, identified: {beta.Identified}"));
        }
        return new MarinSizeResult(size, horizon, beta, cells.Sum(c => c.Runs.Count), watch.Elapsed.TotalSeconds, allDiverged);
    }

    /// <summary>A cell's finite runs (loss at most 2x its best, by LR), each with its curve, and its diverged LRs.</summary>
    private sealed record FiniteCell(SweepCell Cell, string Label, IReadOnlyList<(SweepPoint Point, JointCurve Curve)> Runs, IReadOnlyList<double> DivergedLrs)
    {
        public SweepPoint Best => Runs.MinBy(r => r.Point.Loss).Point;
    }

    private static FiniteCell Finite(SweepCell cell, SweepScheduleAssumption assumption)
    {
        double best = SweepFinite.Best(cell.Points, p => p.Loss);
        string label = LrSweepHoldOut.Label(cell);
        var runs = cell.Points.Where(p => SweepFinite.IsFinite(p.Loss, best)).OrderBy(p => p.LearningRate).Select(p => (p, StepLawJoint.Curve(p, assumption, p.Loss))).ToList();
        var diverged = cell.Points.Where(p => !SweepFinite.IsFinite(p.Loss, best)).Select(p => p.LearningRate).Order().ToList();
        return new FiniteCell(cell, label, runs, diverged);
    }

    /// <summary>The baseline's axis and "other coordinate" of a split: ln N at the same horizon (size), ln D at the same size (horizon).</summary>
    private sealed record Axis(Func<SweepCell, double> X, Func<SweepCell, SweepCell, bool> Same);

    private static readonly Axis SizeAxis = new(c => Math.Log(c.N), (a, b) => Multiple(a) == Multiple(b));

    private static readonly Axis HorizonAxis = new(c => Math.Log(c.D), (a, b) => a.N == b.N);

    private static MarinSizeSplit Split(string name, IReadOnlyList<FiniteCell> cells, Func<FiniteCell, bool> isTarget, Axis axis, SweepScheduleAssumption assumption, bool fixedAlpha, Action<string>? progress, JointFitOptions jointOptions)
    {
        var train = cells.Where(c => !isTarget(c) && c.Runs.Count > 0).ToList();
        var targets = cells.Where(c => isTarget(c) && c.Runs.Count > 0).ToList();
        if (train.Count == 0 || targets.Count == 0) throw new ValidationDataException($"protocol 22, split {name}: no {(train.Count == 0 ? "training" : "target")} cell with a finite run.");
        var curves = train.SelectMany(c => c.Runs.Select(r => r.Curve)).ToList();
        progress?.Invoke($"22a-{name}: the joint law on {curves.Count} finite runs of {train.Count} cells ...");
        var fit = JointLawFitter.Fit(curves, jointOptions);
        var law = (JointLaw)fit.Law;
        double[] p = [.. fit.Parameters];
        double Predict(SweepPoint x) => StepLawJoint.FinalLoss(law, p, x, assumption);

        var bests = train.Select(c => new ScalingPoint(c.Cell.N, c.Cell.D, c.Best.Loss)).ToList();
        var chinchilla = ChinchillaFitter.Fit(bests).Law;
        var chinchillaA = fixedAlpha ? ChinchillaFitter.Fit(bests, new ChinchillaFitOptions(FixedAlpha: HoffmannAlpha)).Law : null;

        var runs = new List<MarinSizeRun>();
        var outCells = new List<MarinSizeCell>();
        foreach (var t in targets)
        {
            var best = t.Best;
            foreach (var (point, _) in t.Runs)
            {
                double joint = Predict(point), baseline = Baseline(t, point, train, axis);
                runs.Add(new MarinSizeRun(t.Label, point.Name, point.LearningRate, point.Loss, joint, baseline, ReferenceEquals(point, best)));
                progress?.Invoke(FormattableString.Invariant($"22a-{name}: {t.Label} LR {point.LearningRate:G3}: actual {point.Loss:F4}, joint {joint:F4}, baseline {baseline:F4}"));
            }
            double lawLr = SweepFinite.OptimumLr(eta => Predict(best with { LearningRate = eta }), OptimumLow, OptimumHigh, OptimumGrid);
            outCells.Add(new MarinSizeCell(t.Label, t.Cell.N, t.Cell.D, best.Loss, best.LearningRate, chinchilla.Loss(t.Cell.N, t.Cell.D),
                chinchillaA?.Loss(t.Cell.N, t.Cell.D) ?? double.NaN, lawLr, t.DivergedLrs.Count > 0 ? t.DivergedLrs[0] : double.NaN));
        }
        return new MarinSizeSplit(name, [.. curves.Select(c => c.Name)], [.. train.Select(c => c.Label)], runs, outCells, p[JointLaw.Beta]);
    }

    /// <summary>
    /// The naive baseline for <paramref name="point"/> of cell <paramref name="target"/>: ln L linear in the axis through the two training
    /// runs nearest on it with the same LR and the same other coordinate; else through the two nearest such training cells' best losses.
    /// </summary>
    private static double Baseline(FiniteCell target, SweepPoint point, IReadOnlyList<FiniteCell> train, Axis axis)
    {
        double x = axis.X(target.Cell);
        var peers = train.Where(c => axis.Same(c.Cell, target.Cell)).OrderBy(c => Math.Abs(axis.X(c.Cell) - x)).ToList();
        var sameLr = peers.SelectMany(c => c.Runs.Where(r => Math.Abs(Math.Log(r.Point.LearningRate / point.LearningRate)) < 1e-9).Select(r => (X: axis.X(c.Cell), L: r.Point.Loss))).Take(2).ToList();
        var two = sameLr.Count == 2 ? sameLr : [.. peers.Take(2).Select(c => (X: axis.X(c.Cell), L: c.Best.Loss))];
        if (two.Count < 2 || two[0].X == two[1].X)
            throw new ValidationDataException(FormattableString.Invariant($"protocol 22: the baseline for {target.Label} at LR {point.LearningRate.ToString("G3", CultureInfo.InvariantCulture)} needs two training cells at other {(axis == SizeAxis ? "sizes at its horizon" : "horizons at its size")}."));
        double slope = (Math.Log(two[1].L) - Math.Log(two[0].L)) / (two[1].X - two[0].X);
        return Math.Exp(Math.Log(two[0].L) + slope * (x - two[0].X));
    }
}
