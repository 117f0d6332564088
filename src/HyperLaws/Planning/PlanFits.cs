using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;

namespace HyperLaws.Planning;

/// <summary>
/// The planner's independent fits, run side by side: each job fits its own law on its own copies of the runs (every
/// <see cref="Planner.Targets"/> call builds new schedule histories, so no two jobs share a history's caches) and writes only
/// its own result, so the results are those of running the jobs one after another, bit for bit (test:
/// <c>PlanFitsTests</c>).
/// </summary>
internal static class PlanFits
{
    /// <summary>
    /// Runs <paramref name="jobs"/> side by side when <paramref name="parallel"/> (else in order) and returns their results in
    /// order. When jobs throw, the first one's exception (in order) is rethrown as it is, as in sequence.
    /// </summary>
    public static T[] All<T>(bool parallel, IReadOnlyList<Func<T>> jobs)
    {
        var results = new T[jobs.Count];
        if (!parallel || jobs.Count < 2)
        {
            for (int i = 0; i < jobs.Count; i++) results[i] = jobs[i]();
            return results;
        }
        var errors = new ExceptionDispatchInfo?[jobs.Count];
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = jobs.Count }, i =>
        {
            try
            {
                results[i] = jobs[i]();
            }
            catch (Exception e)
            {
                errors[i] = ExceptionDispatchInfo.Capture(e);
            }
        });
        foreach (var error in errors) error?.Throw();
        return results;
    }

    /// <summary>
    /// Two stages where the second depends on a choice made from the first's <paramref name="checks"/>: the first stage
    /// (<paramref name="checks"/> and <paramref name="others"/>) runs as <see cref="All(bool, IReadOnlyList{Action})"/> does, and
    /// when <paramref name="parallel"/>, as soon as all checks but one have finished (a core may be idle while the last one runs)
    /// <paramref name="second"/> starts for <paramref name="guess"/>'s pick among the finished checks (their indices; -1: none).
    /// The returned function gives the second stage for the final choice: the speculative one when the pick was the final choice,
    /// else <paramref name="second"/> run then. <paramref name="second"/> must be a pure function of its index and the first
    /// stage's results for the finished checks, so the result is that of running in sequence whether the pick is used or not
    /// (a pick not used runs on in the background and is dropped, its exceptions unobserved; a used pick's exception is rethrown
    /// as it is). The first stage's exceptions are rethrown as <see cref="All(bool, IReadOnlyList{Action})"/> does.
    /// </summary>
    public static Func<int, T> Speculating<T>(bool parallel, IReadOnlyList<Action> checks, IReadOnlyList<Action> others, Func<IReadOnlyList<int>, int> guess,
        Func<int, T> second)
    {
        if (!parallel || checks.Count < 2)
        {
            All(parallel, [.. checks, .. others]);
            return second;
        }
        var done = new bool[checks.Count];
        int finished = 0;
        Task<T>? speculative = null;
        int picked = -1;
        var gate = new Lock();
        List<Action> jobs = [.. checks.Select((check, i) => (Action)(() =>
        {
            check();
            lock (gate)
            {
                done[i] = true;
                if (++finished != checks.Count - 1) return;
                picked = guess([.. Enumerable.Range(0, checks.Count).Where(k => done[k])]);
                if (picked >= 0)
                {
                    int index = picked;
                    speculative = Task.Run(() => second(index));
                }
            }
        })), .. others];
        All(true, jobs);
        return chosen =>
        {
            lock (gate)
                if (chosen != picked || speculative is null) return second(chosen);
            return speculative.GetAwaiter().GetResult();   // its own exception, as it is
        };
    }

    /// <inheritdoc cref="All{T}"/>
    public static void All(bool parallel, IReadOnlyList<Action> jobs) =>
        All(parallel, jobs.Select(j => (Func<bool>)(() => { j(); return true; })).ToList());

    /// <summary>
    /// The joint law's fits of one plan, each made once: keyed by <see cref="FitCacheKey.Of(IReadOnlyList{JointCurve}, JointFitOptions)"/>
    /// (the curves' content and the options), so the first pass of <see cref="JointPriorFit.Make"/> and the plan's own fit of the
    /// joint law on the same runs (<see cref="JointPlanLaw.FitOn"/>, the same options) are one fit. Through <paramref name="cache"/> when given.
    /// </summary>
    public sealed class JointFits(IFitCache? cache)
    {
        private readonly ConcurrentDictionary<string, Lazy<LawFit>> _fits = new(StringComparer.Ordinal);

        /// <summary>How many distinct fits were asked for.</summary>
        public int Count => _fits.Count;

        public LawFit Fit(IReadOnlyList<JointCurve> curves, JointFitOptions options)
        {
            string key = FitCacheKey.Of(curves, options);
            var lazy = _fits.GetOrAdd(key, k => new Lazy<LawFit>(() => cache is null
                ? JointLawFitter.Fit(curves, options)
                : cache.GetOrFit(key, new JointLaw(options), () => JointLawFitter.Fit(curves, options), out _), LazyThreadSafetyMode.ExecutionAndPublication));
            return lazy.Value;
        }
    }
}
