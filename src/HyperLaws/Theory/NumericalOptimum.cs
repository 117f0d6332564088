namespace HyperLaws.Theory;

/// <summary>The proxy's optimum found by search: the point, objective evaluations spent, and whether every search converged.</summary>
public sealed record NumericalOptimum(HyperparameterPoint Point, int Evaluations, bool Converged);
