using HyperLaws.Numerics;

namespace HyperLaws.Validation;

/// <summary>Protocol 5: the per-size fits and the power laws of B_noise in model size and in the training horizon.</summary>
/// <param name="InSize">B_noise = c N^e over the sizes.</param>
/// <param name="InHorizon">B_noise = c T^e with T the Chinchilla token horizon of each size (the LMO theory's T).</param>
/// <param name="JackknifeMin">Smallest exponent in N when one size is left out in turn.</param>
/// <param name="JackknifeMax">Largest exponent in N when one size is left out in turn.</param>
public sealed record CriticalBatchResult(IReadOnlyList<StepsBatchFit> Sizes, PowerLawFit InSize, PowerLawFit InHorizon, PowerLawFit SMinInSize, double JackknifeMin, double JackknifeMax);
