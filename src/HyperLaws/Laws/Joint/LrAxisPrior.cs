using HyperLaws.Optimum;

namespace HyperLaws.Laws.Joint;

/// <summary>
/// A prior on the joint law's LR axis for runs that cannot tell it (one peak LR), fitted on multi-LR sweeps and carried to
/// other model sizes, data and batches by measuring the LR in units of a reference LR, eta_ref(N, D) = Step Law's optimum
/// 1.79 N^-0.713 D^0.307 (Li et al. 2025; <see cref="StepLawRule"/>). It states where the loss of a reference schedule
/// (Step Law's: warmup, cosine decay) is lowest, x* = eta*/eta_ref, and how sharply it rises around it,
/// L(eta) = L* (1 + k ln(eta/eta*)^2), with k(D) = k0 (D/D0)^-q (version 2 of the prior file; q = 0, one k, in version 1:
/// the cells' k falls with D, 0.013 at 4e9 tokens to 0.003 at 1e11, so one number is a simplification). <see cref="LrAxisCalibration"/> turns the two into the joint law's saturation kappa and
/// cost C at a target, with the rest of the law fitted on the user's runs, so that the law's optimum for other schedule shapes
/// (warmup, cooldown, family) follows from the law. Why these two numbers and not kappa and C themselves: fitted on the Step
/// Law cells, the joint law cannot tell its cost K from the noise left at the end of a cosine run (both grow as the peak;
/// kappa_hat = kappa eta_ref ran from 1e-11 to 13 over the 17 cells, and a pooled fit put the progress amplitude at 0), while
/// the location and the curvature of the loss in ln LR are read off each cell directly and agree across cells.
/// </summary>
/// <param name="Ratio">x*: the median over cells of eta*/eta_ref.</param>
/// <param name="Curvature">k0, k at <paramref name="CurvatureTokens"/> (with q = 0: the median of k over cells).</param>
/// <param name="LnRatioSpread">Half the interquartile range of ln x* over the cells.</param>
/// <param name="LnCurvatureSpread">Half the interquartile range over the cells of ln k (q = 0) or of ln k - ln k(D) (the spread about k(D)).</param>
/// <param name="RatioLow">The lowest peak/eta_ref the prior's runs cover (median over cells of each cell's lowest).</param>
/// <param name="RatioHigh">The highest peak/eta_ref the prior's runs cover (median over cells of each cell's highest).</param>
/// <param name="Cells">The number of (N, D) cells the prior was fitted on.</param>
/// <param name="CurvatureExponent">q of k(D) = k0 (D/D0)^-q (0: one k for every D).</param>
/// <param name="CurvatureTokens">D0, the tokens at which k = k0 (<see cref="DefaultCurvatureTokens"/>).</param>
public sealed record LrAxisPrior(double Ratio, double Curvature, double LnRatioSpread, double LnCurvatureSpread, double RatioLow, double RatioHigh, int Cells,
    double CurvatureExponent = 0, double CurvatureTokens = LrAxisPrior.DefaultCurvatureTokens)
{
    /// <summary>D0 of k(D): 1e10 tokens, inside the Step Law cells' 4e9..1e11 (a fixed reference, so k0 is comparable between fits).</summary>
    public const double DefaultCurvatureTokens = 1e10;

    /// <summary>k(D) = k0 (D/D0)^-q at <paramref name="tokens"/> D; k0 when q = 0 or D is not a positive number.</summary>
    public double CurvatureAt(double tokens) =>
        CurvatureExponent == 0 || !(tokens > 0 && double.IsFinite(tokens)) ? Curvature : Curvature * Math.Pow(tokens / CurvatureTokens, -CurvatureExponent);

    /// <summary>The reference rule's name as the prior file states it.</summary>
    public const string ReferenceRule = "steplaw";

    /// <summary>eta_ref(N, D) (Step Law), at Step Law's own batch B*(D) = 0.58 D^0.571.</summary>
    public static double ReferenceLr(double n, double d) => Math.Exp(StepLawRule.Instance.Predict(n, d).LnLearningRate);

    /// <summary>
    /// eta_ref(N, D) carried to a plan's batch: eta_ref(N, D) x <paramref name="batchFactor"/>, the factor the plan applies to its
    /// rule's LR for the batch it trains at (<c>PlanHyperparameters.BatchLrFactor</c>: sqrt(B / B_rule) for a fixed batch, 1 at the
    /// rule's own batch, where this is <see cref="ReferenceLr(double, double)"/> bit for bit), so the prior's optimum and the rule's
    /// LR move with the batch by the same factor.
    /// <para>Scope: B_rule is the batch of the rule the plan used, while eta_ref is Step Law's at Step Law's batch B*(D). Only where
    /// B_rule = B*(D) (the default <c>--anchor steplaw</c>, with the batch not calibrated from the runs) is eta_ref x factor Step Law's
    /// LR carried to B, the rule's own LR. With <c>--anchor deepseek</c> or a batch calibrated from the runs B_rule differs from B*(D):
    /// the factor still moves both by the same ratio, so they never disagree about a change of batch, but their levels keep the ratio
    /// they have at the rule's batch (eta_ref(N, D) over the rule's LR), which this does not reconcile.</para>
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="batchFactor"/> is not a positive finite number.</exception>
    public static double ReferenceLr(double n, double d, double batchFactor)
    {
        if (!(batchFactor > 0 && double.IsFinite(batchFactor))) throw new ArgumentException($"the batch's LR factor must be positive and finite (got {batchFactor}).", nameof(batchFactor));
        return ReferenceLr(n, d) * batchFactor;
    }

    /// <summary>The prior's optimal peak at (N, D) for its reference schedule: x* eta_ref(N, D), at a plan's batch by <paramref name="batchFactor"/> (<see cref="ReferenceLr(double, double, double)"/>).</summary>
    public double OptimalLr(double n, double d, double batchFactor = 1) => Ratio * ReferenceLr(n, d, batchFactor);

    /// <summary>The peaks the prior's runs cover at (N, D): [RatioLow, RatioHigh] x eta_ref, at a plan's batch by <paramref name="batchFactor"/> (<see cref="ReferenceLr(double, double, double)"/>).</summary>
    public (double Low, double High) Support(double n, double d, double batchFactor = 1) => (RatioLow * ReferenceLr(n, d, batchFactor), RatioHigh * ReferenceLr(n, d, batchFactor));

    /// <exception cref="ArgumentException">A value out of range.</exception>
    public void Validate()
    {
        if (!(Ratio > 0 && double.IsFinite(Ratio))) throw new ArgumentException($"ratio must be positive and finite (got {Ratio}).");
        if (!(Curvature > 0 && double.IsFinite(Curvature))) throw new ArgumentException($"curvature must be positive and finite (got {Curvature}).");
        if (!(LnRatioSpread >= 0) || !(LnCurvatureSpread >= 0)) throw new ArgumentException("the spreads must be >= 0.");
        if (!(RatioLow > 0 && RatioHigh > RatioLow && double.IsFinite(RatioHigh))) throw new ArgumentException($"the supported ratios must satisfy 0 < low < high (got {RatioLow}, {RatioHigh}).");
        if (!(RatioLow <= Ratio && Ratio <= RatioHigh)) throw new ArgumentException($"the ratio {Ratio} lies outside the supported {RatioLow}..{RatioHigh}.");
        if (Cells < 1) throw new ArgumentException($"cells must be >= 1 (got {Cells}).");
        if (!(Math.Abs(CurvatureExponent) <= 5)) throw new ArgumentException($"the curvature's exponent q must be within +/-5 (got {CurvatureExponent}).");
        if (!(CurvatureTokens > 0 && double.IsFinite(CurvatureTokens))) throw new ArgumentException($"the curvature's reference tokens D0 must be positive and finite (got {CurvatureTokens}).");
    }
}
