namespace HyperLaws.Plotting;

/// <summary>A labelled vertical line at a given x (in data units), e.g. a burn-in budget.</summary>
public sealed record VerticalMarker(double X, string Label);
