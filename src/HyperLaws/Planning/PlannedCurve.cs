namespace HyperLaws.Planning;

/// <summary>A planned schedule's predicted loss curve: the law's loss at <see cref="Steps"/> (for the loss-curve figure).</summary>
public sealed record PlannedCurve(string Schedule, double[] Steps, double[] Loss);
