namespace HyperLaws.Laws.Joint;

/// <summary>
/// The stability edge on the peak-LR axis for the joint law's edge term (<see cref="JointFitOptions.StabilityEdge"/>,
/// <see cref="JointLaw.EdgeHeight"/>): where the edge lies and how high the term may rise, given to a fit (not searched by it).
/// <code>
/// edge(t)        = H phi(eta_hat(t) / eta_edge),   eta_hat(t) = max_{k&lt;=t} eta_k (the raw peak so far)
/// phi(r)         = r^k / (1 + r^k) = sigmoid(k ln r)
/// ln eta_edge    = A + B ln(N/1e8) + C ln(batch/1e6) + E ln(D_t/1e10)     (a term is 0 when its variable is unknown)
/// 0 &lt;= H &lt;= H_max                                                    (H fitted by the joint law's linear solve)
/// </code>
/// The edge is the divergence model's critical peak LR (<c>HyperLaws.Divergence.CriticalLrRule</c>: the same centred logs and
/// references, and its logistic margin k), so the loss rises with the peak along the same function of ln(peak / eta_crit) that
/// the divergence probability does: negligible well below the edge (phi ~ r^k, k ~ 8: 4.6e-4 at r = 0.4), 1/2 at it, rising
/// steeply as the peak nears it. Sources: the divergence model (Step Law grid, Li et al. 2025: every cell's loss is U-shaped
/// in the LR with a steep wall next to the runs that diverge); Opt-Laws (Xie et al. 2024, shared/docs/schedule-laws.md) puts
/// a diverging run's loss at a fixed plateau and treats instability as lasting damage set by the hot phase, so the term uses
/// the peak, which a cooldown leaves unchanged; at the edge of stability the sharpness is pinned near 2/eta (Cohen et al.
/// 2021), so how close the peak came to the edge is a lasting property of the run. H_max is the divergence plateau's height
/// above the stable runs (a loss cannot rise past the plateau it diverges to): the term's height is fitted by the loss
/// data but bounded by what a diverged run shows.
/// </summary>
/// <param name="LnEdge">A: ln eta_edge at N = 1e8, 1e6 tokens per step, D = 1e10 tokens.</param>
/// <param name="SizeExponent">B, the edge's exponent in N.</param>
/// <param name="BatchExponent">C, the edge's exponent in the batch (tokens per step).</param>
/// <param name="DataExponent">E, the edge's exponent in the tokens trained up to the observed step.</param>
/// <param name="Slope">k, the steepness (the divergence model's logistic slope in ln(peak / eta_crit)), &gt; 0.</param>
/// <param name="MaxHeight">H_max &gt; 0, the bound on the fitted height H (nats).</param>
public sealed record JointStabilityEdge(double LnEdge, double SizeExponent, double BatchExponent, double DataExponent, double Slope, double MaxHeight)
{
    /// <summary>
    /// True: H is not fitted but fixed at H_max, the plateau's height (the second variant declared in docs/VALIDATION.md): the term is then
    /// P(diverge) (L_plateau - L_stable), the expected excess loss of a run that lands on the divergence plateau with the divergence model's
    /// probability (Opt-Laws' fixed plateau for a diverging run). False (default): H fitted in [0, H_max].
    /// </summary>
    public bool FixedHeight { get; init; }

    /// <summary>
    /// The divergence model's exponents and slope fitted on all 1,911 Step Law runs (data/priors/divergence-steplaw.json, the shipped
    /// prior of <c>CriticalLrRule</c>, docs/VALIDATION.md "Divergence"): B = -0.397, C = -0.070, E = 0.177, k = 8.39. Its intercept
    /// (eta_crit 0.019 at 1e8, 1M tokens, 10B) does not transfer between setups (the 124M grid diverges at 5e-3), so the intercept
    /// is fitted on the data's own divergence labels (<see cref="FitIntercept"/>).
    /// </summary>
    public const double PriorSizeExponent = -0.3974336794478819, PriorBatchExponent = -0.06995065566932838, PriorDataExponent = 0.17720964147741186, PriorSlope = 8.38768967322404;

    /// <summary>Throws when a field is out of range.</summary>
    public void Validate()
    {
        if (!double.IsFinite(LnEdge) || !double.IsFinite(SizeExponent) || !double.IsFinite(BatchExponent) || !double.IsFinite(DataExponent))
            throw new ArgumentException("JointStabilityEdge: the edge's intercept and exponents must be finite.");
        if (!(Slope > 0 && double.IsFinite(Slope))) throw new ArgumentException($"JointStabilityEdge: the slope k must be positive and finite (got {Slope}).");
        if (!(MaxHeight > 0 && double.IsFinite(MaxHeight))) throw new ArgumentException($"JointStabilityEdge: the height bound H_max must be positive and finite (got {MaxHeight}).");
    }

    /// <summary>ln eta_edge for a model of N parameters, B tokens per step, D tokens trained (NaN or non-positive: that term is 0).</summary>
    public double LnEdgeAt(double modelSize, double batchTokens, double tokens) => LnEdgeAt(LnEdge, SizeExponent, BatchExponent, DataExponent, modelSize, batchTokens, tokens);

    /// <summary>The same from the law's stored parameters.</summary>
    internal static double LnEdgeAt(double a, double b, double c, double e, double modelSize, double batchTokens, double tokens) =>
        a + Centred(b, modelSize, JointLaw.ReferenceSize) + Centred(c, batchTokens, JointLaw.ReferenceBatch) + Centred(e, tokens, JointLaw.ReferenceTokens);

    private static double Centred(double exponent, double x, double reference) => exponent == 0 || !(x > 0 && double.IsFinite(x)) ? 0 : exponent * Math.Log(x / reference);

    /// <summary>phi = sigmoid(k (ln peak - ln eta_edge)), in [0, 1], increasing in the peak; 0 for a peak of 0.</summary>
    public static double Phi(double peak, double lnEdge, double slope)
    {
        if (!(peak > 0)) return 0;
        double x = slope * (Math.Log(peak) - lnEdge);
        return x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
    }

    /// <summary>
    /// The edge from divergence labels: the intercept A by maximum likelihood of the logistic P(diverge) = phi(peak / eta_edge) with the
    /// exponents and slope given (the prior's), H_max = (mean loss of the diverged runs) - (mean loss of the stable ones). The likelihood's
    /// derivative in A is k (sum_i P_i - #diverged), monotone in A, so A is found by bisection. Null when the labels do not have both
    /// classes (no edge to place) or the diverged runs' loss is not above the stable runs'.
    /// </summary>
    /// <param name="labels">Runs with their peak LR, N, batch, tokens (NaN when unknown), whether they diverged and their (final or plateau) loss.</param>
    public static JointStabilityEdge? FitIntercept(IReadOnlyList<EdgeLabel> labels, double sizeExponent = PriorSizeExponent, double batchExponent = PriorBatchExponent,
        double dataExponent = PriorDataExponent, double slope = PriorSlope)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var usable = labels.Where(l => l.Peak > 0 && double.IsFinite(l.Peak)).ToList();
        int diverged = usable.Count(l => l.Diverged);
        if (diverged == 0 || diverged == usable.Count) return null;
        double lossDiverged = usable.Where(l => l.Diverged && double.IsFinite(l.Loss)).Select(l => l.Loss).DefaultIfEmpty(double.NaN).Average();
        double lossStable = usable.Where(l => !l.Diverged && double.IsFinite(l.Loss)).Select(l => l.Loss).DefaultIfEmpty(double.NaN).Average();
        double height = lossDiverged - lossStable;
        if (!(height > 0 && double.IsFinite(height))) return null;
        // x_i = ln peak_i - (the centred terms): P_i = sigmoid(k (x_i - A)).
        var x = usable.Select(l => Math.Log(l.Peak) - LnEdgeAt(0, sizeExponent, batchExponent, dataExponent, l.ModelSize, l.BatchTokens, l.Tokens)).ToArray();
        double Excess(double a) => x.Sum(v => Phi(Math.Exp(v), a, slope)) - diverged;   // decreasing in a
        double lo = x.Min() - 50 / slope, hi = x.Max() + 50 / slope;
        for (int i = 0; i < 200 && hi - lo > 1e-12; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Excess(mid) > 0) lo = mid; else hi = mid;
        }
        return new JointStabilityEdge(0.5 * (lo + hi), sizeExponent, batchExponent, dataExponent, slope, height);
    }
}
