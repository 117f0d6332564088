namespace HyperLaws.Plotting.Internal;

/// <summary>Round values to mark on a scale, in plot coordinates: labelled majors and unlabelled minors.</summary>
internal sealed record ScaleLayout(double[] Major, string[] Labels, double[] Minor);
