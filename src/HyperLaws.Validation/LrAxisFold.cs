using HyperLaws.Laws.Joint;

namespace HyperLaws.Validation;

/// <summary>One fit of protocol 7 or 8: what was held out, the mechanism the joint law chose (null for other laws) and the final-validation offset.</summary>
/// <param name="HeldOut">The held-out base LR (protocol 7) or family (protocol 8).</param>
/// <param name="Curves">Training curves fitted.</param>
/// <param name="Mechanism">The joint law's mechanism chosen by cross-validation on the training curves; null for other laws.</param>
/// <param name="Scores">The cross-validated error of every mechanism (joint only).</param>
/// <param name="Offset">Mean over training runs of final validation loss minus the law's value at the last step.</param>
/// <param name="Seconds">Wall time of the fit (selection included).</param>
public sealed record LrAxisFold(string HeldOut, int Curves, string? Mechanism, IReadOnlyList<MechanismScore> Scores, double Offset, double Seconds);
