namespace HyperLaws.Plotting;

/// <summary>A short text placed in a corner of the data area, e.g. "slope -0.250 (theory -1/4)".</summary>
/// <param name="Text">The note; may contain line breaks.</param>
/// <param name="Corner">Where it goes; notes sharing a corner are stacked.</param>
public sealed record Annotation(string Text, Corner Corner = Corner.UpperLeft);
