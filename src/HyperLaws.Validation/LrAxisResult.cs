namespace HyperLaws.Validation;

/// <summary>The result of protocol 7 (leave one LR out) or 8 (cross-family) on the 124M grid.</summary>
public sealed record LrAxisResult(int Protocol, string Description, IReadOnlyList<ExcludedRun> Excluded, IReadOnlyList<LrAxisLawResult> Laws);
