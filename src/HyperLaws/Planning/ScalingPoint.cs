namespace HyperLaws.Planning;

/// <summary>A point of a scaling figure: the plan's value or a run's.</summary>
public sealed record ScalingPoint(string Label, double Tokens, double Value);
