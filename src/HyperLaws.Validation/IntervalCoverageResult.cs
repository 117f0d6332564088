using HyperLaws.Evaluation;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>Protocol 9 on one split of one protocol, for one law: the calibration and every held-out final loss.</summary>
/// <param name="Protocol">The protocol and split, e.g. "2" or "6 (H = 35000)".</param>
/// <param name="Law">The law's name.</param>
/// <param name="Interval">The interval calibrated on the training runs.</param>
/// <param name="Residuals">Its calibration residuals.</param>
/// <param name="HeldOut">The held-out final losses.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record IntervalCoverageResult(string Protocol, string Law, ConformalInterval Interval, IReadOnlyList<CalibrationResidual> Residuals, IReadOnlyList<HeldOutInterval> HeldOut, double Seconds)
{
    /// <summary>Share of held-out final losses inside their interval.</summary>
    public double Coverage => HeldOut.Count == 0 ? double.NaN : HeldOut.Count(h => h.Inside) / (double)HeldOut.Count;

    /// <summary>The size term added to <see cref="Interval"/> (its <see cref="ConformalInterval.SizeQuantile"/>); null: none.</summary>
    public SizeTermPrior? SizeTerm { get; init; }
}
