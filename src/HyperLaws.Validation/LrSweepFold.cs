namespace HyperLaws.Validation;

/// <summary>One fold of protocol 20: a run held out of its cell (one peak LR left out), predicted by the joint law fitted without it.</summary>
/// <param name="Cell">The cell's label (optimizer, size, Chinchilla multiple: e.g. <c>adamw 130m 1x</c>).</param>
/// <param name="FiniteLrs">How many peak LRs of the cell have a finite (not diverged) loss, the held-out one included.</param>
/// <param name="Lr">The held-out run's peak LR.</param>
/// <param name="Actual">Its final loss.</param>
/// <param name="Predicted">The law's prediction, the cell's level taken from its other runs (<see cref="LrSweepHoldOut"/>).</param>
/// <param name="NearestLr">The baseline: the loss of the cell's nearest other finite LR in ln LR (the mean of both where two are as near).</param>
/// <param name="HeldBest">Whether the held-out run is the cell's best.</param>
/// <param name="LawOptimumLr">The optimum of the law fitted in this fold over the cell's LR grid (<see cref="LrSweepHoldOut.OptimumGrid"/>).</param>
/// <param name="BestLr">The cell's best LR (all its runs).</param>
public sealed record LrSweepFold(string Cell, int FiniteLrs, double Lr, double Actual, double Predicted, double NearestLr, bool HeldBest, double LawOptimumLr, double BestLr)
{
    /// <summary>|Predicted - Actual| / Actual.</summary>
    public double Error => Math.Abs(Predicted - Actual) / Actual;

    /// <summary>|NearestLr - Actual| / Actual.</summary>
    public double BaselineError => Math.Abs(NearestLr - Actual) / Actual;

    /// <summary>|log2(LawOptimumLr / BestLr)|: the fold's optimum's distance from the cell's best LR in sweep steps (the sweep's LRs are x2 apart).</summary>
    public double OptimumLog2 => Math.Abs(Math.Log2(LawOptimumLr / BestLr));

    /// <summary>Whether the fold's optimum is the grid LR nearest the best LR: <see cref="OptimumLog2"/> below half a step.</summary>
    public bool IsNearest => NearestStep(OptimumLog2);

    /// <summary>Whether the fold's optimum is within one sweep step of the best LR.</summary>
    public bool IsWithinStep => WithinOneStep(OptimumLog2);

    /// <summary>
    /// Protocol 20's "nearest" rule: <paramref name="log2"/> rounded to 9 digits below 0.5 (as <see cref="PlanBacktest.IsNear"/> rounds),
    /// so that an exact halfway tie (the 49-point grid puts optima at exact half-steps) is decided by the rule, not by float noise:
    /// a tie counts as not nearest.
    /// </summary>
    public static bool NearestStep(double log2) => Math.Round(log2, 9) < 0.5;

    /// <summary>Protocol 20's "within a step" rule: <paramref name="log2"/> rounded to 9 digits at most 1 (a tie counts as within).</summary>
    public static bool WithinOneStep(double log2) => Math.Round(log2, 9) <= 1;
}
