namespace HyperLaws.Theory;

/// <summary>A closed-form optimum, whether it is exact for the proxy in use, and the conditions met.</summary>
public sealed record ClosedFormOptimum(HyperparameterPoint Point, bool Exact, SolutionConditions Conditions);
