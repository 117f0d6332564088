using HyperLaws.Readers;
using HyperLaws.SizeLaws;

namespace HyperLaws.Validation;

/// <summary>Part (c): one Porian et al. configuration; Fit is null when skipped.</summary>
/// <param name="OptimaExponent">The exponent of N_opt(C) from a log-log line through Porian et al.'s own iso-FLOP optima (NaN if fewer than 3).</param>
public sealed record PorianConfigResult(string Configuration, int Points, int Budgets, ChinchillaFit? Fit, double OptimaExponent, int Optima, string? SkipReason);
