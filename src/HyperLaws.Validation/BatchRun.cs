using HyperLaws.Numerics;

namespace HyperLaws.Validation;

/// <summary>One row of the critical-batch data: a model size, a batch size (tokens) and the steps it took to reach the target loss.</summary>
public sealed record BatchRun(string Model, double Parameters, double BatchTokens, double Steps, double TargetLoss, double ChinchillaTokens);
