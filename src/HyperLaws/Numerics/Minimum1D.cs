namespace HyperLaws.Numerics;

/// <summary>Result of a one-dimensional bounded minimisation.</summary>
/// <param name="X">Argument of the minimum found.</param>
/// <param name="Value">Objective at <paramref name="X"/>.</param>
/// <param name="Evaluations">Objective evaluations spent.</param>
/// <param name="Converged">True when the bracket shrank below the tolerance (false: iteration cap hit).</param>
/// <param name="AtBound">True when the minimum lies on an end of the interval (a constraint is active).</param>
public sealed record Minimum1D(double X, double Value, int Evaluations, bool Converged, bool AtBound);
