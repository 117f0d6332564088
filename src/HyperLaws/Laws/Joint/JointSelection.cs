
namespace HyperLaws.Laws.Joint;

/// <summary>The mechanism chosen by cross-validation on training data, and the law refitted with it on all of them.</summary>
/// <param name="Chosen">The candidate with the lowest cross-validated error (the earlier in <see cref="JointMechanism.Candidates"/> on ties).</param>
/// <param name="Scores">Every candidate's error.</param>
/// <param name="Folds">How the training curves were split ("peak LR", "model size" or "curve") and into how many folds.</param>
/// <param name="Fit">The law with <paramref name="Chosen"/> fitted on every training curve.</param>
public sealed record JointSelection(JointMechanism Chosen, IReadOnlyList<MechanismScore> Scores, string Folds, LawFit Fit);
