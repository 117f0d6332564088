using HyperLaws.Laws;

namespace HyperLaws.Validation;

/// <summary>One fit of a law: on one LR's training runs (Lr set), or on all of them (Lr null).</summary>
public sealed record GridFit(double? Lr, LawFit Fit, int Curves, int Points);
