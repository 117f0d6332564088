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
        double shape = ShapeGrowth * Math.Max(0, distance.Shape);
        if (!(SizeQuantile > 0)) return Quantile * (1 + Growth * Math.Max(0, distance.Value) + shape);
        double within = Quantile * (1 + Growth * Math.Max(0, Math.Log(distance.HorizonRatio) + Math.Log(distance.LrRatio)) + shape);
        double size = SizeQuantile * Math.Max(0, Math.Log(distance.SizeRatio));
        return Math.Sqrt(within * within + size * size);
    }

    /// <summary>The interval around <paramref name="predicted"/> at <paramref name="distance"/> (see <see cref="HalfWidth(ExtrapolationDistance)"/>).</summary>
    public (double Lower, double Upper) Bounds(double predicted, ExtrapolationDistance distance)
    {
        double h = HalfWidth(distance);
        return (predicted * Math.Max(0, 1 - h), predicted * (1 + h));
    }

    /// <summary>The interval around <paramref name="predicted"/> at distance <paramref name="distance"/>.</summary>
    public (double Lower, double Upper) Bounds(double predicted, double distance)
    {
        double h = HalfWidth(distance);
        return (predicted * Math.Max(0, 1 - h), predicted * (1 + h));
    }
}
