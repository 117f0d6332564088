using HyperLaws.Divergence;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>The labelled runs and held-out scores of the divergence predictor (protocol 4, divergence part).</summary>
public sealed record DivergenceValidationResult(int Runs, int Diverged, int Groups, SweepScheduleAssumption Assumption, DivergenceCrossValidation CrossValidation)
{
    /// <summary>Protocols 4-D2 and 4-D3: the leave-one-cell-out models calibrated on the rest of each cell (null when not run).</summary>
    public WithinSweepCrossValidation? WithinSweep { get; init; }

    /// <summary>Protocol 4-D's in-sample ceilings (null when not run).</summary>
    public DivergenceCeilings? Ceilings { get; init; }

    /// <summary>Whether every fit had the edge's curvature in ln batch (protocol 4-D's variant).</summary>
    public bool BatchCurvature { get; init; }
}
