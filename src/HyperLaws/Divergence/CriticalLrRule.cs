namespace HyperLaws.Divergence;

/// <summary>
/// The divergence boundary on the peak-LR axis: the critical peak LR eta_crit above which a run of N
/// parameters, batchTokens tokens per step and D tokens in all (D = steps x batchTokens) is predicted
/// to diverge, as a power law with a logistic margin:
/// <code>
/// ln eta_crit = A + B ln(N / 1e8) + C ln(batchTokens / 1e6) + G ln(batchTokens / 1e6)^2 + E ln(D / 1e10) + W ln(warmup / 1000)
/// P(diverge)  = sigmoid(k (ln peak - ln eta_crit)),   diverges when peak &gt; eta_crit (P &gt; 1/2)
/// </code>
/// The power-law form is Step Law's (Li et al. 2025, arXiv 2503.04715: the optimal LR is a power law in
/// N and D); the stability edge is taken to move with the same variables. The margin ln(peak / eta_crit)
/// is on the same LR axis as the loss laws' peak LR, so a planner can cap its peak at eta_crit or at the
/// peak where P reaches a chosen risk (<see cref="PeakAtProbability"/>). The schedule enters through its
/// peak and its warmup; W is 0 unless fitted on runs with several warmups (the Step Law grid has one).
/// G, the edge's curvature in ln batch (an init-only term, 0 unless fitted: <see cref="CriticalLrFitter.Fit"/> with batchCurvature), lets the edge
/// peak at a batch instead of moving as a power of it (docs/VALIDATION.md, protocol 4-D).
/// Fitted by <see cref="CriticalLrFitter"/>.
/// </summary>
public sealed record CriticalLrRule(double A, double B, double C, double E, double W, double Slope)
{
    /// <summary>The reference point of the centred logs: N = 1e8 parameters, 1e6 tokens per step, D = 1e10 tokens, 1,000 warmup steps (A is ln eta_crit there).</summary>
    public const double NRef = 1e8, BatchRef = 1e6, TokensRef = 1e10, WarmupRef = 1000;

    /// <summary>G: the coefficient of ln(batchTokens / BatchRef)^2 in ln eta_crit (0: a power law in batch).</summary>
    public double G { get; init; }

    /// <summary>eta_crit: the largest peak LR predicted to train (P = 1/2).</summary>
    public double CriticalPeakLr(double n, double batchTokens, double tokens, double warmupSteps)
    {
        Check(n, nameof(n));
        Check(batchTokens, nameof(batchTokens));
        Check(tokens, nameof(tokens));
        return Math.Exp(LnCritical(n, batchTokens, tokens, warmupSteps));
    }

    /// <summary>ln eta_crit (no argument checks; the fitter's inner loop).</summary>
    internal double LnCritical(double n, double batchTokens, double tokens, double warmupSteps)
    {
        double lb = Math.Log(batchTokens / BatchRef);
        return A + B * Math.Log(n / NRef) + (C + G * lb) * lb + E * Math.Log(tokens / TokensRef) + W * Math.Log(Math.Max(warmupSteps, 1) / WarmupRef);
    }

    /// <summary>ln eta_crit of a labelled run (D = <see cref="DivergenceExample.Tokens"/>; no argument checks): the one place the fitters, the calibration and the ceilings read it.</summary>
    internal double LnCritical(DivergenceExample x) => LnCritical(x.N, x.BatchTokens, x.Tokens, x.WarmupSteps);

    /// <summary>P(diverge) of a peak LR: sigmoid(k ln(peak / eta_crit)).</summary>
    public double Probability(double peakLr, double n, double batchTokens, double tokens, double warmupSteps)
    {
        Check(peakLr, nameof(peakLr));
        return 1 / (1 + Math.Exp(-Slope * (Math.Log(peakLr) - Math.Log(CriticalPeakLr(n, batchTokens, tokens, warmupSteps)))));
    }

    /// <summary>The peak LR at which P(diverge) = <paramref name="probability"/>: eta_crit exp(logit(p) / k).</summary>
    public double PeakAtProbability(double probability, double n, double batchTokens, double tokens, double warmupSteps)
    {
        if (!(probability > 0 && probability < 1)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "the probability must be between 0 and 1.");
        return CriticalPeakLr(n, batchTokens, tokens, warmupSteps) * Math.Exp(Math.Log(probability / (1 - probability)) / Slope);
    }

    private static void Check(double x, string name)
    {
        if (!(x > 0) || !double.IsFinite(x)) throw new ArgumentOutOfRangeException(name, x, $"{name} must be positive and finite.");
    }
}
