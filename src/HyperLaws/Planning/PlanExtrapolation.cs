namespace HyperLaws.Planning;

/// <summary>
/// How far a prediction reaches beyond the law's runs, for an <see cref="IIntervalProvider"/> that widens with it: each a
/// ratio >= 1 of the target to the nearest run (NaN: unknown). <see cref="HorizonRatio"/>: steps over the longest run's;
/// <see cref="SizeRatio"/>: N over the nearest run size (either way up); <see cref="LrRatio"/>: the peak LR over the
/// supported range's nearer edge (1 inside it).
/// </summary>
public sealed record PlanExtrapolation(double HorizonRatio, double SizeRatio, double LrRatio);
