using HyperLaws.Laws;
using HyperLaws.Optimum;

namespace HyperLaws.Evaluation;

/// <summary>
/// Calibrated prediction intervals for final losses, for any law: split-conformal prediction
/// (Vovk et al. 2005; Lei et al. 2018, "Distribution-free predictive inference for regression", with the
/// locally weighted scores of their sec. 5.2) on out-of-sample residuals of the training runs themselves.
/// <list type="number">
/// <item>Residuals (<see cref="Residuals"/>): leave one run (or group) out, fit on the rest, predict its
/// final loss; and, to see extrapolation in horizon, fit on every run cut to the first fraction f of its
/// steps and predict each run's final loss (distance ln(1/f)). Each residual r = actual/predicted - 1 has
/// the distance d of its prediction from what the fit saw (<see cref="ExtrapolationDistance"/>).</item>
/// <item>Widening (<see cref="Calibrate(IReadOnlyList{CalibrationResidual}, double)"/>): |r| ~ a (1 + g d), g fitted by least squares of |r| on d when
/// at least 3 residuals lie beyond the data (d &gt; 0.05) and 3 within; otherwise the prior g = 1 (the
/// half-width doubles at d = 1, a factor e beyond the data).</item>
/// <item>Scores s_i = |r_i| / (1 + g d_i); Q = the ceil((n + 1) level)-th smallest (the finite-sample
/// conformal rank; with fewer residuals, the largest, flagged as not exact). A new prediction at distance d
/// gets predicted x (1 -+ Q (1 + g d)).</item>
/// </list>
/// Coverage is guaranteed only for targets exchangeable with the calibration residuals (after the
/// scaling by 1 + g d); for extrapolations beyond any residual's distance it rests on the linear widening.
/// </summary>
public static class ConformalCalibration
{
    /// <summary>The prior growth of the width with distance, used when the residuals cannot fit it.</summary>
    public const double PriorGrowth = 1;

    /// <summary>Residuals beyond this distance count as extrapolations for fitting the growth.</summary>
    public const double Beyond = 0.05;

    /// <summary>A final-loss predictor of a law: fit on the curves given (by <paramref name="fitter"/>, default <see cref="LawFitter.Fit"/>), predict a curve's loss at its last observed step.</summary>
    public static Func<IReadOnlyList<FitTarget>, Func<FitTarget, double>> FinalLoss(IFittableLaw law, FitOptions? options = null,
        Func<IFittableLaw, IReadOnlyList<FitTarget>, FitOptions?, LawFit>? fitter = null)
    {
        ArgumentNullException.ThrowIfNull(law);
        return train =>
        {
            var fit = fitter is null ? LawFitter.Fit(law, train, options) : fitter(law, train, options);
            return t => fit.Predict(t.History, [t.Steps[^1]], t.ModelSize)[0];
        };
    }

    /// <summary>
    /// Out-of-sample residuals of the training curves: leave each group out in turn (default: each curve
    /// its own group), and for each fraction of <paramref name="truncations"/> fit on the curves cut to
    /// that fraction of their steps and predict each one's own final loss (curves left with fewer than 2
    /// points are dropped from that fit and not predicted: a curve none of whose shape was seen is no
    /// horizon extrapolation).
    /// Predictions that are not finite are left out.
    /// With <paramref name="nestedBy"/> (e.g. a run's horizon), also the extrapolation along that key one step at a time: for each
    /// distinct value above the smallest, fit on the runs of smaller values and predict the final losses of the runs at it
    /// (split "nested").
    /// With <paramref name="shapeOut"/>, also leave one schedule shape out (<see cref="ScheduleShape.Groups"/>: the curves whose
    /// profiles lie within <see cref="ScheduleShape.SameShape"/> of one another, e.g. every constant run, or every 20% linear
    /// cooldown, whatever its horizon and LR): fit on the other shapes, predict the left-out shape's final losses (split
    /// "shape-out"). These are the residuals that show a schedule-shape extrapolation, which leave-one-curve-out cannot (a
    /// curve left out has its shape in training at other horizons and LRs); their distances carry the shape distance D.
    /// </summary>
    public static IReadOnlyList<CalibrationResidual> Residuals(IReadOnlyList<FitTarget> runs, Func<IReadOnlyList<FitTarget>, Func<FitTarget, double>> fit,
        Func<FitTarget, string>? group = null, IReadOnlyList<double>? truncations = null, Action<string>? progress = null, Func<FitTarget, double>? nestedBy = null,
        bool shapeOut = false)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(fit);
        group ??= t => t.Name;
        var result = new List<CalibrationResidual>();
        // Leave one group out (by name, or by schedule shape): fit on the others, predict the group's final losses.
        void LeaveOut(Func<FitTarget, string> key, string split, string what)
        {
            var groups = runs.GroupBy(key).ToList();
            if (groups.Count < 2) return;
            foreach (var g in groups)
            {
                var train = runs.Where(t => key(t) != g.Key).ToList();
                progress?.Invoke($"calibration: leaving out {what}{g.Key} ({g.Count()} curve(s)), fitting on {train.Count}");
                var predict = fit(train);
                foreach (var t in g) Add(result, t, predict(t), split, train);
            }
        }
        LeaveOut(group, "leave-out", "");
        foreach (double f in truncations ?? [])
        {
            if (!(f > 0 && f < 1)) throw new ArgumentOutOfRangeException(nameof(truncations), f, "a truncation fraction must be between 0 and 1.");
            var kept = runs.Select(t => (Full: t, Cut: Truncate(t, f))).Where(x => x.Cut is not null).ToList();
            if (kept.Count == 0) continue;
            var cut = kept.Select(x => x.Cut!).ToList();
            progress?.Invoke(FormattableString.Invariant($"calibration: fitting on the first {f:P0} of {cut.Count} curves, predicting their final losses"));
            var predict = fit(cut);
            foreach (var (t, _) in kept) Add(result, t, predict(t), FormattableString.Invariant($"first {f:0.##}"), cut);
        }
        if (nestedBy is not null)
        {
            var levels = runs.Select(nestedBy).Distinct().Order().ToList();
            foreach (double level in levels.Skip(1))
            {
                var below = runs.Where(t => nestedBy(t) < level).ToList();
                var at = runs.Where(t => nestedBy(t) == level).ToList();
                progress?.Invoke(FormattableString.Invariant($"calibration: fitting on {below.Count} curves below {level:G6}, predicting the {at.Count} at it"));
                var predict = fit(below);
                foreach (var t in at) Add(result, t, predict(t), "nested", below);
            }
        }
        if (shapeOut) LeaveOut(ScheduleShape.Groups(runs), "shape-out", "the shape of ");
        return result;
    }

    private static void Add(List<CalibrationResidual> list, FitTarget t, double predicted, string split, IReadOnlyList<FitTarget> train)
    {
        if (double.IsFinite(predicted) && predicted > 0)
            list.Add(new CalibrationResidual(t.Name, split, predicted, t.Loss[^1], ExtrapolationDistance.Of(t, train)));
    }

    /// <summary>The curve's observations up to fraction <paramref name="f"/> of its last step (null: fewer than 2 left).</summary>
    public static FitTarget? Truncate(FitTarget t, double f)
    {
        ArgumentNullException.ThrowIfNull(t);
        double limit = f * t.Steps[^1];
        int n = t.Steps.TakeWhile(s => s <= limit).Count();
        return n < 2 ? null : t with { Steps = t.Steps[..n], Loss = t.Loss[..n] };
    }

    /// <summary>The interval calibrated on <paramref name="residuals"/> at <paramref name="level"/> (see the class remarks).</summary>
    public static ConformalInterval Calibrate(IReadOnlyList<CalibrationResidual> residuals, double level = 0.9)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        return Calibrate(residuals.Select(r => (Math.Abs(r.Relative), r.Distance.Value)).ToList(), level);
    }

    /// <summary>The same from (|r|, d) pairs.</summary>
    public static ConformalInterval Calibrate(IReadOnlyList<(double AbsRelative, double Distance)> residuals, double level = 0.9)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "the level must be between 0 and 1.");
        if (residuals.Count == 0) throw new ArgumentException("no calibration residuals: the intervals need out-of-sample predictions of at least one run.");
        var (growth, fitted) = Growth(residuals);
        var scores = residuals.Select(r => r.AbsRelative / (1 + growth * Math.Max(0, r.Distance))).Order().ToArray();
        int n = scores.Length, k = (int)Math.Ceiling((n + 1) * level);
        return new ConformalInterval(level, scores[Math.Min(k, n) - 1], growth, fitted, n, k <= n);
    }

    /// <summary>The prior growth of the width with the schedule-shape distance D, used when the residuals show too few shape extrapolations to fit it.</summary>
    /// <remarks>A stated assumption, not fitted: the half-width doubles at D = 0.1, the shape change of adding a 20% linear cooldown to a constant schedule.</remarks>
    public const double PriorShapeGrowth = 10;

    /// <summary>Residuals with a shape distance above this count as shape extrapolations (<see cref="ScheduleShape.SameShape"/>).</summary>
    public const double ShapeBeyond = ScheduleShape.SameShape;

    /// <summary>The largest fitted growths: with d (as <see cref="Calibrate(IReadOnlyList{CalibrationResidual}, double)"/>) and with D (doubling at D = 0.01).</summary>
    public const double MaxGrowth = 10, MaxShapeGrowth = 100;

    /// <summary>
    /// The interval widening with both the distance d and the schedule-shape distance D (<see cref="ExtrapolationDistance.Shape"/>):
    /// half-width Q (1 + g d + g_s D).
    /// <list type="number">
    /// <item>Growths: |r| ~ a (1 + g d + g_s D) by least squares, i.e. |r| = a + b d + c D with g = b / a and g_s = c / a. A growth is
    /// fitted only when its residuals show it (as for g alone: at least 3 residuals beyond, d &gt; <see cref="Beyond"/> or
    /// D &gt; <see cref="ShapeBeyond"/>, and 3 within); otherwise it is held at its prior (<see cref="PriorGrowth"/>,
    /// <see cref="PriorShapeGrowth"/>) and the fit is |r| = a (1 + g0 d) + c D (or with D's growth held) with no intercept of its own.
    /// A negative slope is set to 0 and the rest refitted (the width never narrows with distance); growths are capped at
    /// <see cref="MaxGrowth"/> and <see cref="MaxShapeGrowth"/>, and a fit with a &lt;= 0 (all error grows with distance) takes the
    /// cap of every positive slope.</item>
    /// <item>Scores |r_i| / (1 + g d_i + g_s D_i); Q their ceil((n + 1) level)-th smallest, as in <see cref="Calibrate(IReadOnlyList{CalibrationResidual}, double)"/>.</item>
    /// </list>
    /// Why the shape needs its own growth and its own residuals: a held-out schedule of another shape (a longer cooldown, a cosine)
    /// is an extrapolation that no leave-one-curve-out residual shows, and its error need not scale with the horizon's; leaving a
    /// shape out (<see cref="Residuals"/>, <c>shapeOut</c>) gives residuals at D &gt; 0 to fit g_s on. For D = 0 (every target's shape
    /// in training) the interval is the same form as <see cref="Calibrate(IReadOnlyList{CalibrationResidual}, double)"/>'s with the
    /// shape residuals scaled down to it.
    /// </summary>
    public static ConformalInterval CalibrateShape(IReadOnlyList<CalibrationResidual> residuals, double level = 0.9)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        return CalibrateShape(residuals.Select(r => (Math.Abs(r.Relative), r.Distance.Value, r.Distance.Shape)).ToList(), level);
    }

    /// <summary>The same from (|r|, d, D) triples.</summary>
    public static ConformalInterval CalibrateShape(IReadOnlyList<(double AbsRelative, double Distance, double Shape)> residuals, double level = 0.9)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "the level must be between 0 and 1.");
        if (residuals.Count == 0) throw new ArgumentException("no calibration residuals: the intervals need out-of-sample predictions of at least one run.");
        GrowthTerm[] components = [new(Beyond, PriorGrowth, MaxGrowth), new(ShapeBeyond, PriorShapeGrowth, MaxShapeGrowth)];
        var x = residuals.Select(r => (r.AbsRelative, new[] { r.Distance, r.Shape })).ToList();
        var (growths, fitted) = Growths(x, components);
        double g = growths[0], gs = growths[1];
        var scores = residuals.Select(r => r.AbsRelative / (1 + g * Math.Max(0, r.Distance) + gs * Math.Max(0, r.Shape))).Order().ToArray();
        int n = scores.Length, k = (int)Math.Ceiling((n + 1) * level);
        return new ConformalInterval(level, scores[Math.Min(k, n) - 1], g, fitted[0], n, k <= n) { ShapeGrowth = gs, ShapeGrowthFitted = fitted[1] };
    }

    /// <summary>Residuals with a size distance s = ln S above this count as size extrapolations for fitting g_N (as <see cref="Beyond"/> for d).</summary>
    public const double SizeBeyond = Beyond;

    /// <summary>
    /// The interval whose width grows with the size distance s = ln S by its own growth g_N (variant N, docs/VALIDATION.md "Intervals widened
    /// by the size-extrapolation distance"; W's calibration, <see cref="CalibrateShape(IReadOnlyList{CalibrationResidual}, double)"/>, with the
    /// size distance as one more column): |r| ~ a (1 + g d' + [g_s D] + g_N s), d' = ln H + ln L (s taken out of d), by the same least
    /// squares; g_N fitted when 3+ residuals lie beyond (s &gt; <see cref="SizeBeyond"/>) and 3+ within, else held at its prior
    /// <see cref="PriorGrowth"/> (the prior stated for d, of which ln S was a part: a factor e beyond the fitted sizes doubles the half-width);
    /// a negative slope set to 0, capped at <see cref="MaxGrowth"/>. The shape column only with <paramref name="shape"/> (else g_s = 0).
    /// Scores |r_i| / w_i, w_i = <see cref="ConformalInterval.ScoreWidth"/>; Q their ceil((n + 1) level)-th smallest. The residuals that
    /// extrapolate in size come from <see cref="SizeNested"/>.
    /// </summary>
    public static ConformalInterval CalibrateSize(IReadOnlyList<CalibrationResidual> residuals, double level = 0.9, bool shape = false)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "the level must be between 0 and 1.");
        if (residuals.Count == 0) throw new ArgumentException("no calibration residuals: the intervals need out-of-sample predictions of at least one run.");
        var components = new List<GrowthTerm> { new(Beyond, PriorGrowth, MaxGrowth) };
        if (shape) components.Add(new(ShapeBeyond, PriorShapeGrowth, MaxShapeGrowth));
        components.Add(new(SizeBeyond, PriorGrowth, MaxGrowth));
        var x = residuals.Select(r =>
        {
            var d = r.Distance;
            double within = Math.Log(d.HorizonRatio) + Math.Log(d.LrRatio), size = Math.Log(d.SizeRatio);
            return (Math.Abs(r.Relative), shape ? new[] { within, d.Shape, size } : new[] { within, size });
        }).ToList();
        var (growths, fitted) = Growths(x, [.. components]);
        var interval = new ConformalInterval(level, 0, growths[0], fitted[0], residuals.Count, true)
        {
            ShapeGrowth = shape ? growths[1] : 0, ShapeGrowthFitted = shape && fitted[1], SizeGrowth = growths[^1], SizeGrowthFitted = fitted[^1],
        };
        var scores = residuals.Select(r => Math.Abs(r.Relative) / interval.ScoreWidth(r.Distance)).Order().ToArray();
        int n = scores.Length, k = (int)Math.Ceiling((n + 1) * level);
        return interval with { Quantile = scores[Math.Min(k, n) - 1], Exact = k <= n };
    }

    /// <summary>
    /// The residuals that extrapolate in model size (variant N, docs/VALIDATION.md "Intervals widened by the size-extrapolation distance";
    /// split "size-nested"): for each model size of <paramref name="runs"/> above at least <paramref name="fittedSizes"/> smaller ones, fit on
    /// every curve of the smaller sizes and predict the final losses of the curves at it (its size distance ln of that size over the largest
    /// fitted one). The default 2 is the fewest sizes a size law is fitted from (the joint law's size terms with beta held, a
    /// <see cref="SizedLaw"/> with beta held): a fit of one size carries no size law, so its residual would be another predictor's.
    /// Empty when a curve has no model size or the runs have too few sizes.
    /// </summary>
    public static IReadOnlyList<CalibrationResidual> SizeNested(IReadOnlyList<FitTarget> runs, Func<IReadOnlyList<FitTarget>, Func<FitTarget, double>> fit,
        Action<string>? progress = null, int fittedSizes = 2)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentOutOfRangeException.ThrowIfLessThan(fittedSizes, 1);
        if (runs.Count == 0 || runs.Any(t => !(t.ModelSize > 0) || !double.IsFinite(t.ModelSize))) return [];
        var sizes = runs.Select(t => t.ModelSize).Distinct().Order().ToList();
        var result = new List<CalibrationResidual>();
        foreach (double size in sizes.Skip(fittedSizes))
        {
            var below = runs.Where(t => t.ModelSize < size).ToList();
            var at = runs.Where(t => t.ModelSize == size).ToList();
            progress?.Invoke(FormattableString.Invariant($"calibration: fitting on {below.Count} curves of the sizes below {size:G4}, predicting the {at.Count} at it"));
            var predict = fit(below);
            foreach (var t in at) Add(result, t, predict(t), "size-nested", below);
        }
        return result;
    }

    /// <summary>One growth of the width with one distance: fitted beyond <paramref name="Beyond"/>, else its prior, capped.</summary>
    private readonly record struct GrowthTerm(double Beyond, double Prior, double Cap);

    // |r| = a (1 + sum_j g_j x_j): columns [1 + sum over held j of prior_j x_j, x_j for each fitted j], no intercept; negative slopes dropped.
    // A growth is fitted when 3+ residuals lie beyond its threshold and 3+ within; the distances are clamped at 0.
    private static (double[] Growths, bool[] Fitted) Growths(IReadOnlyList<(double R, double[] X)> residuals, GrowthTerm[] components)
    {
        int m = components.Length;
        var r = residuals.Select(x => (x.R, X: x.X.Select(v => Math.Max(0, v)).ToArray())).ToList();
        var fit = new bool[m];
        for (int j = 0; j < m; j++)
            fit[j] = residuals.Count(x => x.X[j] > components[j].Beyond) >= 3 && residuals.Count(x => x.X[j] <= components[j].Beyond) >= 3;
        var use = (bool[])fit.Clone();
        while (true)
        {
            var used = Enumerable.Range(0, m).Where(j => use[j]).ToArray();
            var rows = r.Select(x =>
            {
                double held = 1;
                for (int j = 0; j < m; j++) held += (fit[j] ? 0 : components[j].Prior) * x.X[j];
                return (double[])[held, .. used.Select(j => x.X[j])];
            }).ToArray();
            var beta = LinearLeastSquares.Solve(rows, [.. r.Select(x => x.R)]);
            if (beta is null) return ([.. components.Select((c, j) => fit[j] ? 0 : c.Prior)], fit);
            double a = beta[0];
            int negative = Array.FindIndex(used, j => beta[1 + Array.IndexOf(used, j)] < 0);
            if (negative >= 0) { use[used[negative]] = false; continue; }
            var growths = new double[m];
            for (int j = 0; j < m; j++)
            {
                double c = use[j] ? beta[1 + Array.IndexOf(used, j)] : 0;
                growths[j] = fit[j] ? (a > 0 ? Math.Min(c / a, components[j].Cap) : c > 0 ? components[j].Cap : 0) : components[j].Prior;
            }
            return (growths, fit);
        }
    }

    /// <summary>
    /// Q_S of a size term (<see cref="ConformalInterval.SizeQuantile"/>): the conformal quantile at <paramref name="level"/> of the
    /// scores |r_i| / s_i, r_i the relative errors of size extrapolations and s_i = ln(N_i / N_max) their log size ratios beyond
    /// the sizes fitted (the ceil((n + 1) level)-th smallest; with fewer, the largest). The size part of the half-width then is
    /// Q_S ln S, linear in the log size ratio as the scores are. Residuals with s &lt;= 0 or a non-finite r are ignored.
    /// </summary>
    /// <exception cref="ArgumentException">No residual with s &gt; 0.</exception>
    public static double SizeQuantile(IReadOnlyList<(double AbsRelative, double LogSizeRatio)> residuals, double level = 0.9)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "the level must be between 0 and 1.");
        var scores = residuals.Where(r => r.LogSizeRatio > 0 && double.IsFinite(r.AbsRelative)).Select(r => Math.Abs(r.AbsRelative) / r.LogSizeRatio).Order().ToArray();
        if (scores.Length == 0) throw new ArgumentException("no size-extrapolation residuals (each needs a log size ratio above 0).");
        int k = (int)Math.Ceiling((scores.Length + 1) * level);
        return scores[Math.Min(k, scores.Length) - 1];
    }

    /// <summary>
    /// The signed (two-tailed) twin of a calibrated interval (docs/VALIDATION.md "Protocol 9, fourth round"): the same residuals and
    /// the same growths (<paramref name="symmetric"/>'s g and g_s, fitted on |r|), the scores keeping their sign,
    /// s_i = r_i / (1 + g d_i + g_s D_i), and two one-sided split-conformal bounds at (1 - level) / 2 each (Lei et al. 2018,
    /// sec. 2; the two-tail split of Romano et al. 2019): q_lo, q_hi = <see cref="SignedTails"/>. The interval at distance d is
    /// predicted x [1 + q_lo w, 1 + q_hi w], w = 1 + g d + g_s D: where the residuals that calibrate it lean to one side (a law's
    /// systematic bias in the extrapolation they show) it leans with them instead of spending half its width on the other side.
    /// With <paramref name="sizeResiduals"/> (protocol 2's size term: each size extrapolation's r and ln S), the size term's signed
    /// tails of r / ln S too (<see cref="SignedSizeTails"/>).
    /// </summary>
    public static ConformalInterval Signed(ConformalInterval symmetric, IReadOnlyList<CalibrationResidual> residuals,
        IReadOnlyList<(double Relative, double LogSizeRatio)>? sizeResiduals = null)
    {
        ArgumentNullException.ThrowIfNull(symmetric);
        ArgumentNullException.ThrowIfNull(residuals);
        var scores = SignedScores(symmetric, residuals);
        var (lo, hi, exact) = SignedTails(scores, symmetric.Level);
        var result = symmetric with { LowerQuantile = lo, UpperQuantile = hi, Exact = symmetric.Exact && exact };
        if (sizeResiduals is null) return result;
        var (slo, shi) = SignedSizeTails(sizeResiduals, symmetric.Level);
        return result with { SizeLowerQuantile = slo, SizeUpperQuantile = shi };
    }

    /// <summary>
    /// The two tails of signed conformal scores at <paramref name="level"/>: q_lo = the k_lo-th smallest, k_lo = floor((n + 1)(1 - level) / 2),
    /// and q_hi = the k_hi-th smallest, k_hi = ceil((n + 1)(1 + level) / 2) (1-based). For a new score exchangeable with them,
    /// P(s &lt; q_lo) &lt;= k_lo / (n + 1) &lt;= (1 - level) / 2 and P(s &gt; q_hi) &lt;= (1 - level) / 2, so [q_lo, q_hi] holds it with
    /// probability at least <paramref name="level"/>. With k_lo &lt; 1 or k_hi &gt; n (too few scores: fewer than 19 at 90%) the extreme
    /// score and Exact false. Then q_lo = min(q_lo, 0) and q_hi = max(q_hi, 0): the interval always contains the prediction.
    /// </summary>
    /// <exception cref="ArgumentException">No finite score.</exception>
    public static (double Lower, double Upper, bool Exact) SignedTails(IReadOnlyList<double> scores, double level = 0.9)
    {
        var sorted = SortedFiniteScores(scores, level);
        int n = sorted.Length;
        int kLo = (int)Math.Floor((n + 1) * (1 - level) / 2 + 1e-9), kHi = (int)Math.Ceiling((n + 1) * (1 + level) / 2 - 1e-9);
        bool exact = kLo >= 1 && kHi <= n;
        double lo = sorted[Math.Clamp(kLo, 1, n) - 1], hi = sorted[Math.Clamp(kHi, 1, n) - 1];
        return (Math.Min(lo, 0), Math.Max(hi, 0), exact);
    }

    /// <summary>
    /// The size term's signed tails per unit of ln S: <see cref="SignedTails"/> of r_i / s_i over the size extrapolations with
    /// s_i = ln(N_i / N_max) &gt; 0 and a finite r_i (the signed twin of <see cref="SizeQuantile"/>).
    /// </summary>
    /// <exception cref="ArgumentException">No residual with s &gt; 0.</exception>
    public static (double Lower, double Upper) SignedSizeTails(IReadOnlyList<(double Relative, double LogSizeRatio)> residuals, double level = 0.9)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        var (lo, hi, _) = SignedTails(SizeScores(residuals), level);
        return (lo, hi);
    }

    /// <summary>The signed scores s_i = r_i / (1 + g d_i + g_s D_i) with <paramref name="symmetric"/>'s growths (+ g_N s_i, d_i without ln S, with a size growth; <see cref="ConformalInterval.ScoreWidth"/>; shared by <see cref="Signed"/> and <see cref="FiniteSample"/>).</summary>
    private static List<double> SignedScores(ConformalInterval symmetric, IReadOnlyList<CalibrationResidual> residuals) =>
        [.. residuals.Select(r => r.Relative / symmetric.ScoreWidth(r.Distance))];

    /// <summary>The size term's scores r_i / s_i over the size extrapolations with s_i = ln(N_i / N_max) &gt; 0 and a finite r_i.</summary>
    /// <exception cref="ArgumentException">No residual with s &gt; 0.</exception>
    private static List<double> SizeScores(IReadOnlyList<(double Relative, double LogSizeRatio)> sizeResiduals)
    {
        var scores = sizeResiduals.Where(r => r.LogSizeRatio > 0 && double.IsFinite(r.Relative)).Select(r => r.Relative / r.LogSizeRatio).ToList();
        if (scores.Count == 0) throw new ArgumentException("no size-extrapolation residuals (each needs a log size ratio above 0).");
        return scores;
    }

    /// <summary>The input checks of <see cref="SignedTails"/> and <see cref="FiniteSampleTails"/>, and their finite scores in ascending order.</summary>
    /// <exception cref="ArgumentException">No finite score.</exception>
    private static double[] SortedFiniteScores(IReadOnlyList<double> scores, double level)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "the level must be between 0 and 1.");
        var sorted = scores.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no calibration residuals: the intervals need out-of-sample predictions of at least one run.");
        return sorted;
    }

    /// <summary>
    /// The finite-sample twin of a calibrated interval (docs/VALIDATION.md "The planner's interval with few residuals", variant F): the
    /// same residuals and growths as <paramref name="symmetric"/> (g and g_s fitted on |r|), the signed scores s_i = r_i / w_i,
    /// w_i = 1 + g d_i + g_s D_i, and the tails of <see cref="FiniteSampleTails"/>, whose tier follows from how many scores there are:
    /// two exact one-sided tails when n allows both ranks, else the exact symmetric quantile, else a stated normal-theory fallback.
    /// With <paramref name="sizeResiduals"/>, the size term's scores r / ln S get the same rule. The result is in the signed
    /// representation (<see cref="ConformalInterval.Signed"/>), with <see cref="ConformalInterval.Tier"/> set.
    /// </summary>
    public static ConformalInterval FiniteSample(ConformalInterval symmetric, IReadOnlyList<CalibrationResidual> residuals,
        IReadOnlyList<(double Relative, double LogSizeRatio)>? sizeResiduals = null)
    {
        ArgumentNullException.ThrowIfNull(symmetric);
        ArgumentNullException.ThrowIfNull(residuals);
        var scores = SignedScores(symmetric, residuals);
        var (lo, hi, tier) = FiniteSampleTails(scores, symmetric.Level);
        var result = symmetric with { LowerQuantile = lo, UpperQuantile = hi, Tier = tier, Exact = tier != FiniteSampleTier.NormalFallback };
        if (sizeResiduals is null) return result;
        var (slo, shi, _) = FiniteSampleTails(SizeScores(sizeResiduals), symmetric.Level);
        return result with { SizeLowerQuantile = slo, SizeUpperQuantile = shi };
    }

    /// <summary>
    /// The tails (q_lo &lt;= 0 &lt;= q_hi) of signed scores at <paramref name="level"/> by the finite-sample tiers of docs/VALIDATION.md
    /// "The planner's interval with few residuals" (alpha = 1 - level, n finite scores, ranks 1-based in the sorted scores):
    /// <list type="number">
    /// <item><see cref="FiniteSampleTier.TwoTails"/> when k_lo = floor((n + 1) alpha / 2) &gt;= 1 and k_hi = ceil((n + 1)(1 - alpha / 2)) &lt;= n
    /// (n &gt;= 19 at 90%): q_lo = the k_lo-th smallest score, q_hi = the k_hi-th (each tail misses a new exchangeable score with
    /// probability at most alpha / 2; Lei et al. 2018 sec. 2, the two-tail split of Romano et al. 2019). A tail with no support on its
    /// side (q_lo &gt;= 0 or q_hi &lt;= 0) takes the symmetric quantile -Q or +Q of tier 2 instead of 0.</item>
    /// <item><see cref="FiniteSampleTier.Symmetric"/> when only k = ceil((n + 1)(1 - alpha)) &lt;= n (9 &lt;= n &lt;= 18 at 90%): -+ Q,
    /// Q = the k-th smallest |s| (split-conformal: P(|s_new| &lt;= Q) &gt;= level for exchangeable scores).</item>
    /// <item><see cref="FiniteSampleTier.NormalFallback"/> when k &gt; n (n &lt;= 8 at 90%: the conformal quantile is +infinity):
    /// -+ max(t_{n, 1 - alpha/2} sqrt(sum s_i^2 / n), max |s_i|). Stated assumption: zero-mean normal scores of unknown scale, so that
    /// s_new / sqrt(sum s_i^2 / n) is Student-t with n degrees of freedom (<see cref="Numerics.StudentT"/>); never below the largest score seen.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentException">No finite score.</exception>
    public static (double Lower, double Upper, FiniteSampleTier Tier) FiniteSampleTails(IReadOnlyList<double> scores, double level = 0.9)
    {
        var sorted = SortedFiniteScores(scores, level);
        int n = sorted.Length;
        double alpha = 1 - level;
        // The small tolerances keep ranks that are whole numbers in exact arithmetic (e.g. (19 + 1) 0.05 = 1) from rounding the wrong way.
        int kLo = (int)Math.Floor((n + 1) * alpha / 2 + 1e-9), kHi = (int)Math.Ceiling((n + 1) * (1 - alpha / 2) - 1e-9);
        var (symmetricQ, symmetricTier) = SymmetricTier(sorted, level);
        if (symmetricTier == FiniteSampleTier.NormalFallback) return (-symmetricQ, symmetricQ, FiniteSampleTier.NormalFallback);
        if (kLo < 1 || kHi > n) return (-symmetricQ, symmetricQ, FiniteSampleTier.Symmetric);
        double lo = sorted[kLo - 1], hi = sorted[kHi - 1];
        return (lo < 0 ? lo : -symmetricQ, hi > 0 ? hi : symmetricQ, FiniteSampleTier.TwoTails);
    }

    /// <summary>
    /// The symmetric tiers of <see cref="FiniteSampleTails"/> alone (tiers 2 and 3; docs/VALIDATION.md "Intervals: the tails chosen by the
    /// centre"), for scores whose sign is not to be trusted: Q = the k-th smallest |s|, k = ceil((n + 1) level), when k &lt;= n
    /// (<see cref="FiniteSampleTier.Symmetric"/>; split-conformal, Lei et al. 2018: P(|s_new| &lt;= Q) &gt;= level for exchangeable scores);
    /// else (n &lt;= 8 at 90%) max(t_{n, 1 - alpha/2} sqrt(sum s_i^2 / n), max |s_i|) (<see cref="FiniteSampleTier.NormalFallback"/>, the
    /// stated normal-theory bound). With |s| the scores' absolute values this is the plain conformal quantile of <see cref="Calibrate(IReadOnlyList{CalibrationResidual}, double)"/>
    /// whenever its rank exists.
    /// </summary>
    /// <exception cref="ArgumentException">No finite score.</exception>
    public static (double Quantile, FiniteSampleTier Tier) FiniteSampleSymmetricQuantile(IReadOnlyList<double> scores, double level = 0.9) =>
        SymmetricTier(SortedFiniteScores(scores, level), level);

    private static (double Quantile, FiniteSampleTier Tier) SymmetricTier(double[] sorted, double level)
    {
        int n = sorted.Length;
        int k = (int)Math.Ceiling((n + 1) * level - 1e-9);
        var abs = sorted.Select(Math.Abs).Order().ToArray();
        if (k <= n) return (abs[k - 1], FiniteSampleTier.Symmetric);
        double rms = Math.Sqrt(sorted.Sum(s => s * s) / n);
        return (Math.Max(Numerics.StudentT.TwoSidedQuantile(level, n) * rms, abs[^1]), FiniteSampleTier.NormalFallback);
    }

    /// <summary>
    /// Variant K's interval about a corrected centre (docs/VALIDATION.md "Intervals: the tails chosen by the centre"): the same residuals
    /// and growths as <paramref name="symmetric"/> (g and g_s fitted on |r|), the scores s_i = r_i / w_i, w_i = 1 + g d_i + g_s D_i, and
    /// the symmetric tiers of <see cref="FiniteSampleSymmetricQuantile"/>: -+ Q w. The residuals are those about the corrected
    /// prediction (the caller's: <c>HorizonBias.AboutCorrected</c>); their sign is not trusted, because the bias they shared one
    /// horizon step back has been subtracted from the centre and nothing says the next step's error leans the same way. The result is in
    /// the signed representation (q_lo = -Q, q_hi = Q, <see cref="ConformalInterval.Quantile"/> = Q) with <see cref="ConformalInterval.Tier"/>
    /// set and <see cref="ConformalInterval.AboutCorrected"/> true.
    /// </summary>
    public static ConformalInterval FiniteSampleSymmetric(ConformalInterval symmetric, IReadOnlyList<CalibrationResidual> residuals)
    {
        ArgumentNullException.ThrowIfNull(symmetric);
        ArgumentNullException.ThrowIfNull(residuals);
        var (q, tier) = FiniteSampleSymmetricQuantile(SignedScores(symmetric, residuals), symmetric.Level);
        return symmetric with
        {
            Quantile = q, LowerQuantile = -q, UpperQuantile = q, Tier = tier, Exact = tier != FiniteSampleTier.NormalFallback, AboutCorrected = true,
        };
    }

    // |r| = a + b d by least squares; growth = b / a, kept in [0, 10]. The prior when the data cannot tell.
    private static (double Growth, bool Fitted) Growth(IReadOnlyList<(double AbsRelative, double Distance)> r)
    {
        if (r.Count(x => x.Distance > Beyond) < 3 || r.Count(x => x.Distance <= Beyond) < 3) return (PriorGrowth, false);
        double md = r.Average(x => x.Distance), mr = r.Average(x => x.AbsRelative);
        double sxx = r.Sum(x => (x.Distance - md) * (x.Distance - md)), sxy = r.Sum(x => (x.Distance - md) * (x.AbsRelative - mr));
        double b = sxy / sxx, a = mr - b * md;
        if (!(a > 0)) return (10, true); // all error grows with distance: the steepest widening allowed
        return (Math.Clamp(b / a, 0, 10), true);
    }
}
