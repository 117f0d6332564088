using HyperLaws.Laws;
using HyperLaws.Readers;

namespace HyperLaws.Validation;

/// <summary>A published PredE, WorstE (fractions) and R^2.</summary>
public sealed record PublishedScore(double PredE, double WorstE, double RSquared);
