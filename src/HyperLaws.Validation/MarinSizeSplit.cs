namespace HyperLaws.Validation;

/// <summary>One split of protocol 22a (<see cref="MarinSize"/>): what was fitted and what was predicted.</summary>
/// <param name="Name">"size" (fit 130m and 300m, predict 520m) or "horizon" (fit 1x-4x, predict 8x and 16x).</param>
/// <param name="TrainRuns">The names of the finite runs the joint law was fitted on (the Chinchilla fits use their cells' best runs).</param>
/// <param name="TrainCells">The labels of the training cells (Chinchilla's points).</param>
/// <param name="Runs">Every finite target run.</param>
/// <param name="Cells">Every target cell.</param>
/// <param name="JointBeta">The joint law's offset size exponent in this split's fit (the prior 0.34 with two training sizes).</param>
public sealed record MarinSizeSplit(string Name, IReadOnlyList<string> TrainRuns, IReadOnlyList<string> TrainCells, IReadOnlyList<MarinSizeRun> Runs, IReadOnlyList<MarinSizeCell> Cells, double JointBeta)
{
    /// <summary>The joint law's mean error over the target runs.</summary>
    public double JointMean => Runs.Average(r => r.JointError);

    /// <summary>The joint law's largest error over the target runs.</summary>
    public double JointMax => Runs.Max(r => r.JointError);

    /// <summary>The baseline's mean error over the target runs.</summary>
    public double BaselineMean => Runs.Average(r => r.BaselineError);

    /// <summary>Rule 22a (docs/VALIDATION.md "Protocol 22"): the joint law's mean error at most the baseline's and its largest at most 1%.</summary>
    public bool RuleMet => JointMean <= BaselineMean && JointMax <= MarinSize.MaxError;
}
