namespace HyperLaws.Divergence;

/// <summary>One held-out run of the within-sweep protocols: its calibrated eta_crit under each variant.</summary>
/// <param name="Example">The run.</param>
/// <param name="Slope">The prior's logistic slope k (the calibration keeps it).</param>
/// <param name="CriticalPeakLr">eta_crit per variant, each from a fit that did not see the run.</param>
public sealed record WithinSweepPrediction(DivergenceExample Example, double Slope, IReadOnlyDictionary<SweepVariant, double> CriticalPeakLr)
{
    /// <summary>P(diverge) = sigmoid(k ln(peak / eta_crit)) under <paramref name="variant"/>.</summary>
    public double Probability(SweepVariant variant) => 1 / (1 + Math.Exp(-Slope * Math.Log(Example.PeakLr / CriticalPeakLr[variant])));

    /// <summary>The verdict under <paramref name="variant"/>: peak &gt; eta_crit.</summary>
    public bool Diverges(SweepVariant variant) => Example.PeakLr > CriticalPeakLr[variant];
}
