using HyperLaws.Divergence;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Optimum;
using HyperLaws.Runs;

namespace HyperLaws.Validation;

/// <summary>The joint law on the Step Law grid, leave one cell out.</summary>
public sealed record StepLawJointResult(IReadOnlyList<StepLawJointCell> Cells, double Seconds, int Runs)
{
    /// <summary>Mean over the cells of <see cref="StepLawJointCell.Gap"/> (a fraction: 0.01 is 1% above the cell's best smooth loss).</summary>
    public double MeanGap => Cells.Average(c => c.Gap);

    /// <summary>Largest <see cref="StepLawJointCell.Gap"/> over the cells.</summary>
    public double MaxGap => Cells.Max(c => c.Gap);

    /// <summary>Mean over the cells of <see cref="StepLawJointCell.MeanRelError"/>, the final-loss error of the law's shape.</summary>
    public double MeanRelError => Cells.Average(c => c.MeanRelError);
}
