using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>The estimated optimum of one (N, D) cell.</summary>
/// <param name="N">Model size.</param>
/// <param name="D">Training tokens.</param>
/// <param name="LnLearningRate">ln of the optimal peak learning rate.</param>
/// <param name="LnBatchTokens">ln of the optimal batch size in tokens.</param>
/// <param name="Method">"quadratic", "best run", or "best run (...)" saying why the quadratic was not used.</param>
/// <param name="PointsUsed">Runs that entered the estimate.</param>
/// <param name="BestLoss">The cell's best loss (of the chosen kind).</param>
/// <param name="Best">The cell's best run.</param>
public sealed record CellOptimum(double N, double D, double LnLearningRate, double LnBatchTokens, string Method, int PointsUsed, double BestLoss, SweepPoint Best)
{
    /// <summary>The optimal peak learning rate, exp(<see cref="LnLearningRate"/>).</summary>
    public double LearningRate => Math.Exp(LnLearningRate);

    /// <summary>The optimal batch size in tokens per step, exp(<see cref="LnBatchTokens"/>).</summary>
    public double BatchTokens => Math.Exp(LnBatchTokens);
}
