namespace HyperLaws.Planning;

/// <summary>A run's actual curve next to the law's prediction of it, fitted without it.</summary>
public sealed record HeldOutCurve(string Run, double[] Steps, double[] Actual, double[] Predicted);
