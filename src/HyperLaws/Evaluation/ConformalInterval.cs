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
    /// <summary>The relative half-width at distance d: Q (1 + Growth d).</summary>
    public double HalfWidth(double distance) => Quantile * (1 + Growth * Math.Max(0, distance));

    /// <summary>The interval around <paramref name="predicted"/> at distance <paramref name="distance"/>.</summary>
    public (double Lower, double Upper) Bounds(double predicted, double distance)
    {
        double h = HalfWidth(distance);
        return (predicted * Math.Max(0, 1 - h), predicted * (1 + h));
    }
}
