namespace HyperLaws.Validation;

/// <summary>A run left out of the protocol, and why.</summary>
public sealed record ExcludedRun(GridRun Run, string Reason);
