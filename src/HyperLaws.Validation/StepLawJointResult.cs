using HyperLaws.Divergence;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Optimum;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>The joint law on the Step Law grid, leave one cell out.</summary>
public sealed record StepLawJointResult(IReadOnlyList<StepLawJointCell> Cells, double Seconds, int Runs)
{
    public double MeanGap => Cells.Average(c => c.Gap);

    public double MaxGap => Cells.Max(c => c.Gap);

    public double MeanRelError => Cells.Average(c => c.MeanRelError);
}
