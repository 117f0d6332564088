namespace HyperLaws.Optimum;

/// <summary>
/// Step Law (Li et al. 2025, arXiv 2503.04715): eta* = 1.79 N^-0.713 D^0.307, B*_tokens = 0.58 D^0.571, N
/// non-embedding parameters, D tokens (shared/docs/schedule-laws.md). Fitted by its authors on this grid.
/// </summary>
public sealed class StepLawRule : IOptimumRule
{
    /// <summary>The rule (stateless).</summary>
    public static StepLawRule Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "Step Law";

    /// <inheritdoc/>
    public (double LnLearningRate, double LnBatchTokens) Predict(double n, double d) =>
        (Math.Log(1.79) - 0.713 * Math.Log(n) + 0.307 * Math.Log(d), Math.Log(0.58) + 0.571 * Math.Log(d));
}
