using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>The grid run nearest a predicted optimum and its loss gap to the cell's best run.</summary>
/// <param name="LnLearningRate">The predicted ln eta*.</param>
/// <param name="LnBatchTokens">The predicted ln B* (tokens).</param>
/// <param name="Run">The nearest run.</param>
/// <param name="Distance">Its distance in (ln lr, ln batch).</param>
/// <param name="Loss">Its loss.</param>
/// <param name="BestLoss">The cell's best loss.</param>
public sealed record NearestRunGap(double LnLearningRate, double LnBatchTokens, SweepPoint Run, double Distance, double Loss, double BestLoss)
{
    /// <summary>The predicted peak learning rate, exp(<see cref="LnLearningRate"/>).</summary>
    public double LearningRate => Math.Exp(LnLearningRate);

    /// <summary>The predicted batch size in tokens per step, exp(<see cref="LnBatchTokens"/>).</summary>
    public double BatchTokens => Math.Exp(LnBatchTokens);

    /// <summary>Loss of the nearest run / the cell's best loss - 1 (a fraction; 0 when it is the best run).</summary>
    public double Gap => Loss / BestLoss - 1;
}
