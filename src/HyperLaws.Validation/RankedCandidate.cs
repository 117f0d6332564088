namespace HyperLaws.Validation;

/// <summary>A run competing in a ranking group: its actual and its predicted final loss.</summary>
public sealed record RankedCandidate(string Name, double Actual, double Predicted);
