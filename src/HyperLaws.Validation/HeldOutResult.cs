using HyperLaws.Readers;
using HyperLaws.SizeLaws;

namespace HyperLaws.Validation;

/// <summary>Part (b): fit on the runs below a compute threshold, predict the rest.</summary>
/// <param name="TrainFraction">Fraction of runs (smallest FLOP first) fitted on.</param>
/// <param name="FlopThreshold">Largest training FLOP among the fitted runs.</param>
/// <param name="MeanRelError">Mean |L_hat - L| / L over the held-out runs, by this fit.</param>
/// <param name="MaxRelError">Max |L_hat - L| / L over the held-out runs, by this fit.</param>
/// <param name="BesirogluMean">Mean relative error of Besiroglu et al.'s published law (fitted on all runs, so in-sample for them) on the same held-out runs, for scale.</param>
public sealed record HeldOutResult(double TrainFraction, int Train, int Test, double FlopThreshold, ChinchillaFit Fit, double MeanRelError, double MaxRelError, double BesirogluMean, double BesirogluMax, double HoffmannMean, double HoffmannMax);
