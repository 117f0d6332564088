namespace HyperLaws.Theory;

/// <summary>The transferred hyperparameters, the rule's exponents, and whether the rule stayed valid.</summary>
/// <param name="Request">What was transferred.</param>
/// <param name="Ratio">r = T / T0.</param>
/// <param name="Exponents">The rule applied (powers of r).</param>
/// <param name="RuleBatch">b0 r^c before rounding.</param>
/// <param name="LearningRate">eta at the target, adjusted for the rounded batch.</param>
/// <param name="Alpha">alpha = 1 - beta at the target.</param>
/// <param name="Batch">The (rounded) batch at the target.</param>
/// <param name="Iterations">K = T / b (divided by the sequence length when b counts sequences).</param>
/// <param name="Valid">False when the rule left its validity range (alpha &gt; 1, i.e. b &gt; u*(T), or b &lt; 1).</param>
/// <param name="Warnings">One line each, for people.</param>
public sealed record TransferResult(
    TransferRequest Request, double Ratio, ScalingExponents Exponents, double RuleBatch,
    double LearningRate, double Alpha, double Batch, double Iterations, bool Valid, IReadOnlyList<string> Warnings)
{
    /// <summary>The momentum beta = 1 - alpha at the target.</summary>
    public double Momentum => 1 - Alpha;
}
