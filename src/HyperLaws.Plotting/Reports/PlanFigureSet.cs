namespace HyperLaws.Plotting.Reports;

/// <summary>The figures of a plan, and one line per figure that was not drawn and why (e.g. "contour: the plan has no contour data").</summary>
public sealed record PlanFigureSet(IReadOnlyList<PlanFigure> Figures, IReadOnlyList<string> Skipped);
