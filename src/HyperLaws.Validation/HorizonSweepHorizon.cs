namespace HyperLaws.Validation;

/// <summary>One held-out horizon of protocol 25 (<see cref="HorizonSweep"/>): the sweep's best peak LR and the three answers for it.</summary>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="D">Training tokens.</param>
/// <param name="Runs">Finite runs at this horizon.</param>
/// <param name="BestLr">The sweep's best run's LR (the lowest loss).</param>
/// <param name="Bracketed">Whether runs at a lower and at a higher LR than the best's exist.</param>
/// <param name="LawLr">The joint law's optimum over <see cref="HorizonSweep.OptimumGrid"/> log-spaced LRs from half the lowest LR to twice the highest.</param>
/// <param name="FlatLr">The flat hold: the best LR at the longest fitted horizon.</param>
/// <param name="LogLogLr">The log-log baseline: ln best LR = a + b ln D fitted over the fitted horizons, at D.</param>
/// <param name="LawAtGridEdge">Whether <paramref name="LawLr"/> is the grid's first or last point (a bound, not an optimum).</param>
public sealed record HorizonSweepHorizon(string Optimizer, double D, int Runs, double BestLr, bool Bracketed, double LawLr, double FlatLr, double LogLogLr, bool LawAtGridEdge = false)
{
    /// <summary>Rule (ii)'s count: the law's optimum within x2 of the best (|log2| &lt;= 1) and inside its grid.</summary>
    public bool LawWithin2 => LawSteps <= 1 && !LawAtGridEdge;

    /// <summary>|log2(LawLr / BestLr)|.</summary>
    public double LawSteps => Math.Abs(Math.Log2(LawLr / BestLr));

    /// <summary>|log2(FlatLr / BestLr)|.</summary>
    public double FlatSteps => Math.Abs(Math.Log2(FlatLr / BestLr));

    /// <summary>|log2(LogLogLr / BestLr)|.</summary>
    public double LogLogSteps => Math.Abs(Math.Log2(LogLogLr / BestLr));
}
