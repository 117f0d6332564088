namespace HyperLaws.Planning;

/// <summary>One evaluated setting of a search: the axis value and the law's predicted final loss there (NaN: refused or no finite loss).</summary>
public sealed record AxisPoint(double Value, double Loss);
