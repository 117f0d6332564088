namespace HyperLaws.Validation;

/// <summary>Protocol 17p's result (<see cref="PlanBacktestSets.Run"/>).</summary>
/// <param name="Options">Protocol 6's options as given (the batch and sequence length are each set's).</param>
/// <param name="Sets">Every set's target horizon.</param>
/// <param name="Skipped">The sets left out, and why.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record PlanBacktestSetsResult(PlanBacktestOptions Options, IReadOnlyList<PlanBacktestSet> Sets, IReadOnlyList<string> Skipped, double Seconds);
