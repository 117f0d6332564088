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

    /// <summary>
    /// The factor of "mpl-pub" (declared in docs/VALIDATION.md, "Protocol 3: ... (helper p3rank; declared before scoring)"): 1, a
    /// box of zero width, so C, beta and gamma are held at the published means and only L0, A, alpha and B are fitted. Not fitted
    /// to any run of this project: the shape is the mean of Luo et al.'s three fits.
    /// </summary>
    public const double PinnedFactor = 1;

    /// <summary>
    /// beta of "mpl-log": held at 1e-6, MPL's log limit. As beta -> 0 with B beta fixed, B G(x) = B (1 - (C x + 1)^-beta) ->
    /// B beta ln(1 + C x) (a drop that grows with the log of the relaxed LR sum and never saturates); at beta = 1e-6 the
    /// relative difference from the limit is at most beta ln(1 + C x) / 2, below 2e-5 for C x up to 1e17. The value is not
    /// fitted: any beta small enough for that bound gives the same curves (B takes up the scale).
    /// </summary>
    public const double LogLimitBeta = 1e-6;

    /// <summary>
    /// gamma's upper end of "mpl-g1": 1. In MPL the decrement made at LR eta_k relaxes on the clock x = eta_k^-gamma S_k(t). With
    /// steps n at about that LR, S = eta_k n and x = eta_k^(1-gamma) n: gamma &lt;= 1 says a decrement made at a lower LR never
    /// relaxes faster in steps than one made at a higher LR (SGD's noise relaxes on the LR sum, gamma = 0, or slower); gamma
    /// &gt; 1 allows the reverse, and protocol 3's fits at long training cooldowns use it (gamma 24-57, a threshold LR below which
    /// the loss follows the LR without lag). The published fits have gamma 0.63-0.66.
    /// </summary>
    public const double MaxGamma = 1;

    /// <summary>MPL's 7 parameters free except the given ends (index to (lower, upper)).</summary>
    public static ParameterBounds With(IReadOnlyDictionary<int, (double Lower, double Upper)> ends)
    {
        ArgumentNullException.ThrowIfNull(ends);
        var lower = new double[7];
        var upper = new double[7];
        Array.Fill(lower, double.NegativeInfinity);
        Array.Fill(upper, double.PositiveInfinity);
        foreach (var (j, (lo, hi)) in ends) (lower[j], upper[j]) = (lo, hi);
        return new ParameterBounds(lower, upper);
    }

    /// <summary>The box with C, beta and gamma within a factor <paramref name="factor"/> (&gt;= 1) of their published means.</summary>
    public static ParameterBounds Create(double factor = Factor)
    {
        if (!(factor >= 1) || double.IsPositiveInfinity(factor)) throw new ArgumentOutOfRangeException(nameof(factor), "The factor must be finite and at least 1.");
        var ends = new Dictionary<int, (double Lower, double Upper)>();
        foreach (int j in (int[])[MultiPowerLaw.C, MultiPowerLaw.Beta, MultiPowerLaw.Gamma])
        {
            double mean = PublishedMean(j);
            ends[j] = (mean / factor, mean * factor);
        }
        return With(ends);
    }
}
