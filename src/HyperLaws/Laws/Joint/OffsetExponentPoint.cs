namespace HyperLaws.Laws.Joint;

/// <summary>
/// One point of an <see cref="OffsetExponentProfile"/>: the offset's size exponent <paramref name="Beta"/>, the lowest objective
/// (<see cref="LawFit.Objective"/>) the fit with beta fixed there reached, the Nelder-Mead evaluations spent at it (all its fits), and
/// whether every start of its last fit converged (a restart gained less than the fitter's restart tolerance).
/// </summary>
public sealed record OffsetExponentPoint(double Beta, double Objective, int Evaluations, bool Converged);
