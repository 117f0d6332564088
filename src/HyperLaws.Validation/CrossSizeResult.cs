using HyperLaws.Laws;

namespace HyperLaws.Validation;

/// <summary>Protocol 2: the training and test curves and every law's results.</summary>
public sealed record CrossSizeResult(IReadOnlyList<FitTarget> Train, IReadOnlyList<FitTarget> Test, IReadOnlyList<CrossSizeLaw> Laws);
