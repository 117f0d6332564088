namespace HyperLaws.SizeLaws;

/// <summary>Bootstrap percentile intervals on the five parameters and on the N_opt exponent.</summary>
public sealed record ChinchillaBootstrap(int Resamples, int Seed, double Level, IReadOnlyList<(double Low, double High)> Parameters, (double Low, double High) NExponent);
