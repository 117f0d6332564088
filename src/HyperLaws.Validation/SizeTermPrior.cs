using HyperLaws.Evaluation;
using HyperLaws.SizeLaws;

namespace HyperLaws.Validation;

/// <summary>
/// The size term of protocol 2's interval (docs/VALIDATION.md, "Protocol 9, second round"): Q_S, the conformal quantile of
/// |r| / ln S over the size extrapolations of <see cref="SizeExtrapolation.Residuals"/> on the Chinchilla runs and on each
/// Porian et al. configuration.
/// </summary>
/// <param name="Variant">How the window fits were made, in words (e.g. "free exponent" or "alpha 0.34").</param>
/// <param name="Quantile">Q_S per unit of ln S.</param>
/// <param name="Level">Its level.</param>
/// <param name="Residuals">The size extrapolations it was calibrated on.</param>
public sealed record SizeTermPrior(string Variant, double Quantile, double Level, IReadOnlyList<SizeExtrapolationResidual> Residuals)
{
    /// <summary>Q_S of the residuals of the tables whose name satisfies <paramref name="table"/> (NaN: none).</summary>
    public double QuantileOf(Func<string, bool> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var some = Residuals.Where(r => table(r.Table)).Select(r => (Math.Abs(r.Relative), r.LogSizeRatio)).ToList();
        return some.Count == 0 ? double.NaN : ConformalCalibration.SizeQuantile(some, Level);
    }

    /// <summary>The number of residuals per table.</summary>
    public IReadOnlyDictionary<string, int> PerTable => Residuals.GroupBy(r => r.Table).ToDictionary(g => g.Key, g => g.Count());
}
