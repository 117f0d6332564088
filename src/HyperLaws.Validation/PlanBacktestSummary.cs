namespace HyperLaws.Validation;

/// <summary>
/// Protocol 17p's declared aggregates over a group of plans (<see cref="Of"/>): over the plans whose schedule was run
/// (<see cref="PlanBacktest.IsNear"/>, at a horizon with two or more candidates for the regret), the mean regret, the prediction's mean |error|
/// and signed mean, the count within +-1% and the interval's coverage; over every plan and every held-out configuration run of its set, the
/// fitted law on that run's exact schedule against its final validation loss.
/// </summary>
/// <param name="Plans">The plans in the group.</param>
/// <param name="Run">Those whose schedule was run (near).</param>
/// <param name="Regrets">Of those, the ones at a horizon with two or more candidates (the regret is defined).</param>
/// <param name="MeanRegret">Their mean regret (NaN: none).</param>
/// <param name="MeanAbsError">The near plans' mean |predicted / final-val - 1|.</param>
/// <param name="MeanError">Its signed mean.</param>
/// <param name="WithinOnePercent">Near plans predicted within +-1%.</param>
/// <param name="Covered">Near plans whose interval holds the final-val.</param>
/// <param name="WithInterval">Near plans with an interval.</param>
/// <param name="HeldOutPredictions">(plan, held-out configuration run) pairs with a finite law value.</param>
/// <param name="LawMeanAbsError">Their mean |law on run / final-val - 1|.</param>
/// <param name="LawMeanError">Its signed mean.</param>
public sealed record PlanBacktestSummary(int Plans, int Run, int Regrets, double MeanRegret, double MeanAbsError, double MeanError, int WithinOnePercent, int Covered,
    int WithInterval, int HeldOutPredictions, double LawMeanAbsError, double LawMeanError)
{
    /// <summary>The aggregates over the plans of <paramref name="sets"/> that <paramref name="include"/> keeps (all when null).</summary>
    public static PlanBacktestSummary Of(IEnumerable<PlanBacktestSet> sets, Func<BacktestCase, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var cases = new List<(PlanBacktestSet Set, BacktestCase Case)>();
        foreach (var s in sets)
            foreach (var c in s.Backtest.Cases)
                if (include is null || include(c)) cases.Add((s, c));
        var near = cases.Where(x => PlanBacktest.IsNear(x.Case.Choice, x.Case.Match.Run)).ToList();
        var regrets = near.Where(x => x.Set.Backtest.GridRuns >= 2).Select(x => x.Case.Regret).ToList();
        var errors = near.Select(x => x.Case.PredictionError).Where(double.IsFinite).ToList();
        var intervals = near.Select(x => x.Case.Covers).Where(v => v is not null).ToList();
        var law = new List<double>();
        foreach (var (set, c) in cases)
            foreach (string run in set.HeldOut)
            {
                var target = set.Candidates.FirstOrDefault(r => r.Name == run);
                if (target is not null && c.LawOnRuns.TryGetValue(run, out double v) && double.IsFinite(v)) law.Add(v / target.FinalLoss - 1);
            }
        static double Mean(IReadOnlyCollection<double> v) => v.Count == 0 ? double.NaN : v.Average();
        return new(cases.Count, near.Count, regrets.Count, Mean(regrets), Mean([.. errors.Select(Math.Abs)]), Mean(errors), errors.Count(e => Math.Abs(e) <= 0.01),
            intervals.Count(v => v == true), intervals.Count, law.Count, Mean([.. law.Select(Math.Abs)]), Mean(law));
    }
}
