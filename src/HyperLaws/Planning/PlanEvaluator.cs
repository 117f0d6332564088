using System.Collections.Concurrent;
using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// The final losses a <see cref="IPlanLaw"/> predicts at a <see cref="PlanTarget"/>, memoized by schedule spec so that no
/// schedule is evaluated twice (the searches, the runner-ups and the contour share it); new schedules of a batch are
/// evaluated in parallel.
/// </summary>
internal sealed class PlanEvaluator(IPlanLaw law, PlanTarget target)
{
    private readonly ConcurrentDictionary<string, (LrSchedule Schedule, double Loss)> _memo = new(StringComparer.Ordinal);
    private int _evaluations;

    public IPlanLaw Law { get; } = law;

    public PlanTarget Target { get; } = target;

    /// <summary>How many schedules the law evaluated.</summary>
    public int Evaluations => _evaluations;

    /// <summary>Every evaluated schedule and its final loss.</summary>
    public IReadOnlyList<(LrSchedule Schedule, double Loss)> Evaluated => [.. _memo.Values];

    /// <summary>The final loss of each schedule (NaN for null or a non-finite prediction).</summary>
    public double[] Final(IReadOnlyList<LrSchedule?> schedules)
    {
        var specs = schedules.Select(s => s?.ToSpec()).ToArray();
        var todo = new List<LrSchedule>();
        var queued = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < schedules.Count; i++)
            if (schedules[i] is { } s && !_memo.ContainsKey(specs[i]!) && queued.Add(specs[i]!)) todo.Add(s);
        Parallel.For(0, todo.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var s = todo[i];
            var y = new double[1];
            Law.Predict(s, Target, [s.Steps], y);
            _memo[s.ToSpec()] = (s, double.IsFinite(y[0]) ? y[0] : double.NaN);
            Interlocked.Increment(ref _evaluations);
        });
        return [.. specs.Select(k => k is null ? double.NaN : _memo[k].Loss)];
    }

    public double Final(LrSchedule? schedule) => Final([schedule])[0];
}
