using HyperLaws.Laws;

namespace HyperLaws.Evaluation;

/// <summary>One fitted member of <see cref="LrEnsemble"/> at one LR (or pooled).</summary>
/// <param name="Fit">The law's fit.</param>
/// <param name="Runs">How many runs it was fitted on.</param>
/// <param name="Offset">The offset of its plain value (<see cref="LrEnsemble.Offsets"/>).</param>
/// <param name="AnchoredOffset">The offset of its anchored value.</param>
public sealed record LrEnsembleMember(LawFit Fit, int Runs, double Offset, double AnchoredOffset);
