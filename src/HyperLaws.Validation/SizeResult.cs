using HyperLaws.Laws;

namespace HyperLaws.Validation;

/// <summary>Protocol 1 at one size: the curves used and every law's score.</summary>
public sealed record SizeResult(string Size, IReadOnlyList<FitTarget> Train, IReadOnlyList<FitTarget> Test, IReadOnlyList<NamedScore> Scores, PublishedScore Published);
