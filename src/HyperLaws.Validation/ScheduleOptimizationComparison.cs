using HyperLaws.Laws;
using HyperLaws.Schedules;
using HyperLaws.ScheduleOptimization;

namespace HyperLaws.Validation;

/// <summary>
/// Our optimised schedules against the Multi-Power-Law optimised ones (Luo et al. 2025, their
/// optimized_schedules/{size}.npy: 24,000 steps, peak 3e-4, warmup 2160, stored without the warmup). For each size,
/// MPL and OptLaw are fitted on protocol 1's training curves (<see cref="MplSplit.Train"/>), a 24,000-step schedule is
/// optimised under each (<see cref="ScheduleOptimizer"/>), and every schedule (ours under each law, MPL's, cosine,
/// WSD 20%) gets its predicted final loss under both laws. Predicted, not measured: nobody trained on our schedules.
/// </summary>
public static class ScheduleOptimizationComparison
{
    /// <summary>The schedules' length in steps (24,000) and linear warmup in steps (2,160), as the MPL-optimised ones.</summary>
    public const int Steps = 24000, Warmup = 2160;

    /// <summary>The peak learning rate of every schedule compared, 3e-4 (the MPL runs').</summary>
    public const double Peak = 3e-4;

    /// <summary>The laws each schedule is optimised under and scored by.</summary>
    public static IReadOnlyList<string> Laws { get; } = ["mpl", "optlaw"];

    /// <summary>The optimiser settings used here: 20 knots, 1500 predictions (a budget that keeps the whole comparison near a minute).</summary>
    public static ScheduleOptimizationOptions Options { get; } = new(Steps, Peak, Warmup, Knots: 20, MaxEvaluations: 1500);

    /// <summary>Runs the comparison for each size (default all three), sizes in parallel, results in the order given.</summary>
    /// <exception cref="ArgumentException">An unknown size.</exception>
    /// <exception cref="ValidationDataException">An MPL-optimised schedule or a training curve is missing.</exception>
    public static IReadOnlyList<SizeComparison> Run(string dataRoot, IReadOnlyList<string>? sizes = null, Action<string>? progress = null)
    {
        sizes ??= MplSplit.Sizes;
        foreach (var s in sizes)
            if (!MplSplit.Sizes.Contains(s)) throw new ArgumentException($"unknown size '{s}' (known: {string.Join(", ", MplSplit.Sizes)}).");
        // Missing data is reported before any work, in size order.
        foreach (var s in sizes)
        {
            string npy = Path.Combine(dataRoot, "MultiPowerLaw", "optimized_schedules", s + ".npy");
            if (!File.Exists(npy)) throw new ValidationDataException($"{npy}: missing (the MPL-optimised schedules).");
            MplSplit.Targets(dataRoot, s, MplSplit.Train);
        }
        // Sizes are independent: run them in parallel, each size's laws in turn; results in the order given.
        var result = new SizeComparison[sizes.Count];
        try
        {
            Parallel.For(0, sizes.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => result[i] = RunSize(dataRoot, sizes[i], progress));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return result;
    }

    private static SizeComparison RunSize(string dataRoot, string size, Action<string>? progress)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string npy = Path.Combine(dataRoot, "MultiPowerLaw", "optimized_schedules", size + ".npy");
        if (!File.Exists(npy)) throw new ValidationDataException($"{npy}: missing (the MPL-optimised schedules).");
        LrSchedule mplOptimized;
        try
        {
            mplOptimized = TableSchedule.FromFile(npy, warmup: Warmup);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException)
        {
            throw new ValidationDataException($"{npy}: {e.Message}");
        }
        if (mplOptimized.Steps != Steps) throw new ValidationDataException($"{npy}: {mplOptimized.Steps - Warmup} values, expected {Steps - Warmup}.");
        var train = MplSplit.Targets(dataRoot, size, MplSplit.Train);
        var fits = new Dictionary<string, (ILossLaw Law, double[] P)>();
        var ours = new List<(string, LrSchedule)>();
        var evaluations = new Dictionary<string, int>();
        foreach (var name in Laws)
        {
            progress?.Invoke($"{size}M: fitting {name} ...");
            var fit = LawFitter.Fit((IFittableLaw)LawCatalog.Create(name), train);
            fits[name] = (fit.Law, fit.Parameters);
            progress?.Invoke($"{size}M: optimising under {name} ...");
            var opt = ScheduleOptimizer.Optimize(fit.Law, fit.Parameters, Options);
            evaluations[name] = opt.Evaluations;
            ours.Add(($"ours under {name}", opt.Schedule));
        }
        var all = new List<(string Name, LrSchedule Schedule)>(ours)
        {
            ("MPL-optimised (npy)", mplOptimized),
            ("wsd 20% cooldown", new WsdSchedule(Peak, Steps, Warmup, cooldown: 0.2)),
            ("cosine", new CosineSchedule(Peak, Steps, Warmup)),
        };
        var mplLr = mplOptimized.Evaluate();
        var rows = all.Select(x =>
        {
            var lr = x.Schedule.Evaluate();
            var loss = fits.ToDictionary(f => f.Key, f => ScheduleOptimizer.PredictFinal(f.Value.Law, f.Value.P, x.Schedule));
            return new ScheduleUnderLaws(x.Name, x.Schedule, loss, ScheduleShape.MaxDifference(lr, mplLr), ScheduleShape.Of(lr, Warmup).CooldownStart);
        }).ToList();
        return new SizeComparison(size, rows, evaluations, clock.Elapsed.TotalSeconds);
    }
}
