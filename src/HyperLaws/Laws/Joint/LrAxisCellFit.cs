namespace HyperLaws.Laws.Joint;

/// <summary>One cell's loss over ln LR near its optimum: L = L* (1 + k ln(eta/eta*)^2), at the batch of the cell's best run.</summary>
/// <param name="N">Model size.</param>
/// <param name="D">Tokens.</param>
/// <param name="BatchTokens">The batch the LR sweep was read at.</param>
/// <param name="OptimalLr">eta*, the parabola's vertex.</param>
/// <param name="Ratio">eta* / eta_ref(N, D).</param>
/// <param name="Curvature">k (dimensionless).</param>
/// <param name="Points">Runs in the parabola fit.</param>
public sealed record LrAxisCellFit(double N, double D, double BatchTokens, double OptimalLr, double Ratio, double Curvature, int Points);
