using System.Diagnostics;
using System.Globalization;
using HyperLaws.Runs;
using static System.FormattableString;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 17p (docs/VALIDATION.md "Protocol 17p"): protocol 6's backtest of <c>hyperlaws plan</c> (<see cref="PlanBacktest"/>) on
/// protocol 17's lr-scheduling runs outside shared/data, one set (model size, data set, recipe) at a time. Fixed before any plan was scored:
/// <list type="bullet">
/// <item>Every run of the manifest read in full and classified as the grid's (<see cref="GridRun.From"/>); a run is a candidate at its
/// horizon only with a final-val at its last step; every run that did not diverge is learned from where it is shorter.</item>
/// <item>Per set with a configuration (schedule label, peak LR) of three or more horizons, H = that configuration's longest; the plan learns
/// what protocol 6's <see cref="PlanBacktest.Before"/> gives on the set's runs alone, at N = the runs' parameters and the runs' batch.</item>
/// <item>Scoring: protocol 6's (<see cref="PlanBacktest.Nearest"/>), the mapped run counted as the plan's schedule only when
/// <see cref="PlanBacktest.IsNear"/>; the law on every candidate at H (<see cref="BacktestCase.LawOnRuns"/>); the baseline reruns the best
/// schedule of the longest shorter horizon with two or more candidates.</item>
/// </list>
/// </summary>
public static class PlanBacktestSets
{
    /// <summary>The fewest horizons of one configuration that make its longest a target.</summary>
    public const int MinHorizons = 3;

    /// <summary>
    /// Reads protocol 17's folder (its manifest, <see cref="CrossData.Load"/>) with every run in full (not cut at its last validation point),
    /// each run named by its manifest name (e.g. <c>sp-33m-cos-lr0.002-10000</c>) rather than its file's.
    /// </summary>
    /// <exception cref="ValidationDataException">The manifest or a run is missing or unreadable, or a run is not an lr-scheduling export.</exception>
    public static IReadOnlyList<(string Set, GridRun Run)> Load(string dir) =>
        [.. CrossData.Load(dir, CrossDataLrSchedule.FetchScript).Runs.Select(r => (r.Set, GridRun.From(r.Run with { Metadata = r.Run.Metadata with { Name = r.Name } })))];

    /// <summary>
    /// The configurations of <paramref name="runs"/> (one set's) with <see cref="MinHorizons"/> or more horizons among the runs that did not
    /// diverge: their schedule label, LR and longest horizon, in order of horizon, label and LR.
    /// </summary>
    public static IReadOnlyList<(string Label, double Lr, int Horizon)> Configurations(IEnumerable<GridRun> runs) =>
        [.. runs.Where(r => !r.Diverged).GroupBy(r => (r.Label, r.Lr)).Where(g => g.Select(r => r.Horizon).Distinct().Count() >= MinHorizons)
            .Select(g => (g.Key.Label, g.Key.Lr, g.Max(r => r.Horizon))).OrderBy(c => c.Item3).ThenBy(c => c.Label, StringComparer.Ordinal).ThenBy(c => c.Lr)];

    /// <summary>A candidate: a run with a final validation loss at its last step that did not diverge.</summary>
    public static bool IsCandidate(GridRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return !run.Diverged && double.IsFinite(run.FinalLoss);
    }

    /// <summary>Runs protocol 17p on every set with a configuration of <see cref="MinHorizons"/> horizons (each of its target horizons).</summary>
    /// <param name="runs">The runs with their sets (<see cref="Load"/>).</param>
    /// <param name="options">Protocol 6's options; <see cref="PlanBacktestOptions.Horizons"/>, <see cref="PlanBacktestOptions.BatchTokens"/> and
    /// <see cref="PlanBacktestOptions.SequenceLength"/> are replaced per set (H from the configurations, the batch and sequence length the runs').</param>
    /// <param name="progress">Progress lines, or null.</param>
    public static PlanBacktestSetsResult Run(IReadOnlyList<(string Set, GridRun Run)> runs, PlanBacktestOptions? options = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        options ??= new PlanBacktestOptions();
        if (options.Laws.Count == 0) throw new ArgumentException("no law to plan with.");
        if (options.FitOn.Count == 0) throw new ArgumentException("no split to fit on.");
        var clock = Stopwatch.StartNew();
        var sets = new List<PlanBacktestSet>();
        var skipped = new List<string>();
        foreach (var group in runs.GroupBy(r => r.Set, StringComparer.Ordinal))
        {
            var setRuns = ScheduleGrid.Order(group.Select(r => r.Run));
            var learnable = setRuns.Where(r => !r.Diverged).ToList();
            var configurations = Configurations(setRuns);
            if (configurations.Count == 0)
            {
                skipped.Add(Invariant($"{group.Key}: no configuration with {MinHorizons} horizons"));
                continue;
            }
            double n = setRuns.Select(r => r.Run.Metadata.Parameters ?? double.NaN).FirstOrDefault(double.IsFinite, double.NaN);
            double batch = setRuns.Select(r => r.Run.Metadata.TokensPerStep ?? double.NaN).FirstOrDefault(double.IsFinite, double.NaN);
            if (!double.IsFinite(n) || !double.IsFinite(batch))
            {
                skipped.Add($"{group.Key}: the runs state no parameter count or batch");
                continue;
            }
            int sequence = setRuns.Select(r => r.Run.Metadata.SequenceLength).FirstOrDefault(l => l is > 0) ?? options.SequenceLength;
            var setOptions = options with { BatchTokens = batch, SequenceLength = sequence };
            foreach (int h in configurations.Select(c => c.Horizon).Distinct())
            {
                var atH = setRuns.Where(r => r.Horizon == h && IsCandidate(r)).ToList();
                var heldOut = configurations.Where(c => c.Horizon == h)
                    .Select(c => setRuns.FirstOrDefault(r => r.Horizon == h && r.Label == c.Label && r.Lr == c.Lr && IsCandidate(r))?.Name
                        ?? Invariant($"{c.Label} @ {c.Lr:G3}: no final-val at {h}")).ToList();
                var notCandidates = setRuns.Where(r => r.Horizon == h && !IsCandidate(r))
                    .Select(r => r.Diverged ? $"{r.Name}: diverged" : $"{r.Name}: no final-val at its last step").ToList();
                if (atH.Count == 0)
                {
                    skipped.Add(Invariant($"{group.Key}: no candidate at H = {h}"));
                    continue;
                }
                string set = group.Key;
                var backtest = PlanBacktest.AtHorizon(h, learnable, atH, n, setOptions, progress is null ? null : m => progress($"{set}: {m}"),
                    (_, best) => Baselines(setRuns, atH, h, best));
                sets.Add(new PlanBacktestSet(set, n, batch, sequence, heldOut, atH, notCandidates, backtest));
            }
        }
        return new PlanBacktestSetsResult(options, sets, skipped, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Protocol 17p's baselines at H: the best run (lowest final validation loss) of the longest horizon below H with two or more candidates,
    /// its schedule label and LR rerun at H when the set has that run (else not run: no run, loss NaN); and the median candidate at H.
    /// </summary>
    internal static List<BacktestBaseline> Baselines(IReadOnlyList<GridRun> setRuns, IReadOnlyList<GridRun> atH, int h, double best)
    {
        ArgumentNullException.ThrowIfNull(setRuns);
        ArgumentNullException.ThrowIfNull(atH);
        var list = new List<BacktestBaseline>();
        var earlier = setRuns.Where(r => r.Horizon < h && IsCandidate(r)).GroupBy(r => r.Horizon).Where(g => g.Count() >= 2).MaxBy(g => g.Key);
        if (earlier is null)
            list.Add(new("the earlier best run's schedule", "no shorter horizon with two or more candidates", null, double.NaN, double.NaN));
        else
        {
            var shortBest = earlier.MinBy(r => r.FinalLoss)!;
            string at = Invariant($"the best run at {earlier.Key} steps ({shortBest.Label} @ {shortBest.Lr:G3})");
            var same = atH.FirstOrDefault(r => r.Label == shortBest.Label && r.Lr == shortBest.Lr);
            list.Add(same is null
                ? new("the earlier best run's schedule", $"{at}: not run at H", null, double.NaN, double.NaN)
                : new("the earlier best run's schedule", $"{at}, rerun at H", same, same.FinalLoss, PlanBacktest.Regret(same.FinalLoss, best)));
        }
        double median = PlanBacktest.Median(atH.Select(r => r.FinalLoss));
        list.Add(new("median candidate", Invariant($"the median final loss of the {atH.Count} candidates at H"), null, median, PlanBacktest.Regret(median, best)));
        return list;
    }
}
