namespace HyperLaws.Plotting.Reports;

/// <summary>A link from a report to a file next to it, e.g. ("SVG", "contour.svg").</summary>
/// <param name="Text">The link text.</param>
/// <param name="RelativePath">A path relative to the report; each segment is percent-encoded, so it never becomes an absolute URL.</param>
public sealed record HtmlLink(string Text, string RelativePath);
