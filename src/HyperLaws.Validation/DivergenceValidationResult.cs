using HyperLaws.Divergence;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>The labelled runs and held-out scores of the divergence predictor (protocol 4, divergence part).</summary>
public sealed record DivergenceValidationResult(int Runs, int Diverged, int Groups, SweepScheduleAssumption Assumption, DivergenceCrossValidation CrossValidation);
