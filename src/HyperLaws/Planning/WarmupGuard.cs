using HyperLaws.Runs;

namespace HyperLaws.Planning;

/// <summary>
/// The guard on a plan's warmup (issue 10, "the same for warmup and cooldown"; docs/VALIDATION.md "The warmup guard"). No law here
/// models what a warmup buys (stability at the peak), only the LR area it costs (intrinsic time), so the law's warmup optimum sits
/// at the bottom of its search; the divergence model could tell a short warmup's cost through eta_crit(N, batch, D, warmup), but
/// its warmup exponent W is 0 (the Step Law grid it is fitted on has one warmup). So the plan's warmup is not set below what the
/// runs support: the shortest warmup among the law's runs that trained (did not diverge) at a peak comparable to the plan's
/// (at least 1/<see cref="ComparablePeak"/> of it, in the runs' LR units); when no run reaches that, the shortest warmup among the
/// runs of the highest peak (within x<see cref="ComparablePeak"/> of it; <see cref="Comparable"/> false). Transferred in steps, not as
/// a fraction of the run: warmup's work is an early-training transient counted in optimizer steps (the sharpness brought below
/// 2/eta as the LR rises, Kalra and Barkeshli 2024, arXiv 2406.09405; the early updates' size held down, Kosson et al. 2024,
/// arXiv 2410.23922), and common practice fixes it in steps across horizons (Step Law 2,000; the Multi-Power-Law runs 2,160;
/// modded-nanogpt 250; llm.c 700). Held to the planner's warmup search range. Where the runs carry no warmup (none with a
/// learning-rate array), or no run reaches a comparable peak and the highest-peak runs have none, the prior <see cref="PriorSteps"/>.
/// </summary>
/// <param name="Source">Where <see cref="Limit"/> comes from.</param>
/// <param name="Limit">The warmup (steps of the plan) the guard holds the plan to.</param>
/// <param name="Supported">The supported warmup before it is held to the search range (steps).</param>
/// <param name="Run">The run whose warmup it is ("" for the prior where no run carries a warmup; the highest-peak run without one where the prior stands in for it).</param>
/// <param name="RunPeak">That run's peak LR (runs' units; NaN for the prior).</param>
/// <param name="Comparable">True when that run's peak is comparable to the plan's (else it is the runs' highest peak, below the plan's).</param>
/// <param name="SweepWarmups">Warmups (steps) from the law's edge towards <see cref="Limit"/>, x2 apart, at the plan's peak: the runs that would show whether the shorter warmup trains as well.</param>
public sealed record WarmupGuard(WarmupSource Source, double Limit, double Supported, string Run, double RunPeak, bool Comparable, IReadOnlyList<double> SweepWarmups)
{
    /// <summary>A run's peak is comparable to the plan's when it is at least the plan's / this (the x2 of the anchored loss's peak match).</summary>
    public const double ComparablePeak = 2;

    /// <summary>
    /// The warmup (steps) of a plan whose runs carry none: the median of the warmups of the seven public recipes this project reads
    /// (modded-nanogpt 250, the 124M lr-scheduling grid 300, modded-nanogpt 1.5B AdamW 500, llm.c 700, Pythia 1,430 (1% of 143k),
    /// Step Law 2,000, Multi-Power-Law 2,160).
    /// </summary>
    public const int PriorSteps = 700;

    /// <summary>A run whose warmup ends after this fraction of its steps shows no completed warmup (a log cut inside it).</summary>
    public const double CutWarmup = 0.95;

    /// <summary>A run's warmup: the steps until its LR first reaches 0.999 of its peak (step W is index W - 1), 0 when it starts there (<see cref="ObservedBest.Read"/>'s rule).</summary>
    public static int WarmupOf(IReadOnlyList<double> lrs)
    {
        ArgumentNullException.ThrowIfNull(lrs);
        if (lrs.Count == 0) return 0;
        double peak = lrs.Max();
        int first = 0;
        while (first < lrs.Count && lrs[first] < 0.999 * peak) first++;
        return first == 0 ? 0 : first + 1;
    }

    /// <summary>
    /// The supported warmup for a plan at peak <paramref name="peakInRunUnits"/> (the runs' LR units) from <paramref name="runs"/>
    /// (see the class summary): its steps, the run, its peak and whether that is comparable; null when no run has a learning-rate array
    /// (the caller takes <see cref="PriorSteps"/>), a run whose LR first reaches its peak after <see cref="CutWarmup"/> of its steps (still warming up) counting as none.
    /// Ties: the lower peak, then the name (ordinal), so the result is one.
    /// </summary>
    public static SupportedWarmup? SupportedBy(IReadOnlyList<TrainingRun> runs, double peakInRunUnits)
    {
        ArgumentNullException.ThrowIfNull(runs);
        // A run that reaches its peak only in its last 5% of steps (a log cut inside its warmup, its LR sampled every few steps)
        // shows no completed warmup: it is left out.
        var trained = runs.Where(r => !r.Diverged && r.LearningRates.Length > 1 && r.LearningRates.Max() > 0)
            .Select(r => (Run: r.Name, Peak: r.LearningRates.Max(), Warmup: WarmupOf(r.LearningRates), Steps: r.LearningRates.Length))
            .Where(x => x.Warmup < CutWarmup * x.Steps).Select(x => (x.Run, x.Peak, x.Warmup)).ToList();
        if (trained.Count == 0) return null;
        var comparable = double.IsFinite(peakInRunUnits) && peakInRunUnits > 0
            ? trained.Where(x => x.Peak >= peakInRunUnits / ComparablePeak).ToList() : [];
        bool isComparable = comparable.Count > 0;
        if (!isComparable)
        {
            double highest = trained.Max(x => x.Peak);
            comparable = [.. trained.Where(x => x.Peak >= highest / ComparablePeak)];
        }
        var best = comparable.OrderBy(x => x.Warmup).ThenBy(x => x.Peak).ThenBy(x => x.Run, StringComparer.Ordinal).First();
        return new SupportedWarmup(best.Warmup, best.Run, best.Peak, isComparable);
    }

    /// <summary>
    /// The prior stands in for the runs when none carries a warmup (<paramref name="supported"/> null) and when the runs of the highest
    /// peak, below the plan's (not comparable), have none: a run at a lower peak that trains without a warmup does not show that the
    /// plan's higher peak does.
    /// </summary>
    private static bool FromPrior(SupportedWarmup? supported) => supported is null or { Comparable: false, Steps: 0 };

    /// <summary>The supported warmup (steps) before it is held to the search range: the runs' (<see cref="SupportedBy"/>), or <see cref="PriorSteps"/>.</summary>
    private static double Wanted(SupportedWarmup? supported) => FromPrior(supported) ? PriorSteps : supported!.Value.Steps;

    /// <summary>
    /// The warmup (steps) the guard holds a plan to, whether or not the law's optimum lies below it: the supported warmup
    /// (<paramref name="supported"/>: <see cref="SupportedBy"/>'s result; the prior where <see cref="FromPrior"/>) held to
    /// <paramref name="low"/>..<paramref name="high"/>. A kept schedule's warmup is not set below it (<see cref="Planner"/>).
    /// </summary>
    public static double LimitOf(int low, int high, SupportedWarmup? supported) =>
        Math.Clamp(Math.Round(Wanted(supported)), low, Math.Max(low, high));

    /// <summary>
    /// The guard for a plan whose law puts the warmup at <paramref name="optimum"/> steps (searched over
    /// <paramref name="low"/>..<paramref name="high"/>): null when the optimum is at or above the supported warmup (the law's optimum
    /// stands), else the supported warmup held to the range, with the sweep. <paramref name="supported"/>: <see cref="SupportedBy"/>'s result.
    /// </summary>
    public static WarmupGuard? Of(double optimum, int low, int high, SupportedWarmup? supported)
    {
        var source = FromPrior(supported) ? WarmupSource.Prior : WarmupSource.Runs;
        double wanted = Wanted(supported);
        double limit = LimitOf(low, high, supported);
        if (!(optimum < limit - 0.5)) return null;
        // Four warmups from the law's side up to the limit, x2 apart (no shorter than the search's low end): a sweep at the plan's peak
        // that shows whether the shorter warmups train as well as the law predicts.
        var sweep = Enumerable.Range(0, 4).Select(i => Math.Max(low, Math.Round(limit / Math.Pow(2, 3 - i)))).Distinct().Select(x => (double)x).ToList();
        return new WarmupGuard(source, limit, wanted, supported?.Run ?? "", supported?.Peak ?? double.NaN, supported?.Comparable ?? false, sweep);
    }
}
