namespace HyperLaws.Evaluation;

/// <summary>A member of <see cref="LrEnsemble"/> left out of one LR's candidates by <see cref="LrEnsemble.DropUnphysical"/>.</summary>
/// <param name="Member">The member's name as ranked within an LR (anchored: "mpl-g1-a", "joint-pooled-p-a").</param>
/// <param name="Lr">The LR (class) of the candidates it is left out of.</param>
/// <param name="Unphysical">How many of those candidates it gave a prediction that is not a physical loss (or not finite).</param>
/// <param name="Candidates">How many candidates that LR has in the set.</param>
public sealed record LrEnsembleDrop(string Member, double Lr, int Unphysical, int Candidates);
