namespace HyperLaws.Cli.Commands.Contour;

/// <summary>One budget's grid: perplexity over warmup steps x peak LR (NaN where not finite or predicted to diverge) and its optimum.</summary>
/// <param name="Label">The budget as given ("1B tokens", "24000 steps").</param>
/// <param name="Steps">The budget in steps.</param>
/// <param name="WarmupSteps">The warmup axis in steps.</param>
/// <param name="Perplexity">exp(predicted loss), [peak index, warmup index].</param>
/// <param name="Warmup">The optimum's warmup.</param>
/// <param name="Peak">The optimum's peak LR.</param>
/// <param name="Loss">The optimum's predicted loss.</param>
/// <param name="Diverging">Cells predicted to diverge (0 without a screen).</param>
/// <param name="Cells">Cells in the grid.</param>
internal sealed record ContourGrid(string Label, int Steps, int[] WarmupSteps, double[,] Perplexity, int Warmup, double Peak, double Loss, int Diverging, int Cells)
{
    /// <summary>The divergence screen's P(diverge) at the optimum (NaN without a screen).</summary>
    public double DivergenceProbability { get; init; } = double.NaN;

    /// <summary>
    /// Cells left blank because their perplexity exp(L) is not a finite positive number (a finite loss above ~709 nats overflows
    /// to infinity, one below ~-745 underflows to 0), beside those whose loss is not finite; none of them can be the optimum.
    /// </summary>
    public int NoPerplexity { get; init; }

    /// <summary>The screen's critical peak LR eta_crit for each warmup of <see cref="WarmupSteps"/> (the boundary on the peak axis); null without a screen.</summary>
    public double[]? CriticalPeakLr { get; init; }

    /// <summary>True when the optimum's loss is withheld (the runs do not support it, <see cref="HyperLaws.Planning.PredictionSupport"/>): not printed.</summary>
    public bool LossWithheld { get; init; }

    /// <summary>The optimum's loss as printed: <see cref="Loss"/>, NaN when withheld.</summary>
    public double ShownLoss => LossWithheld ? double.NaN : Loss;
}
