using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Evaluation;

/// <summary>
/// Pre-selection of schedules: predict each candidate's final loss with a fitted law and rank them, lowest first;
/// candidates a divergence screen flags go last (in their own loss order); NaN predictions go after the finite ones.
/// Candidates are independent, so they are predicted in parallel; the order is fixed by (diverges, loss, spec).
/// </summary>
public static class SchedulePreselection
{
    /// <summary>Predicts each candidate's final loss with <paramref name="law"/> at <paramref name="parameters"/> and ranks them (see the type's remarks).</summary>
    /// <param name="law">The fitted law.</param>
    /// <param name="parameters">Its fitted parameters.</param>
    /// <param name="candidates">The schedules to rank.</param>
    /// <param name="modelSize">The model size N in parameters for a law across sizes and for the screen; NaN when not needed.</param>
    /// <param name="screen">The divergence screen, or null for none.</param>
    public static IReadOnlyList<RankedCandidate> Rank(ILossLaw law, IReadOnlyList<double> parameters, IReadOnlyList<LrSchedule> candidates,
        double modelSize = double.NaN, IDivergenceScreen? screen = null)
    {
        var screened = Predict(law, parameters, candidates, modelSize, screen);
        var result = new RankedCandidate[candidates.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = new RankedCandidate(candidates[i], screened.Loss[i], screened.Diverges[i]) { DivergenceProbability = screened.Probability[i] };
        return result
            .OrderBy(c => c.Diverges == true ? 1 : 0)
            .ThenBy(c => double.IsNaN(c.PredictedLoss) ? 1 : 0)
            .ThenBy(c => c.PredictedLoss)
            .ThenBy(c => c.Schedule.ToSpec(), StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The final loss the law predicts for each schedule (after its last step), in the order given; computed in parallel.</summary>
    public static double[] PredictFinal(ILossLaw law, IReadOnlyList<double> parameters, IReadOnlyList<LrSchedule> schedules, double modelSize = double.NaN) =>
        PredictAndScreen(law, parameters, schedules, modelSize, null).Loss;

    /// <summary>
    /// The predicted final loss of each schedule and the screen's verdict on it (null without a screen), from one
    /// evaluation of each schedule; computed in parallel.
    /// </summary>
    public static (double[] Loss, bool?[] Diverges) PredictAndScreen(ILossLaw law, IReadOnlyList<double> parameters, IReadOnlyList<LrSchedule> schedules,
        double modelSize, IDivergenceScreen? screen)
    {
        var r = Predict(law, parameters, schedules, modelSize, screen);
        return (r.Loss, r.Diverges);
    }

    /// <summary>
    /// The predicted final loss of each schedule and the screen's verdict and P(diverge) on it (<see cref="IDivergenceScreen.Screen"/>),
    /// from one evaluation of each schedule; computed in parallel.
    /// </summary>
    public static ScreenedPredictions Predict(ILossLaw law, IReadOnlyList<double> parameters, IReadOnlyList<LrSchedule> schedules,
        double modelSize, IDivergenceScreen? screen)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(schedules);
        var p = parameters.ToArray();
        var loss = new double[schedules.Count];
        var diverges = new bool?[schedules.Count];
        var probability = new double[schedules.Count];
        Parallel.For(0, schedules.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var s = schedules[i];
            var history = ScheduleHistory.Of(s);
            var y = new double[1];
            law.Predict(p, history, modelSize, [s.Steps], y);
            loss[i] = y[0];
            var verdict = screen?.Screen(history, modelSize) ?? new ScreenVerdict(null, double.NaN);
            (diverges[i], probability[i]) = (verdict.Diverges, verdict.Probability);
        });
        return new ScreenedPredictions(loss, diverges, probability);
    }

    /// <summary>
    /// Why <paramref name="winner"/> beats <paramref name="reference"/>: the law's terms at the final step for both,
    /// matched by name, ordered by how much the difference (winner minus reference) moves the loss; null when the
    /// law cannot explain itself. The differences sum to the gap between the two predictions.
    /// </summary>
    public static IReadOnlyList<TermDifference>? Compare(ILossLaw law, IReadOnlyList<double> parameters, LrSchedule winner, LrSchedule reference)
    {
        if (law is not IExplainableLaw explainable) return null;
        var p = parameters.ToArray();
        var a = explainable.Explain(p, ScheduleHistory.Of(winner), winner.Steps);
        var b = explainable.Explain(p, ScheduleHistory.Of(reference), reference.Steps);
        var names = a.Select(t => t.Name).Concat(b.Select(t => t.Name)).Distinct().ToList();
        return names.Select(n =>
        {
            var x = a.FirstOrDefault(t => t.Name == n);
            var y = b.FirstOrDefault(t => t.Name == n);
            return new TermDifference(n, x?.Formula ?? y!.Formula, x?.Feature ?? double.NaN, y?.Feature ?? double.NaN,
                x?.Contribution ?? 0, y?.Contribution ?? 0);
        }).OrderByDescending(d => Math.Abs(d.Difference)).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
    }
}
