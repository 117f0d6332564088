using HyperLaws.Readers;
using HyperLaws.SizeLaws;

namespace HyperLaws.Validation;

/// <summary>Everything <see cref="ChinchillaFitValidation.Run"/> measures.</summary>
public sealed record ChinchillaFitResult(int Runs, int Excluded, ChinchillaFit Fit, ChinchillaBootstrap Bootstrap, HeldOutResult HeldOut, IReadOnlyList<PorianConfigResult> Porian, string GridName);
