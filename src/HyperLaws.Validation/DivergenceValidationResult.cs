using HyperLaws.Divergence;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>The labelled runs and held-out scores of the divergence predictor (protocol 4, divergence part).</summary>
public sealed record DivergenceValidationResult(int Runs, int Diverged, int Groups, SweepScheduleAssumption Assumption, DivergenceCrossValidation CrossValidation)
{
    /// <summary>Protocols 4-D2 and 4-D3: the leave-one-cell-out models calibrated on the rest of each cell (null when not run).</summary>
    public WithinSweepCrossValidation? WithinSweep { get; init; }
}
