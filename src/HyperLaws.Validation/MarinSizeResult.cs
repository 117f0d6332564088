namespace HyperLaws.Validation;

/// <summary>Protocol 22's result (<see cref="MarinSize"/>): the two splits of 22a and 22b's beta.</summary>
/// <param name="Size">22a-size: fit 130m and 300m, predict 520m (the headline).</param>
/// <param name="Horizon">22a-horizon: fit 1x-4x, predict 8x and 16x.</param>
/// <param name="Beta">22b: beta from every finite run; null where not run.</param>
/// <param name="Runs">Finite runs in the tables.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="AllDiverged">The labels of cells with no finite run (every loss infinite: diverged), skipped (as protocol 20 names them).</param>
public sealed record MarinSizeResult(MarinSizeSplit Size, MarinSizeSplit Horizon, MarinSizeBeta? Beta, int Runs, double Seconds, IReadOnlyList<string>? AllDiverged = null);
