namespace HyperLaws.Validation;

/// <summary>One target run of a protocol 22 split (<see cref="MarinSize"/>): a finite run held out of the fit, predicted by the joint law and the naive baseline.</summary>
/// <param name="Cell">The run's cell (<see cref="LrSweepHoldOut.Label"/>: optimizer, size, Chinchilla multiple).</param>
/// <param name="Name">The run's W&amp;B name.</param>
/// <param name="Lr">Its peak LR.</param>
/// <param name="Actual">Its final loss.</param>
/// <param name="Joint">The joint law's prediction (fitted on the split's training runs; one shared offset, no cell offset).</param>
/// <param name="Baseline">The naive baseline: log-log extrapolation from the two nearest training points of the same LR (<see cref="MarinSize"/>).</param>
/// <param name="CellBest">Whether the run is its cell's best finite run.</param>
public sealed record MarinSizeRun(string Cell, string Name, double Lr, double Actual, double Joint, double Baseline, bool CellBest)
{
    /// <summary>|Joint - Actual| / Actual.</summary>
    public double JointError => Math.Abs(Joint - Actual) / Actual;

    /// <summary>|Baseline - Actual| / Actual.</summary>
    public double BaselineError => Math.Abs(Baseline - Actual) / Actual;
}
