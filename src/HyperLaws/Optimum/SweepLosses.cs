using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>Reads the chosen loss off a run.</summary>
public static class SweepLosses
{
    /// <summary>The run's final loss of the chosen kind (smoothed or raw).</summary>
    /// <exception cref="ArgumentException">The loss is missing, not finite or not positive.</exception>
    public static double Of(SweepPoint point, SweepLoss loss)
    {
        ArgumentNullException.ThrowIfNull(point);
        double v = loss == SweepLoss.Smooth ? point.SmoothLoss : point.Loss;
        if (!double.IsFinite(v) || v <= 0)
            throw new ArgumentException($"run {point.Name} has no usable {(loss == SweepLoss.Smooth ? "smooth loss" : "loss")} ({v.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        return v;
    }

    /// <summary>The cell's lowest loss of the chosen kind.</summary>
    public static double Best(SweepCell cell, SweepLoss loss)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Points.Min(p => Of(p, loss));
    }

    /// <summary>The loss column's name in messages and tables ("smooth loss" or "loss").</summary>
    public static string Name(SweepLoss loss) => loss == SweepLoss.Smooth ? "smooth loss" : "loss";
}
