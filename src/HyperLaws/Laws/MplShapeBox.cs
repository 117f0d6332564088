namespace HyperLaws.Laws;

/// <summary>
/// A box on the Multi-Power Law's drop shape (C, beta, gamma) around the published fits (Luo et al. 2025, arXiv 2503.12811;
/// <see cref="MultiPowerLaw.Published"/>: 25M, 100M and 400M, AdamW at peak 3e-4): each of the three within a factor
/// <c>f</c> of its mean over the three fits (C 2.0742, beta 0.5914, gamma 0.6438, the values <c>DecayPrior</c> holds), i.e.
/// <c>mean / f &lt;= p &lt;= mean f</c>; L0, A, alpha and B are left free. Declared in docs/VALIDATION.md ("Protocol 3: MPL with its drop
/// shape bounded", helper rank) before it was scored: <see cref="Factor"/> = 10 (a decade either way; the published fits
/// differ by 5% over a 16x range of model size, the decade leaves room for other LRs, optimizers and data). The box is not fitted to any run: it excludes the run-off fits
/// of protocol 3 at long training cooldowns (gamma 24-62, C up to 1e95) by a range taken from the published fits alone.
/// </summary>
public static class MplShapeBox
{
    /// <summary>f of the declared box ("mpl-box"): a decade either way of the published means.</summary>
    public const double Factor = 10;

    /// <summary>The mean of C, beta and gamma over the published fits (index by <see cref="MultiPowerLaw.C"/> etc.).</summary>
    public static double PublishedMean(int parameter) => MultiPowerLaw.Published.Values.Average(p => p[parameter]);

    /// <summary>The box with C, beta and gamma within a factor <paramref name="factor"/> (&gt;= 1) of their published means.</summary>
    public static ParameterBounds Create(double factor = Factor)
    {
        if (!(factor >= 1) || double.IsPositiveInfinity(factor)) throw new ArgumentOutOfRangeException(nameof(factor), "The factor must be finite and at least 1.");
        var lower = new double[7];
        var upper = new double[7];
        Array.Fill(lower, double.NegativeInfinity);
        Array.Fill(upper, double.PositiveInfinity);
        foreach (int j in (int[])[MultiPowerLaw.C, MultiPowerLaw.Beta, MultiPowerLaw.Gamma])
        {
            double mean = PublishedMean(j);
            (lower[j], upper[j]) = (mean / factor, mean * factor);
        }
        return new ParameterBounds(lower, upper);
    }
}
