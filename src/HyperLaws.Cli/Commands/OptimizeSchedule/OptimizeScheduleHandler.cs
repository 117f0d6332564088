using System.Diagnostics;
using HyperLaws.Schedules;
using HyperLaws.ScheduleOptimization;
using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.OptimizeSchedule;

/// <summary>
/// Optimises: settings -> <see cref="ScheduleOptimizer"/> (or <see cref="ScheduleOptimizationComparison"/>) -> result;
/// no console I/O (progress goes to the callback only).
/// </summary>
internal static class OptimizeScheduleHandler
{
    /// <summary>Optimises the schedule under the law and predicts the baselines' final loss.</summary>
    public static OptimizeScheduleResult Optimize(OptimizeScheduleSettings settings, Action<string>? progress)
    {
        var law = settings.Law!;
        var p = settings.Parameters!;
        var options = settings.Options!;
        progress?.Invoke($"optimising {options.Knots} knots of a {options.Steps}-step schedule under {law.Name} (up to {options.MaxEvaluations} predictions)...");
        var clock = Stopwatch.StartNew();
        var result = ScheduleOptimizer.Optimize(law, p, options, settings.ModelSize);
        double seconds = clock.Elapsed.TotalSeconds;
        var baselines = Baselines(options);
        var baselineLoss = baselines.Select(b => ScheduleOptimizer.PredictFinal(law, p, b.Schedule, settings.ModelSize)).ToList();
        var lr = result.Schedule.Evaluate();
        return new OptimizeScheduleResult(result, seconds, baselines, baselineLoss, lr, ScheduleShape.Of(lr, options.Warmup));
    }

    /// <summary>Protocol 1's curves: MPL and OptLaw fitted per size, schedules optimised under each and compared.</summary>
    public static OptimizeScheduleComparison CompareMpl(OptimizeScheduleSettings settings, Action<string>? progress)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<SizeComparison> sizes;
        try
        {
            sizes = ScheduleOptimizationComparison.Run(settings.DataRoot, progress: progress);
        }
        catch (ValidationDataException e)
        {
            throw new UserInputException($"--data: {e.Message}");
        }
        return new OptimizeScheduleComparison(sizes, clock.Elapsed.TotalSeconds);
    }

    /// <summary>WSD (20% linear cooldown to 0, the optimiser's start) and cosine to 0, same peak and warmup.</summary>
    internal static List<(string Name, LrSchedule Schedule)> Baselines(ScheduleOptimizationOptions o) =>
    [
        ("wsd 20% cooldown", new WsdSchedule(o.Peak, o.Steps, o.Warmup, cooldown: 0.2)),
        ("cosine", new CosineSchedule(o.Peak, o.Steps, o.Warmup)),
    ];
}
