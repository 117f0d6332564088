namespace HyperLaws.Laws.Joint;

/// <summary>An <see cref="LrAxisPrior"/> and the per-cell fits it summarises (cells without a usable parabola are left out).</summary>
public sealed record LrAxisPriorFit(LrAxisPrior Prior, IReadOnlyList<LrAxisCellFit> CellFits);
