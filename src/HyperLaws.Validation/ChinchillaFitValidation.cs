using HyperLaws.Numerics;
using HyperLaws.Readers;
using HyperLaws.SizeLaws;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 6 (size law): the Chinchilla law L(N, D) = E + A N^-alpha + B D^-beta fitted as Besiroglu et al.
/// 2024 did (Huber delta 1e-3 on ln L_hat - ln L, grid of starts; <see cref="ChinchillaFitter"/>):
/// (a) on the 245 runs extracted from Hoffmann et al. 2022's Fig. 4 less the 5 with the highest loss (Besiroglu
/// et al.'s analysis drops them, as outliers), with run-bootstrap intervals;
/// (b) fitted on the smallest-FLOP fraction of runs, predicting the rest; (c) per Porian et al. 2024
/// configuration, the compute-optimal exponent beta / (alpha + beta) of N_opt(C).
/// </summary>
public static class ChinchillaFitValidation
{
    /// <summary>Fewest runs and FLOP budgets a Porian configuration needs to be fitted (5 parameters).</summary>
    public const int MinPoints = 20, MinBudgets = 3;

    /// <summary>Besiroglu et al.'s runs extracted from Hoffmann et al. 2022's Fig. 4 (N, D, loss), under a data folder laid out like shared/data.</summary>
    public static string ChinchillaFile(string data) => Path.Combine(data, "analyzing-chinchilla", "data", "svg_extracted_data.csv");

    /// <summary>Porian et al. 2024's iso-FLOP points (per configuration: N, D, FLOP, loss), under a data folder laid out like shared/data.</summary>
    public static string PorianPointsFile(string data) => Path.Combine(data, "resolving-scaling-law-discrepancies", "derived", "porian2024_isoflop_points.csv");

    /// <summary>Porian et al. 2024's compute-optimal points (per configuration and FLOP budget: N_opt, tokens_opt, loss_opt), under a data folder laid out like shared/data.</summary>
    public static string PorianOptimaFile(string data) => Path.Combine(data, "resolving-scaling-law-discrepancies", "derived", "porian2024_isoflop_optima.csv");

    /// <summary>Runs the three parts. <paramref name="fullGrid"/> uses Besiroglu et al.'s 4,500-start grid (slow) instead of the 243-start sub-grid.</summary>
    public static ChinchillaFitResult Run(string data, bool fullGrid = false, int resamples = 200, int seed = 20240418, double trainFraction = 0.8, Action<string>? progress = null, int excludeHighestLoss = 5)
    {
        var options = new ChinchillaFitOptions(Grid: fullGrid ? ChinchillaGrid.Full : ChinchillaGrid.Coarse);
        var all = Load(() => ScalingPointReader.ReadChinchillaSvg(ChinchillaFile(data)), ChinchillaFile(data));
        var runs = ExcludeHighestLoss(all, excludeHighestLoss);
        progress?.Invoke($"fitting L(N, D) on {runs.Count} Chinchilla runs ({options.Grid!.Count} starts)");
        var fit = ChinchillaFitter.Fit(runs, options);
        progress?.Invoke($"bootstrap: {resamples} resamples of the runs");
        var boot = ChinchillaFitter.Bootstrap(runs, fit, resamples, seed, 0.8, options);
        progress?.Invoke($"held out: fit on the smallest {trainFraction:P0} of FLOP, predict the rest");
        var held = HeldOut(runs, trainFraction, options);
        var porianPoints = Load(() => ScalingPointReader.ReadPorianPoints(PorianPointsFile(data)), PorianPointsFile(data));
        var porianOptima = Load(() => ScalingPointReader.ReadPorianOptima(PorianOptimaFile(data)), PorianOptimaFile(data));
        var porian = Porian(porianPoints, porianOptima, options, progress);
        return new ChinchillaFitResult(runs.Count, all.Count - runs.Count, fit, boot, held, porian, fullGrid ? "full (4,500 starts)" : "coarse (243 starts)");
    }

    /// <summary>The runs without the <paramref name="count"/> highest-loss ones (ties: the later in file order go first), file order kept.</summary>
    public static IReadOnlyList<ScalingPoint> ExcludeHighestLoss(IReadOnlyList<ScalingPoint> runs, int count)
    {
        if (count < 0 || count >= runs.Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"must be in [0, {runs.Count - 1}].");
        var drop = runs.Select((r, i) => (r.Loss, i)).OrderByDescending(t => t.Loss).ThenByDescending(t => t.i).Take(count).Select(t => t.i).ToHashSet();
        return [.. runs.Where((_, i) => !drop.Contains(i))];
    }

    /// <summary>Fits on the <paramref name="trainFraction"/> of runs with the least training FLOP and predicts the others.</summary>
    public static HeldOutResult HeldOut(IReadOnlyList<ScalingPoint> runs, double trainFraction, ChinchillaFitOptions? options = null)
    {
        if (!(trainFraction > 0 && trainFraction < 1)) throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "the train fraction must be in (0, 1).");
        var sorted = runs.Select((r, i) => (r, i)).OrderBy(t => t.r.Flops).ThenBy(t => t.i).Select(t => t.r).ToList();
        int nTrain = (int)Math.Round(trainFraction * sorted.Count);
        var train = sorted.Take(nTrain).ToList();
        var test = sorted.Skip(nTrain).ToList();
        if (test.Count == 0 || train.Count < 6)
            throw new ArgumentException($"train fraction {trainFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} leaves {train.Count} runs to fit and {test.Count} to hold out: the 5-parameter law needs at least 6 runs to fit and 1 held out.");
        var fit = ChinchillaFitter.Fit(train, options);
        var (mean, max) = Errors(fit.Law, test);
        var (bm, bx) = Errors(ChinchillaLaw.Besiroglu, test);
        var (hm, hx) = Errors(ChinchillaLaw.Hoffmann, test);
        return new HeldOutResult(trainFraction, train.Count, test.Count, train[^1].Flops, fit, mean, max, bm, bx, hm, hx);
    }

    /// <summary>Mean and max of |L_hat - L| / L.</summary>
    public static (double Mean, double Max) Errors(ChinchillaLaw law, IReadOnlyList<ScalingPoint> test)
    {
        var e = test.Select(p => Math.Abs(law.Loss(p.N, p.D) - p.Loss) / p.Loss).ToList();
        return (e.Average(), e.Max());
    }

    /// <summary>Part (c): one fit per configuration with at least <see cref="MinPoints"/> runs over <see cref="MinBudgets"/> FLOP budgets.</summary>
    public static IReadOnlyList<PorianConfigResult> Porian(IReadOnlyList<PorianPoint> points, IReadOnlyList<PorianOptimum> optima, ChinchillaFitOptions? options = null, Action<string>? progress = null)
    {
        var results = new List<PorianConfigResult>();
        foreach (var group in points.GroupBy(p => p.Configuration).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var runs = group.Select(p => p.Point).ToList();
            int budgets = group.Select(p => p.Flops).Distinct().Count();
            var opt = optima.Where(o => o.Configuration == group.Key).OrderBy(o => o.Flops).ToList();
            double optExp = opt.Count >= 3 ? PowerLawFit.Fit([.. opt.Select(o => o.Flops)], [.. opt.Select(o => o.NOpt)]).Exponent : double.NaN;
            if (runs.Count < MinPoints || budgets < MinBudgets)
            {
                results.Add(new PorianConfigResult(group.Key, runs.Count, budgets, null, optExp, opt.Count, $"{runs.Count} runs over {budgets} budgets (need {MinPoints} over {MinBudgets})"));
                continue;
            }
            progress?.Invoke($"Porian {group.Key}: {runs.Count} runs over {budgets} budgets");
            results.Add(new PorianConfigResult(group.Key, runs.Count, budgets, ChinchillaFitter.Fit(runs, options), optExp, opt.Count, null));
        }
        return results;
    }

    private static T Load<T>(Func<T> read, string file)
    {
        if (!System.IO.File.Exists(file)) throw new ValidationDataException($"{file}: not found (the size-law protocol needs analyzing-chinchilla/data and resolving-scaling-law-discrepancies/derived under --data).");
        try
        {
            return read();
        }
        catch (RunFormatException e)
        {
            throw new ValidationDataException(e.Message);
        }
    }
}
