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
    /// When the last check finishes, <paramref name="guess"/> over all the checks gives the final choice; when that is not the
    /// pick, the pick's token is cancelled then, so a wrong guess stops at its next check of the token (between its fits, and in
    /// every iteration of <see cref="LawFitter"/>'s fits through <see cref="FitOptions.Cancellation"/>) and leaves the cores to the
    /// chosen law's second stage. The same happens when the first stage fails.
    /// The returned function gives the second stage for the final choice: the speculative one when the pick was the final choice
    /// (and not cancelled), else <paramref name="second"/> run then with <see cref="CancellationToken.None"/>.
    /// <paramref name="second"/> must be a pure function of its index and the first stage's results for the finished checks, and
    /// may end on its token only by throwing <see cref="OperationCanceledException"/> without leaving anything behind (a fit
    /// cache stores only finished fits: <see cref="FitCacheExtensions.GetOrFit"/>), so the result is that of running in sequence
    /// whether the pick is used, dropped or cancelled (a pick not used is not waited for, its exceptions observed and dropped; a
    /// used pick's exception is rethrown as it is). The first stage's exceptions are rethrown as
    /// <see cref="All(bool, IReadOnlyList{Action})"/> does.
    /// </summary>
    public static Func<int, T> Speculating<T>(bool parallel, IReadOnlyList<Action> checks, IReadOnlyList<Action> others, Func<IReadOnlyList<int>, int> guess,
        Func<int, CancellationToken, T> second)
    {
        if (!parallel || checks.Count < 2)
        {
            All(parallel, [.. checks, .. others]);
            return chosen => second(chosen, CancellationToken.None);
        }
        var done = new bool[checks.Count];
        int finished = 0;
        Task<T>? speculative = null;
        int picked = -1;
        var gate = new Lock();
        // Not disposed: the speculative task may read its token after this method returns (no timer or registration to free).
        var cancel = new CancellationTokenSource();
        List<int> Finished() => [.. Enumerable.Range(0, checks.Count).Where(k => done[k])];
        List<Action> jobs = [.. checks.Select((check, i) => (Action)(() =>
        {
            check();
            lock (gate)
            {
                done[i] = true;
                ++finished;
                if (finished == checks.Count - 1)
                {
                    picked = guess(Finished());
                    if (picked >= 0)
                    {
                        int index = picked;
                        var token = cancel.Token;
                        speculative = Task.Run(() => second(index, token), token);
                        // A pick that is dropped or cancelled is never awaited: observe its end so that nothing is left unobserved.
                        speculative.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    }
                }
                else if (finished == checks.Count && guess(Finished()) != picked)
                    cancel.Cancel();   // the choice is known and is not the pick: the pick stops at its next check
            }
        })), .. others];
        try
        {
            All(true, jobs);
        }
        catch
        {
            cancel.Cancel();
            throw;
        }
        return chosen =>
        {
            Task<T>? task;
            lock (gate)
                task = chosen == picked && !cancel.IsCancellationRequested ? speculative : null;
            if (task is null)
            {
                lock (gate) cancel.Cancel();   // a pick that is not the choice stops (when the last check's guess did not already stop it)
                return second(chosen, CancellationToken.None);
            }
            return task.GetAwaiter().GetResult();   // its own exception, as it is
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
