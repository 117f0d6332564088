namespace HyperLaws.Theory.Verification;

/// <summary>One regime's optimum across the budget sweep.</summary>
/// <param name="Name">Stable id, e.g. "fixed-momentum(beta=0.999)".</param>
/// <param name="Regime">The regime.</param>
/// <param name="Label">Legend text for figures.</param>
/// <param name="Solutions">One solution per budget, in budget order.</param>
/// <param name="ProxyFloor">The floor subtracted before fitting the proxy's exponent (0 if none).</param>
public sealed record RegimeCurve(string Name, TuningRegime Regime, string Label, IReadOnlyList<ScalingSolution> Solutions, double ProxyFloor)
{
    /// <summary>The budgets T (tokens) of the solutions, in order.</summary>
    public double[] Tokens => Solutions.Select(s => s.Problem.Tokens).ToArray();
}
