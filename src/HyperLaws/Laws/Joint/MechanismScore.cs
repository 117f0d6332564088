
namespace HyperLaws.Laws.Joint;

/// <summary>One candidate mechanism's cross-validated error on the training curves.</summary>
/// <param name="Mechanism">The candidate.</param>
/// <param name="Error">Mean relative error of the held-out folds' final observed losses.</param>
public sealed record MechanismScore(JointMechanism Mechanism, double Error);
