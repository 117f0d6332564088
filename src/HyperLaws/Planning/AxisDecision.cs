namespace HyperLaws.Planning;

/// <summary>
/// One continuous setting of a plan decided by the law: a 1-D search of the law's predicted final loss over
/// [<see cref="SearchLow"/>, <see cref="SearchHigh"/>] (a grid, then bracket halving around the best point, then the
/// vertex of the parabola through the last bracket), the rest of the schedule held as in <see cref="HeldAt"/>.
/// </summary>
/// <param name="Axis">Which setting.</param>
/// <param name="Chosen">The plan's value (the optimum unless <see cref="Guard"/> holds it elsewhere).</param>
/// <param name="ChosenLoss">The law's final loss at <see cref="Chosen"/>.</param>
/// <param name="Optimum">The law's optimum in the searched range (the edge when <see cref="Bound"/> is not interior).</param>
/// <param name="OptimumLoss">The law's final loss there.</param>
/// <param name="SearchLow">The searched range's low end.</param>
/// <param name="SearchHigh">The searched range's high end.</param>
/// <param name="Bound">Whether the optimum is interior or at an edge of the range.</param>
/// <param name="Tolerance">The loss tolerance of the interval: the upper end of the chosen loss's interval minus the loss (NaN: no interval).</param>
/// <param name="Lower">The lowest value whose loss is within <see cref="Tolerance"/> of the chosen loss (contiguous with it; NaN without a tolerance).</param>
/// <param name="Upper">The highest such value.</param>
/// <param name="LowerOpen">True when the interval reaches the search's low end (the loss stays within tolerance beyond it).</param>
/// <param name="UpperOpen">True when it reaches the search's high end.</param>
/// <param name="Points">Every evaluated setting, by value.</param>
/// <param name="HeldAt">The rest of the schedule during the search, as a spec.</param>
public sealed record AxisDecision(PlanAxis Axis, double Chosen, double ChosenLoss, double Optimum, double OptimumLoss, double SearchLow, double SearchHigh,
    AxisBound Bound, double Tolerance, double Lower, double Upper, bool LowerOpen, bool UpperOpen, IReadOnlyList<AxisPoint> Points, string HeldAt)
{
    /// <summary>The guard that holds <see cref="Chosen"/> away from <see cref="Optimum"/> (peak LR only); null when the optimum is taken.</summary>
    public PeakGuard? Guard { get; init; }

    /// <summary>The guard that holds a warmup's <see cref="Chosen"/> above the law's <see cref="Optimum"/> (warmup only); null when the optimum is taken.</summary>
    public WarmupGuard? WarmupGuard { get; init; }

    /// <summary>
    /// The runs' own evidence on the peak the decision was checked against (peak LR only, <see cref="PlanOptions.PeakFromRunsEvidence"/>;
    /// null when none): it moved the peak when <see cref="Guard"/>'s kind is <see cref="GuardKind.RunsEvidence"/>, else it admitted the law's optimum.
    /// </summary>
    public PeakEvidence? RunsEvidence { get; init; }

    /// <summary>True when <see cref="Upper"/> is the divergence guard's limit (where P(diverge) reaches its risk level), not where the loss leaves the tolerance.</summary>
    public bool UpperAtDivergence { get; init; }
}
