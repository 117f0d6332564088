using System.Collections.Concurrent;
using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// The final losses a <see cref="IPlanLaw"/> predicts at a <see cref="PlanTarget"/>, memoized by schedule spec so that no
/// schedule is evaluated twice (the searches, the runner-ups and the contour share it); new schedules of a batch are
/// evaluated in parallel.
/// <para>
/// Each schedule is predicted at its <see cref="CurveSteps"/> (the report's loss-curve points, the last one the final step) in the
/// same pass that gives its final loss, and the curve is kept (<see cref="Curve"/>): the best plan and the runner-ups are schedules
/// the searches evaluated, so their loss curves cost nothing more (issue 12). The final loss is the value at the last step, the
/// same as a prediction at that step alone: the plan laws walk the schedule once and each observed step reads the running sums
/// (<see cref="IPlanLaw.Predict"/>; tested, PlanEvaluatorTests).
/// </para>
/// </summary>
internal sealed class PlanEvaluator(IPlanLaw law, PlanTarget target)
{
    /// <summary>Points of each predicted loss curve.</summary>
    public const int CurvePoints = 200;

    private readonly ConcurrentDictionary<string, (LrSchedule Schedule, double Loss, double[]? Curve)> _memo = new(StringComparer.Ordinal);
    private int _evaluations;

    public IPlanLaw Law { get; } = law;

    public PlanTarget Target { get; } = target;

    /// <summary>The most schedules evaluated side by side (each holds O(steps) memory: <see cref="Planner.SideBySide"/>); one per core by default.</summary>
    public int SideBySide { get; init; } = Environment.ProcessorCount;

    /// <summary>How many schedules the law evaluated.</summary>
    public int Evaluations => _evaluations;

    /// <summary>Every evaluated schedule and its final loss.</summary>
    public IReadOnlyList<(LrSchedule Schedule, double Loss)> Evaluated => [.. _memo.Values.Select(v => (v.Schedule, v.Loss))];

    /// <summary>The steps of a loss curve of <paramref name="steps"/> steps: <see cref="CurvePoints"/> evenly spaced, distinct, ascending, the last one <paramref name="steps"/>.</summary>
    public static int[] CurveSteps(int steps) =>
        [.. Enumerable.Range(1, CurvePoints).Select(k => (int)Math.Max(1, Math.Round((double)k * steps / CurvePoints))).Distinct()];

    /// <summary>The final loss of each schedule (NaN for null or a non-finite prediction).</summary>
    public double[] Final(IReadOnlyList<LrSchedule?> schedules) => Final(schedules, curves: true);

    /// <summary>
    /// The same; with <paramref name="curves"/> false a new schedule is predicted at its final step only and keeps no curve (the
    /// contour's cells, whose curves no figure draws).
    /// </summary>
    public double[] Final(IReadOnlyList<LrSchedule?> schedules, bool curves)
    {
        var specs = schedules.Select(s => s?.ToSpec()).ToArray();
        var todo = new List<LrSchedule>();
        var queued = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < schedules.Count; i++)
            if (schedules[i] is { } s && !_memo.ContainsKey(specs[i]!) && queued.Add(specs[i]!)) todo.Add(s);
        Parallel.For(0, todo.Count, new ParallelOptions { MaxDegreeOfParallelism = SideBySide }, i =>
        {
            var s = todo[i];
            int[] steps = curves ? CurveSteps(s.Steps) : [s.Steps];
            var y = new double[steps.Length];
            Law.Predict(s, Target, steps, y);
            _memo[s.ToSpec()] = (s, double.IsFinite(y[^1]) ? y[^1] : double.NaN, curves ? y : null);
            Interlocked.Increment(ref _evaluations);
        });
        return [.. specs.Select(k => k is null ? double.NaN : _memo[k].Loss)];
    }

    public double Final(LrSchedule? schedule) => Final([schedule])[0];

    /// <summary>The loss curve of an evaluated schedule at <see cref="CurveSteps"/> (as predicted: NaN or infinite values kept); null when it was not evaluated with one.</summary>
    public double[]? Curve(LrSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return _memo.TryGetValue(schedule.ToSpec(), out var e) ? e.Curve : null;
    }

    private readonly ConcurrentDictionary<string, DivergenceCheck> _checks = new(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="guard"/>'s check of <paramref name="schedule"/>, memoized by spec (a pure function of the schedule and the
    /// target): the family search, the peak, the runner-ups and the contour's cells check some schedules more than once.
    /// </summary>
    public DivergenceCheck Check(IDivergenceGuard guard, LrSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(schedule);
        return _checks.GetOrAdd(schedule.ToSpec(), _ => guard.Check(schedule, Target));
    }
}
