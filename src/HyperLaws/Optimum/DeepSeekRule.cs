namespace HyperLaws.Optimum;

/// <summary>
/// DeepSeek LLM (DeepSeek-AI 2024): eta* = 0.3118 C^-0.125, B*_tokens = 0.292 C^0.3271 with compute C; here
/// C = 6 N D FLOPs (DeepSeek itself counts non-embedding FLOPs per token, M, so C = M D; 6 N is the usual
/// stand-in, and the Step Law table gives only N).
/// </summary>
public sealed class DeepSeekRule : IOptimumRule
{
    /// <summary>The rule (stateless).</summary>
    public static DeepSeekRule Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "DeepSeek";

    /// <inheritdoc/>
    public (double LnLearningRate, double LnBatchTokens) Predict(double n, double d)
    {
        double lnC = Math.Log(6 * n * d);
        return (Math.Log(0.3118) - 0.125 * lnC, Math.Log(0.292) + 0.3271 * lnC);
    }
}
