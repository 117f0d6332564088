namespace HyperLaws.Optimum;

/// <summary>A rule giving the optimal peak learning rate and batch size (tokens) of a model of N parameters trained on D tokens.</summary>
public interface IOptimumRule
{
    /// <summary>The rule's name in tables and JSON.</summary>
    string Name { get; }

    /// <summary>(ln eta*, ln B*_tokens) at (N, D).</summary>
    (double LnLearningRate, double LnBatchTokens) Predict(double n, double d);
}
