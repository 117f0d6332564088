namespace HyperLaws.Planning;

/// <summary>
/// The warmup the runs support for a plan (<see cref="WarmupGuard.SupportedBy"/>): the shortest warmup (<paramref name="Steps"/>) among
/// the runs that trained at a peak comparable to the plan's, the run (<paramref name="Run"/>) and its peak (<paramref name="Peak"/>, the
/// runs' LR units); <paramref name="Comparable"/> false when no run reached the plan's peak within the guard's factor and the runs of the
/// highest peak stand in.
/// </summary>
public readonly record struct SupportedWarmup(int Steps, string Run, double Peak, bool Comparable);
