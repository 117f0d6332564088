namespace HyperLaws.Theory.Verification;

/// <summary>
/// What the verification sweep solves: budgets log-spaced over [MinTokens, MaxTokens], the settings of
/// the paper's figures (Theorem 1 at beta = 0.999 and 0.934, Theorem 2 at b = 1072, unit constants), and
/// the window in which exponents are fitted (the last <see cref="FitDecades"/> decades, where the
/// lower-order terms of the 5-term proxy have faded; points in burn-in or with alpha clipped are excluded).
/// </summary>
public sealed record VerificationOptions
{
    public ProxyConstants Constants { get; init; } = ProxyConstants.Unit;
    public double MinTokens { get; init; } = 1e3;
    public double MaxTokens { get; init; } = 1e14;
    public int Budgets { get; init; } = 100;
    public double FitDecades { get; init; } = 5;
    public IReadOnlyList<double> FixedMomentumBetas { get; init; } = [0.999, 0.934];
    public double FixedBatch { get; init; } = 1072;
    public double LrOnlyBatch { get; init; } = 64;
    public double LrOnlyMomentum { get; init; } = 0.999;
    public double FixedLearningRate { get; init; } = 1e-5;
    public double FixedLearningRateMomentum { get; init; } = 0.999;
    public IReadOnlyList<double> RidgeExponents { get; init; } = [0, 1.0 / 12, 1.0 / 6, 0.25, 1.0 / 3, 5.0 / 12, 0.5];
    public bool IntegerBatch { get; init; }

    /// <summary>Tolerance on |fitted - theory| for an exponent check to pass.</summary>
    public double ExponentTolerance { get; init; } = 0.01;

    /// <summary>Momentum of the contour figure (best proxy over batch x iterations, eta tuned).</summary>
    public double ContourMomentum { get; init; } = 0.999;

    public void Validate()
    {
        Constants.Validate();
        if (!(MinTokens > 0) || !(MaxTokens > MinTokens)) throw new ArgumentException("the sweep needs 0 < min tokens < max tokens.");
        if (Budgets < 3) throw new ArgumentException("the sweep needs at least 3 budgets.");
        if (!(FitDecades > 0)) throw new ArgumentException("the fit window must be positive.");
    }

    /// <summary>Budgets log-spaced from MinTokens to MaxTokens inclusive.</summary>
    public double[] BudgetGrid()
    {
        double lo = Math.Log10(MinTokens), hi = Math.Log10(MaxTokens);
        return Enumerable.Range(0, Budgets).Select(i => Math.Pow(10, lo + (hi - lo) * i / (Budgets - 1))).ToArray();
    }
}
