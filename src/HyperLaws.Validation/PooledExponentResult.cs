namespace HyperLaws.Validation;

/// <summary>
/// The pooled fit (<see cref="PooledSizeExponent.Fit"/>): the shared beta and its objective, each source's beta alone (the
/// leave-one-source-out folds: with two sources, beta from the other source alone), and every evaluated point of each source's profile.
/// </summary>
public sealed record PooledExponentResult(ExponentMinimum Pooled, IReadOnlyList<ExponentMinimum> Alone, IReadOnlyList<IReadOnlyList<(double Beta, double Objective)>> Profiles);
