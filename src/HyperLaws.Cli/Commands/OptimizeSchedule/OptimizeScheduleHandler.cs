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
        // A final loss the law's runs do not support (HyperLaws.Planning.PredictionSupport: not physical, or past the runs' latest
        // logged step from a law without a physical floor or from runs seen only in their warmup) is withheld: not printed, a
        // structured warning per reason, as predict and rank withhold it. The optimised schedule is still the law's optimum and is
        // given; when its own loss is withheld, a warning says it rests on losses the runs do not support.
        var withheld = new Output.WithheldLosses(settings.Support, "schedules' final losses");
        bool optimizedHidden = withheld.Withhold(result.PredictedLoss, options.Steps);
        bool startHidden = withheld.Withhold(result.StartLoss, options.Steps);
        var baselineHidden = baselineLoss.Select(v => withheld.Withhold(v, options.Steps)).ToList();
        var warnings = new List<string>();
        if (settings.Support is null)
            warnings.Add(settings.RunsGiven ? "the given runs (--runs) have no LR: no check that the predicted losses are ones the runs support"
                : $"the training runs of {settings.LawPath} were not found (give --runs): no check that the predicted losses are ones the runs support");
        warnings.AddRange(withheld.Texts);
        warnings.AddRange(settings.StallNotHeld);
        if (optimizedHidden)
            warnings.Add("the SCHEDULE IS NOT SUPPORTED: its predicted final loss is withheld, so the optimiser minimised a loss the runs do not support (the law's optimum, not a measurement); runs that support the loss at this length would settle it");
        var r = new OptimizeScheduleResult(result, seconds, baselines, baselineLoss, lr, ScheduleShape.Of(lr, options.Warmup))
        {
            Withheld = withheld,
            OptimizedHidden = optimizedHidden,
            StartHidden = startHidden,
            BaselineHidden = baselineHidden,
        };
        // A baseline the law predicts below the optimised schedule (the optimiser stopped short: too few evaluations, or a local
        // minimum of its knots): said, since the table would otherwise offer the worse schedule as the optimum.
        foreach (int i in r.BetterBaselines)
            warnings.Add($"the optimised schedule is WORSE than the {baselines[i].Name} baseline under this law ({Output.Format.G(result.PredictedLoss, 6)} vs {Output.Format.G(baselineLoss[i], 6)}): the optimiser stopped short of it (more --evaluations may find better); the baseline is the better schedule");
        return r with { Warnings = warnings };
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
