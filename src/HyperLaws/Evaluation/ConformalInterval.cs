namespace HyperLaws.Evaluation;

/// <summary>
/// A calibrated relative prediction interval that widens with the extrapolation distance d
/// (<see cref="ExtrapolationDistance.Value"/>): predicted x (1 -+ Q (1 + Growth d)), the lower end kept
/// above 0. Q is the split-conformal quantile of the normalised calibration scores |r_i| / (1 + Growth d_i)
/// (<see cref="ConformalCalibration.Calibrate(IReadOnlyList{CalibrationResidual}, double)"/>).
/// </summary>
/// <param name="Level">Nominal coverage (e.g. 0.9).</param>
/// <param name="Quantile">Q, the conformal quantile of the normalised scores.</param>
/// <param name="Growth">How fast the width grows with d (&gt;= 0).</param>
/// <param name="GrowthFitted">True when Growth was fitted on the calibration residuals, false when it is the prior (too few residuals beyond the data).</param>
/// <param name="Residuals">How many residuals calibrated it.</param>
/// <param name="Exact">False when there were too few residuals for the finite-sample rank ceil((n+1) level) and the largest score was used (under-covering).</param>
public sealed record ConformalInterval(double Level, double Quantile, double Growth, bool GrowthFitted, int Residuals, bool Exact)
{
    /// <summary>
    /// Q_S, the size term's quantile per unit of ln S (<see cref="ConformalCalibration.SizeQuantile"/>), calibrated on size
    /// extrapolations of other runs; 0 (the default): no separate size term, the size ratio enters d like the others.
    /// </summary>
    public double SizeQuantile { get; init; }

    /// <summary>
    /// g_s, how fast the width grows with the schedule-shape distance D (<see cref="ExtrapolationDistance.Shape"/>,
    /// <see cref="ConformalCalibration.CalibrateShape(IReadOnlyList{CalibrationResidual}, double)"/>); 0 (the default): the shape does not widen the interval.
    /// </summary>
    public double ShapeGrowth { get; init; }

    /// <summary>True when <see cref="ShapeGrowth"/> was fitted on residuals that show shape extrapolations, false when it is the prior (or 0, none).</summary>
    public bool ShapeGrowthFitted { get; init; }

    /// <summary>
    /// g_N, how fast the width grows with the size distance s = ln S (<see cref="ExtrapolationDistance.SizeRatio"/>) by its own growth
    /// (<see cref="ConformalCalibration.CalibrateSize(IReadOnlyList{CalibrationResidual}, double, bool)"/>, variant N, docs/VALIDATION.md
    /// "Intervals widened by the size-extrapolation distance"): the width is then 1 + Growth (ln H + ln L) + ShapeGrowth D + g_N ln S.
    /// NaN (the default): ln S is a part of d and widens with <see cref="Growth"/>, as before.
    /// </summary>
    public double SizeGrowth { get; init; } = double.NaN;

    /// <summary>True when <see cref="SizeGrowth"/> was fitted on residuals that extrapolate in size, false when it is the prior (or NaN, none).</summary>
    public bool SizeGrowthFitted { get; init; }

    /// <summary>True when the size distance has its own growth (<see cref="SizeGrowth"/> set).</summary>
    public bool SizeSeparate => !double.IsNaN(SizeGrowth);

    /// <summary>
    /// The width factor w_i by which a calibration residual at <paramref name="distance"/> is scaled (its score is r_i / w_i):
    /// 1 + Growth d + ShapeGrowth D, d = ln H + ln S + ln L; with <see cref="SizeSeparate"/>, 1 + Growth (ln H + ln L) + ShapeGrowth D + g_N ln S.
    /// </summary>
    public double ScoreWidth(ExtrapolationDistance distance)
    {
        ArgumentNullException.ThrowIfNull(distance);
        if (!SizeSeparate) return 1 + Growth * Math.Max(0, distance.Value) + ShapeGrowth * Math.Max(0, distance.Shape);
        return 1 + Growth * Math.Max(0, Math.Log(distance.HorizonRatio) + Math.Log(distance.LrRatio)) + ShapeGrowth * Math.Max(0, distance.Shape)
            + SizeGrowth * Math.Max(0, Math.Log(distance.SizeRatio));
    }

    /// <summary>
    /// q_lo, the lower tail of the signed scores r / w (<see cref="ConformalCalibration.Signed"/>, docs/VALIDATION.md "Protocol 9,
    /// fourth round"), at most 0; NaN (the default): the interval is symmetric, -+ <see cref="Quantile"/>.
    /// </summary>
    public double LowerQuantile { get; init; } = double.NaN;

    /// <summary>q_hi, the upper tail of the signed scores, at least 0; NaN (the default): symmetric.</summary>
    public double UpperQuantile { get; init; } = double.NaN;

    /// <summary>The size term's signed tails per unit of ln S (q_S,lo &lt;= 0 &lt;= q_S,hi); NaN (the default): -+ <see cref="SizeQuantile"/>.</summary>
    public double SizeLowerQuantile { get; init; } = double.NaN;

    /// <summary>The upper tail of the size term per unit of ln S; NaN (the default): <see cref="SizeQuantile"/>.</summary>
    public double SizeUpperQuantile { get; init; } = double.NaN;

    /// <summary>
    /// The tier of the finite-sample rule that set the tails (<see cref="ConformalCalibration.FiniteSample"/>, docs/VALIDATION.md "The
    /// planner's interval with few residuals"); null (the default): the interval was not made by that rule.
    /// </summary>
    public FiniteSampleTier? Tier { get; init; }

    /// <summary>
    /// True when the interval was calibrated on residuals about a corrected prediction and its tails are symmetric because their sign is
    /// not trusted (<see cref="ConformalCalibration.FiniteSampleSymmetric"/>, docs/VALIDATION.md "Intervals: the tails chosen by the centre").
    /// </summary>
    public bool AboutCorrected { get; init; }

    /// <summary>
    /// True (with <see cref="AboutCorrected"/>) when each residual was corrected by the bias of the other horizon steps rather than its
    /// own step's (docs/VALIDATION.md "Intervals: residuals corrected across horizon steps").
    /// </summary>
    public bool CrossStep { get; init; }

    /// <summary>
    /// True (with <see cref="CrossStep"/>) when the runs had one horizon step and the other step was a pseudo step made from the runs cut
    /// at 1 / R of their steps (docs/VALIDATION.md "Intervals: a pseudo horizon step when the runs have one").
    /// </summary>
    public bool PseudoStep { get; init; }

    /// <summary>
    /// The rule that made the interval, for reports: "symmetric", "signed", or "finite-sample, " and the tier (two tails, symmetric, normal
    /// fallback), followed by ", about the corrected prediction" for <see cref="AboutCorrected"/> (", corrected across horizon steps" with
    /// <see cref="CrossStep"/>, and " (pseudo step)" with <see cref="PseudoStep"/>).
    /// </summary>
    public string Rule => Tier switch
    {
        FiniteSampleTier.TwoTails => "finite-sample, two tails",
        FiniteSampleTier.Symmetric => "finite-sample, symmetric",
        FiniteSampleTier.NormalFallback => "finite-sample, normal fallback",
        _ => Signed ? "signed" : "symmetric",
    } + (!AboutCorrected ? "" : CrossStep ? ", corrected across horizon steps" + (PseudoStep ? " (pseudo step)" : "") : ", about the corrected prediction");

    /// <summary>True when the tails are signed (<see cref="LowerQuantile"/> and <see cref="UpperQuantile"/> set).</summary>
    public bool Signed => !double.IsNaN(LowerQuantile) && !double.IsNaN(UpperQuantile);

    /// <summary>The relative half-width at distance d: Q (1 + Growth d).</summary>
    public double HalfWidth(double distance) => Quantile * (1 + Growth * Math.Max(0, distance));

    /// <summary>
    /// The relative half-width at <paramref name="distance"/>: with a size term (<see cref="SizeQuantile"/> &gt; 0),
    /// sqrt((Q (1 + Growth (ln H + ln L) + ShapeGrowth D))^2 + (Q_S ln S)^2), the within-size part and the size part added as
    /// independent errors (for independent zero-mean normal errors the level quantile of their sum); without one,
    /// Q (1 + Growth d + ShapeGrowth D). D is the schedule-shape distance (<see cref="ExtrapolationDistance.Shape"/>; its term
    /// is 0 unless <see cref="ShapeGrowth"/> was calibrated).
    /// </summary>
    public double HalfWidth(ExtrapolationDistance distance)
    {
        ArgumentNullException.ThrowIfNull(distance);
        bool sized = SizeQuantile > 0;
        double within = Quantile * Width(distance, sized);
        if (!sized) return within;
        double size = SizeQuantile * Math.Max(0, Math.Log(distance.SizeRatio));
        return Math.Sqrt(within * within + size * size);
    }

    /// <summary>
    /// The relative interval (lower, upper) around a prediction at <paramref name="distance"/>, as offsets of actual / predicted - 1.
    /// Symmetric: -+ <see cref="HalfWidth(ExtrapolationDistance)"/>. Signed (<see cref="Signed"/>): the within-size part
    /// [q_lo w, q_hi w], w = 1 + Growth d + ShapeGrowth D (d = ln H + ln L when a size term is present, else ln H + ln S + ln L);
    /// with a size term the size part [q_S,lo ln S, q_S,hi ln S] (or -+ Q_S ln S) is added as an independent error: centres added,
    /// half-widths in quadrature, the result kept around 0 (the interval contains the prediction; docs/VALIDATION.md "Protocol 9,
    /// fourth round"). For symmetric parts this is -+ the half-width.
    /// </summary>
    public (double Lower, double Upper) RelativeBounds(ExtrapolationDistance distance)
    {
        ArgumentNullException.ThrowIfNull(distance);
        if (!Signed) { double h = HalfWidth(distance); return (-h, h); }
        bool sized = SizeQuantile > 0 || !double.IsNaN(SizeLowerQuantile);
        double w = Width(distance, sized);
        double lo = LowerQuantile * w, hi = UpperQuantile * w;
        if (!sized) return (lo, hi);
        double s = Math.Max(0, Math.Log(distance.SizeRatio));
        double slo = (double.IsNaN(SizeLowerQuantile) ? -SizeQuantile : SizeLowerQuantile) * s, shi = (double.IsNaN(SizeUpperQuantile) ? SizeQuantile : SizeUpperQuantile) * s;
        double c = (lo + hi) / 2 + (slo + shi) / 2, half = Math.Sqrt(Sq((hi - lo) / 2) + Sq((shi - slo) / 2));
        // Kept around 0 like each part's tails: the interval always contains the prediction (docs/VALIDATION.md "Protocol 9, fourth round").
        return (Math.Min(c - half, 0), Math.Max(c + half, 0));
    }

    /// <summary>The relative interval at distance d alone (no size term, no shape): symmetric -+ Q (1 + Growth d), or [q_lo, q_hi] (1 + Growth d).</summary>
    public (double Lower, double Upper) RelativeBounds(double distance) => RelativeBounds(distance, 0);

    /// <summary>
    /// The relative interval at distance d and schedule-shape distance D (no size term): w = 1 + Growth d + ShapeGrowth D, symmetric -+ Q w,
    /// or [q_lo w, q_hi w] (docs/VALIDATION.md "Intervals widened by the schedule-shape distance"). With <see cref="ShapeGrowth"/> 0 (every
    /// calibration but <see cref="ConformalCalibration.CalibrateShape(IReadOnlyList{CalibrationResidual}, double)"/>'s) D adds nothing.
    /// </summary>
    public (double Lower, double Upper) RelativeBounds(double distance, double shape) => RelativeBounds(distance, shape, 0);

    /// <summary>
    /// The relative interval at distance d, shape distance D and size distance s = ln S (no size term): w = 1 + Growth d + ShapeGrowth D
    /// (+ <see cref="SizeGrowth"/> s with <see cref="SizeSeparate"/>, d then ln H + ln L; docs/VALIDATION.md "Intervals widened by the
    /// size-extrapolation distance"), symmetric -+ Q w, or [q_lo w, q_hi w]. Without <see cref="SizeSeparate"/> s adds nothing.
    /// </summary>
    public (double Lower, double Upper) RelativeBounds(double distance, double shape, double logSize)
    {
        double w = 1 + Growth * Math.Max(0, distance) + ShapeGrowth * (double.IsFinite(shape) ? Math.Max(0, shape) : 0);
        if (SizeSeparate && double.IsFinite(logSize)) w += SizeGrowth * Math.Max(0, logSize);
        return Signed ? (LowerQuantile * w, UpperQuantile * w) : (-Quantile * w, Quantile * w);
    }

    private static double Sq(double x) => x * x;

    /// <summary>
    /// The within-size width factor 1 + Growth d + ShapeGrowth D: d = ln H + ln L when a size term is added separately
    /// (<paramref name="sized"/>), else the whole distance ln H + ln S + ln L; with <see cref="SizeSeparate"/> <see cref="ScoreWidth"/>
    /// (the size distance by its own growth; not meant to be combined with a size term).
    /// </summary>
    private double Width(ExtrapolationDistance distance, bool sized) =>
        SizeSeparate ? ScoreWidth(distance)
        : 1 + Growth * Math.Max(0, sized ? Math.Log(distance.HorizonRatio) + Math.Log(distance.LrRatio) : distance.Value)
          + ShapeGrowth * Math.Max(0, distance.Shape);

    /// <summary>The interval around <paramref name="predicted"/> at <paramref name="distance"/> (see <see cref="RelativeBounds(ExtrapolationDistance)"/>), the lower end kept at or above 0.</summary>
    public (double Lower, double Upper) Bounds(double predicted, ExtrapolationDistance distance)
    {
        var (lo, hi) = RelativeBounds(distance);
        return (predicted * Math.Max(0, 1 + lo), predicted * (1 + hi));
    }

    /// <summary>The interval around <paramref name="predicted"/> at distance <paramref name="distance"/> (see <see cref="RelativeBounds(double)"/>).</summary>
    public (double Lower, double Upper) Bounds(double predicted, double distance) => Bounds(predicted, distance, 0);

    /// <summary>The interval around <paramref name="predicted"/> at distance d and shape distance D (see <see cref="RelativeBounds(double, double)"/>), the lower end kept at or above 0.</summary>
    public (double Lower, double Upper) Bounds(double predicted, double distance, double shape) => Bounds(predicted, distance, shape, 0);

    /// <summary>The interval around <paramref name="predicted"/> at distance d, shape distance D and size distance s (see <see cref="RelativeBounds(double, double, double)"/>), the lower end kept at or above 0.</summary>
    public (double Lower, double Upper) Bounds(double predicted, double distance, double shape, double logSize)
    {
        var (lo, hi) = RelativeBounds(distance, shape, logSize);
        return (predicted * Math.Max(0, 1 + lo), predicted * (1 + hi));
    }
}
