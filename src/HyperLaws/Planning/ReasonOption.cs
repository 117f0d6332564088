namespace HyperLaws.Planning;

/// <summary>An alternative a decision weighed: its label (a law, a family), its value (a peak, a floor) and its loss or score.</summary>
public sealed record ReasonOption(string Label, double Value, double Loss);
