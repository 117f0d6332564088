namespace HyperLaws.Planning;

/// <summary>
/// The guard on a plan's peak LR when the law's optimum lies where the runs give no support (or where the run diverges):
/// the chosen peak is the nearest supported one, and <see cref="SweepPeaks"/> are the peaks to run to settle it.
/// </summary>
/// <param name="Kind">Why the guard acts.</param>
/// <param name="Limit">The peak the guard holds the plan to (absolute, at the target).</param>
/// <param name="SupportLow">The lowest supported peak at the target (NaN: unknown).</param>
/// <param name="SupportHigh">The highest supported peak at the target (NaN: unknown).</param>
/// <param name="DivergenceBoundary">The highest peak of the plan's shape that trains by the divergence guard (NaN: not known or not reached).</param>
/// <param name="SweepPeaks">Peaks (absolute, at the target) that would settle it: from the supported edge towards the law's optimum, x sqrt(2) apart
/// when the optimum is at the search's edge, else spread evenly in log to one sqrt(2) step past it; for <see cref="GuardKind.RunsEvidence"/>,
/// x sqrt(2) apart on the side the runs have not seen (below their best at their lowest peak, above it at their highest), or spread evenly
/// in log inside the bracket; none for <see cref="GuardKind.Divergence"/>.</param>
/// <param name="SweepPeaksInRunUnits">The same peaks in the runs' own LR units (what to run at the runs' budget), NaN when unknown.</param>
public sealed record PeakGuard(GuardKind Kind, double Limit, double SupportLow, double SupportHigh, double DivergenceBoundary,
    IReadOnlyList<double> SweepPeaks, IReadOnlyList<double> SweepPeaksInRunUnits);
