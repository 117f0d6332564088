namespace HyperLaws.Theory.Verification;

/// <summary>
/// What the verification sweep solves: budgets log-spaced over [MinTokens, MaxTokens], the settings of
/// the paper's figures (Theorem 1 at beta = 0.999 and 0.934, Theorem 2 at b = 1072, unit constants), and
/// the window in which exponents are fitted (the last <see cref="FitDecades"/> decades, where the
/// lower-order terms of the 5-term proxy have faded; points in burn-in or with alpha clipped are excluded).
/// </summary>
public sealed record VerificationOptions
{
    /// <summary>The proxy's constants (default unit constants, as the paper's figures).</summary>
    public ProxyConstants Constants { get; init; } = ProxyConstants.Unit;
    /// <summary>The smallest budget T in tokens.</summary>
    public double MinTokens { get; init; } = 1e3;
    /// <summary>The largest budget T in tokens.</summary>
    public double MaxTokens { get; init; } = 1e14;
    /// <summary>The number of log-spaced budgets.</summary>
    public int Budgets { get; init; } = 100;
    /// <summary>The exponent-fit window: the last this many decades of budget.</summary>
    public double FitDecades { get; init; } = 5;
    /// <summary>The momenta beta of the fixed-momentum curves (Theorem 1).</summary>
    public IReadOnlyList<double> FixedMomentumBetas { get; init; } = [0.999, 0.934];
    /// <summary>The batch of the fixed-batch curve (Theorem 2).</summary>
    public double FixedBatch { get; init; } = 1072;
    /// <summary>The batch of the LR-only curve (regime A).</summary>
    public double LrOnlyBatch { get; init; } = 64;
    /// <summary>The momentum beta of the LR-only curve.</summary>
    public double LrOnlyMomentum { get; init; } = 0.999;
    /// <summary>The learning rate of the fixed-LR curve (batch tuned).</summary>
    public double FixedLearningRate { get; init; } = 1e-5;
    /// <summary>The momentum beta of the fixed-LR curve.</summary>
    public double FixedLearningRateMomentum { get; init; } = 0.999;
    /// <summary>The batch-growth exponents c of the ridge paths b ~ T^c compared with the joint optimum.</summary>
    public IReadOnlyList<double> RidgeExponents { get; init; } = [0, 1.0 / 12, 1.0 / 6, 0.25, 1.0 / 3, 5.0 / 12, 0.5];
    /// <summary>Whether every solution rounds the batch to a whole number.</summary>
    public bool IntegerBatch { get; init; }

    /// <summary>Tolerance on |fitted - theory| for an exponent check to pass.</summary>
    public double ExponentTolerance { get; init; } = 0.01;

    /// <summary>Momentum of the contour figure (best proxy over batch x iterations, eta tuned).</summary>
    public double ContourMomentum { get; init; } = 0.999;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">Budgets not increasing and positive, fewer than 3 budgets, or a window that is not positive.</exception>
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
