namespace HyperLaws.Validation;

/// <summary>Protocol 25's score of one optimizer (<see cref="HorizonSweepResult.Summaries"/>) and its declared rule.</summary>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="FittedRuns">Runs the law was fitted on (D &lt;= <see cref="HorizonSweep.FitMaxTokens"/>).</param>
/// <param name="HeldOutRuns">Runs predicted.</param>
/// <param name="LawMean">The law's mean relative loss error.</param>
/// <param name="LawMax">The law's largest relative loss error.</param>
/// <param name="LogLogMean">The log-log baseline's mean error.</param>
/// <param name="FlatMean">The flat hold's mean error.</param>
/// <param name="Horizons">Held-out horizons.</param>
/// <param name="LawWithin2">Horizons where the law's optimum is within x2 of the best (<see cref="HorizonSweepHorizon.LawWithin2"/>: |log2| &lt;= 1, not at the grid's edge).</param>
/// <param name="LawNearest">Horizons where it is nearest (|log2| &lt; 0.25, half a sqrt 2 step).</param>
/// <param name="LawMeanSteps">The law's mean |log2(optimum / best)|.</param>
/// <param name="FlatWithin2">The flat hold's horizons within x2.</param>
/// <param name="FlatMeanSteps">The flat hold's mean |log2|.</param>
/// <param name="LogLogWithin2">The log-log baseline's horizons within x2.</param>
/// <param name="LogLogMeanSteps">The log-log baseline's mean |log2|.</param>
public sealed record HorizonSweepSummary(string Optimizer, int FittedRuns, int HeldOutRuns, double LawMean, double LawMax, double LogLogMean, double FlatMean,
    int Horizons, int LawWithin2, int LawNearest, double LawMeanSteps, int FlatWithin2, double FlatMeanSteps, int LogLogWithin2, double LogLogMeanSteps)
{
    /// <summary>The score of <paramref name="optimizer"/> from its held-out <paramref name="runs"/> and <paramref name="horizons"/> (one or more each).</summary>
    public static HorizonSweepSummary Of(string optimizer, int fittedRuns, IReadOnlyList<HorizonSweepRun> runs, IReadOnlyList<HorizonSweepHorizon> horizons)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(horizons);
        return new(optimizer, fittedRuns, runs.Count,
            runs.Average(r => r.LawError), runs.Max(r => r.LawError), runs.Average(r => r.LogLogError), runs.Average(r => r.FlatError),
            horizons.Count, horizons.Count(h => h.LawWithin2), horizons.Count(h => h.LawSteps < 0.25), horizons.Average(h => h.LawSteps),
            horizons.Count(h => h.FlatSteps <= 1), horizons.Average(h => h.FlatSteps), horizons.Count(h => h.LogLogSteps <= 1), horizons.Average(h => h.LogLogSteps));
    }

    /// <summary>Rule (i): the law's mean loss error at most the log-log baseline's.</summary>
    public bool LossBeatsLogLog => LawMean <= LogLogMean;

    /// <summary>Rule (ii): the optimum within x2 at <see cref="HorizonSweep.MinWithin2"/> or more held-out horizons.</summary>
    public bool OptimumWithin2 => LawWithin2 >= HorizonSweep.MinWithin2;

    /// <summary>Rule (iii): the law's mean |log2| at most the flat hold's.</summary>
    public bool OptimumBeatsFlat => LawMeanSteps <= FlatMeanSteps;

    /// <summary>The declared rule: (i), (ii) and (iii).</summary>
    public bool Passes => LossBeatsLogLog && OptimumWithin2 && OptimumBeatsFlat;

    /// <summary>"met", or "not met (...)" naming the rules missed (i, ii, iii).</summary>
    public string Verdict => Passes ? "met" : $"not met ({string.Join(", ", new[] { LossBeatsLogLog ? null : "i", OptimumWithin2 ? null : "ii", OptimumBeatsFlat ? null : "iii" }.Where(x => x is not null))})";
}
