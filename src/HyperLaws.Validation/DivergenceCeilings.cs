using HyperLaws.Divergence;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 4-D's in-sample ceilings (<see cref="DivergenceCeiling"/>) beside the held-out score: the boundary fitted on all runs
/// (<paramref name="Model"/>) scored on them, and the fewest-error threshold per cell with one LR threshold
/// (<paramref name="PerCellLr"/>) and with the model's slopes and a free intercept per cell (<paramref name="PerCellIntercept"/>).
/// </summary>
/// <param name="Model">The boundary fitted on all runs (the held-out protocol's form).</param>
/// <param name="InSample">That boundary scored on the runs it was fitted on.</param>
/// <param name="PerCellLr">One LR threshold per cell, each chosen on the cell's own labels.</param>
/// <param name="PerCellIntercept">The model's slopes with each cell's intercept chosen on the cell's own labels.</param>
public sealed record DivergenceCeilings(DivergenceModel Model, BinaryMetrics InSample, BinaryMetrics PerCellLr, BinaryMetrics PerCellIntercept);
