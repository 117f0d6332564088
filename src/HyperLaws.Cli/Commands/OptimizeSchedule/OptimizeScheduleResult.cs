using HyperLaws.Schedules;
using HyperLaws.ScheduleOptimization;

namespace HyperLaws.Cli.Commands.OptimizeSchedule;

/// <summary>An optimised schedule against its baselines (all predicted by the law, not measured).</summary>
/// <param name="Optimized">The optimiser's result.</param>
/// <param name="Seconds">Wall time of the optimisation.</param>
/// <param name="Baselines">WSD and cosine of the same peak and warmup.</param>
/// <param name="BaselineLoss">Each baseline's predicted final loss.</param>
/// <param name="Lr">The optimised schedule, one LR per step.</param>
/// <param name="Shape">Where its cooldown starts and its final LR.</param>
internal sealed record OptimizeScheduleResult(
    OptimizedSchedule Optimized, double Seconds, IReadOnlyList<(string Name, LrSchedule Schedule)> Baselines, IReadOnlyList<double> BaselineLoss,
    double[] Lr, ScheduleShape Shape)
{
    /// <summary>The final losses withheld because the law's runs do not support them (<see cref="HyperLaws.Planning.PredictionSupport"/>), per reason.</summary>
    public HyperLaws.Cli.Output.WithheldLosses Withheld { get; init; } = new(null, "");

    /// <summary>True when the optimised schedule's predicted loss is withheld: the schedule rests on a loss the runs do not support.</summary>
    public bool OptimizedHidden { get; init; }

    /// <summary>True when the optimiser's start's loss is withheld.</summary>
    public bool StartHidden { get; init; }

    /// <summary>Per baseline: its loss is withheld.</summary>
    public IReadOnlyList<bool> BaselineHidden { get; init; } = [];

    /// <summary>The warnings (runs not found, one per reason a loss is withheld, the schedule not supported).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>A baseline's gain over the optimised schedule (its loss minus the optimised one's); NaN when either loss is withheld.</summary>
    public double Gain(int i) => OptimizedHidden || BaselineHidden[i] ? double.NaN : BaselineLoss[i] - Optimized.PredictedLoss;

    /// <summary>The baselines (indices) whose given loss is below the optimised schedule's (<see cref="Gain"/> &lt; 0).</summary>
    public IReadOnlyList<int> BetterBaselines => [.. Enumerable.Range(0, Baselines.Count).Where(i => Gain(i) < 0)];
}
