namespace HyperLaws.Cli.Commands.Contour;

/// <summary>The contour grids of every budget, the peak axis they share, and the training runs' peak range (null when not found).</summary>
internal sealed record ContourResult(string LawName, IReadOnlyList<double> PeakAxis, IReadOnlyList<ContourGrid> Grids, (double MinPeak, double MaxPeak, int MaxSteps, int Runs, double LowestLoss, double HighestLoss)? Training)
{
    /// <summary>The optima's losses withheld because the runs do not support them (<see cref="HyperLaws.Planning.PredictionSupport"/>), per reason.</summary>
    public HyperLaws.Cli.Output.WithheldLosses Withheld { get; init; } = new(null, "");

    /// <summary>The runs read whose file had a torn tail (<see cref="LawRuns.TornTails"/>), said on stderr as notes.</summary>
    public IReadOnlyList<string> TornTails { get; init; } = [];
}
