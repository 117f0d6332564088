namespace HyperLaws.Laws;

/// <summary>Settings of the robust least-squares fit.</summary>
public sealed record FitOptions
{
    /// <summary>Huber threshold on relative residuals: quadratic below, linear above (default 0.1%).</summary>
    public double HuberDelta { get; init; } = 1e-3;

    /// <summary>The iteration cap of the Levenberg-Marquardt fit (default 300).</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>Iterations every starting point gets before only the best one continues (with several starts).</summary>
    public int ProbeIterations { get; init; } = 10;

    /// <summary>Stop when an accepted step lowers the objective by less than this fraction.</summary>
    public double RelativeTolerance { get; init; } = 1e-10;

    /// <summary>Extra starting points (in the law's parameter order), tried besides the law's own.</summary>
    public IReadOnlyList<double[]> Starts { get; init; } = [];

    /// <summary>
    /// Also try the law's own starting points (default). Off, only <see cref="Starts"/> are tried: a
    /// warm start, e.g. bootstrap refits from the full-data optimum.
    /// </summary>
    public bool UseLawStartingPoints { get; init; } = true;

    /// <summary>
    /// The most observed points one curve contributes to a fit (default <see cref="int.MaxValue"/>: every point; at least 2).
    /// A curve with more points is fitted on this many bin means of consecutive points (loss: the bin's mean loss; step: its
    /// mean step), which bounds the cost per curve of laws evaluated point by point (MPL's tree walk, OptLaw's normal
    /// equations) on long logs, e.g. 2,000 for a 10^6-step log with a point every 100 steps. An approximation of the fit on
    /// every point, off by default and declared (docs/VALIDATION.md, "Long runs and sweeps"): a different objective, so a
    /// different optimum; no curve of protocols 1-6 has more than about 1,030 points.
    /// </summary>
    public int MaxPointsPerCurve { get; init; } = int.MaxValue;

    /// <summary>
    /// True (the default): the starting points' probes run side by side, each on its own copies of the schedule histories;
    /// false: one after another. The fit is the same (not part of the fit cache's key).
    /// </summary>
    internal bool ParallelProbes { get; init; } = true;

    /// <summary>
    /// True (the default): a law linear in some of its parameters (<see cref="ISeparableLaw"/>, MPL) is fitted by variable
    /// projection (<see cref="SeparableFitter"/>); false: by Levenberg-Marquardt over all its parameters, as before (for tests
    /// that compare the two). Not part of the fit cache's key: nothing outside the tests sets it.
    /// </summary>
    internal bool VariableProjection { get; init; } = true;
}
