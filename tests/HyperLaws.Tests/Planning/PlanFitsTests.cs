using System.Collections.Concurrent;
using HyperLaws.Fitting;
using HyperLaws.Laws.Joint;
using HyperLaws.Planning;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>The planner's fits side by side (<see cref="PlanFits"/>): the plan is the one made fitting one law after another.</summary>
public sealed class PlanFitsTests
{
    /// <summary>A cache that counts the lookups of each key.</summary>
    private sealed class Counting : IFitCache
    {
        public ConcurrentDictionary<string, CachedFit> Entries { get; } = new();

        public ConcurrentDictionary<string, int> Lookups { get; } = new();

        public CachedFit? TryGet(string key)
        {
            Lookups.AddOrUpdate(key, 1, (_, n) => n + 1);
            return Entries.TryGetValue(key, out var f) ? f : null;
        }

        public void Store(string key, CachedFit fit) => Entries[key] = fit;
    }

    [Fact]
    public void Parallel_fits_make_the_plan_of_sequential_fits_bit_for_bit()
    {
        // Three laws' held-out checks and the LR-axis prior's joint fits side by side, then the final fit and the calibration refit.
        var runs = LrAxisPlanTests.Mpl25();
        var request = new PlanRequest(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW);
        var options = new PlanOptions { Laws = ["optlaw", "tissue", "joint"], LrPrior = LrAxisPlanTests.Shipped, LrPriorSource = "shipped" };
        var parallel = Planner.Make(request, runs, options);
        var sequential = Planner.Make(request, runs, options with { ParallelFits = false });

        Assert.Equal(sequential.Best.Schedule.ToSpec(), parallel.Best.Schedule.ToSpec());
        Assert.Equal(sequential.Best.PredictedLoss, parallel.Best.PredictedLoss);
        Assert.Equal(sequential.Best.Lower, parallel.Best.Lower);
        Assert.Equal(sequential.Best.Upper, parallel.Best.Upper);
        Assert.Equal(sequential.Fit!.Parameters, parallel.Fit!.Parameters);
        Assert.Equal(sequential.RunnerUps.Select(r => (r.Schedule.ToSpec(), r.PredictedLoss, r.Lower, r.Upper)),
            parallel.RunnerUps.Select(r => (r.Schedule.ToSpec(), r.PredictedLoss, r.Lower, r.Upper)));
        Assert.Equal(3, parallel.Accuracy.Count);
        Assert.Equal(sequential.Accuracy.Select(a => (a.Law, a.PredE, a.WorstE, a.FinalError)), parallel.Accuracy.Select(a => (a.Law, a.PredE, a.WorstE, a.FinalError)));
        Assert.Equal(sequential.Accuracy.SelectMany(a => a.Curves.SelectMany(c => c.Predicted)), parallel.Accuracy.SelectMany(a => a.Curves.SelectMany(c => c.Predicted)));
        Assert.Equal(sequential.IntervalRelativeError, parallel.IntervalRelativeError);
        // The schedule-regret rule's incumbent read beside the search (parallel only): the same decision.
        Assert.NotNull(parallel.ObservedBest);
        Assert.Equal(sequential.ObservedBest, parallel.ObservedBest);
        Assert.Equal(sequential.Reasons.Single(r => r.Kind == ReasonKind.LrAxisPrior).Quantities, parallel.Reasons.Single(r => r.Kind == ReasonKind.LrAxisPrior).Quantities);
        var axis = (LrAxisPlanLaw)parallel.Model!;
        Assert.Equal(((LrAxisPlanLaw)sequential.Model!).Axis.Fit.Parameters, axis.Axis.Fit.Parameters);
    }

    [Fact]
    public void A_wrong_early_pick_is_cancelled_or_dropped_and_the_plan_is_the_one_made_in_sequence()
    {
        // The early second stage forced onto the law that is not the choice: that stage runs (or is cancelled when the last
        // check gives the choice) beside the rest, and the plan is the one made one fit after another, bit for bit; no fit of the
        // wrong pick reaches the fit cache unfinished (a fresh cache, then the plan made again from it is the same plan).
        var runs = LrAxisPlanTests.Mpl25();
        var request = new PlanRequest(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW);
        var options = new PlanOptions { Laws = ["optlaw", "tissue"] };
        var sequential = Planner.Make(request, runs, options with { ParallelFits = false });
        Assert.Equal(2, sequential.Accuracy.Count);
        int wrong = sequential.Accuracy[0].Law == sequential.Fit!.Law.Name ? 1 : 0;
        Assert.NotEqual(sequential.Fit.Law.Name, sequential.Accuracy[wrong].Law);
        {
            var cache = new Counting();
            var parallel = Planner.Make(request, runs, options with { EarlyPick = _ => wrong, FitCache = cache });
            var again = Planner.Make(request, runs, options with { FitCache = cache });
            foreach (var plan in new[] { parallel, again })
            {
                Assert.Equal(sequential.Fit!.Law.Name, plan.Fit!.Law.Name);
                Assert.Equal(sequential.Fit.Parameters, plan.Fit.Parameters);
                Assert.Equal(sequential.Best.Schedule.ToSpec(), plan.Best.Schedule.ToSpec());
                Assert.Equal(sequential.Best.PredictedLoss, plan.Best.PredictedLoss);
                Assert.Equal(sequential.Best.Lower, plan.Best.Lower);
                Assert.Equal(sequential.Best.Upper, plan.Best.Upper);
                Assert.Equal(sequential.RunnerUps.Select(r => (r.Schedule.ToSpec(), r.PredictedLoss, r.Lower, r.Upper)),
                    plan.RunnerUps.Select(r => (r.Schedule.ToSpec(), r.PredictedLoss, r.Lower, r.Upper)));
                Assert.Equal(sequential.IntervalRelativeError, plan.IntervalRelativeError);
                Assert.Equal(sequential.Accuracy.Select(a => (a.Law, a.FinalError, a.CorrectedError)), plan.Accuracy.Select(a => (a.Law, a.FinalError, a.CorrectedError)));
            }
        }
    }

    [Fact]
    public void The_joint_law_on_the_runs_is_fitted_once_when_it_plans_with_the_prior()
    {
        // With the joint law chosen and the runs at one peak LR, the prior's first pass (the law without LR mechanisms, default
        // options) and the plan's own fit of the joint law are the same fit, made (and looked up in the cache) once. A marked
        // entry under that key shows it: the plan's fit is the entry, looked up once.
        var runs = LrAxisPlanTests.Mpl25();
        var request = new PlanRequest(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW);
        var curves = JointPlanLaw.Curves(runs);
        string first = FitCacheKey.Of(curves, new JointFitOptions());
        var fitted = JointLawFitter.Fit(curves);
        var marked = fitted with { Parameters = [.. fitted.Parameters.Select((p, i) => i == 0 ? p * (1 + 1e-9) : p)] };
        var cache = new Counting();
        cache.Store(first, CachedFit.Of(marked));
        var plan = Planner.Make(request, runs, new PlanOptions { Laws = ["joint"], Calibrate = false, LrPrior = LrAxisPlanTests.Shipped, FitCache = cache });
        Assert.Equal(1, cache.Lookups[first]);
        Assert.Equal(marked.Parameters, plan.Fit!.Parameters);
        Assert.NotEqual(fitted.Parameters, plan.Fit.Parameters);
        Assert.Equal(2, cache.Entries.Count);   // the first pass and the second (LR axis fixed)
    }

    [Fact]
    public void Every_cached_joint_fit_of_the_plan_gets_the_plans_joint_options()
    {
        // The prior's first pass and the plan's own fit of the joint law go through the cache, keyed by the fit options: with p = 1
        // (JointFitOptions.PowerOne) no key of the default's plan is looked up, and the first pass is keyed by PowerOne. A fit that
        // ignored PlanOptions.Joint would look up a key of the default's plan.
        var runs = LrAxisPlanTests.Mpl25();
        var request = new PlanRequest(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW);
        var curves = JointPlanLaw.Curves(runs);
        Counting Keys(JointFitOptions joint)
        {
            var cache = new Counting();
            Planner.Make(request, runs, new PlanOptions { Laws = ["joint"], Calibrate = false, LrPrior = LrAxisPlanTests.Shipped, FitCache = cache, Joint = joint });
            return cache;
        }
        var (lagDefault, one) = (Keys(new JointFitOptions()), Keys(JointFitOptions.PowerOne));
        Assert.Contains(FitCacheKey.Of(curves, new JointFitOptions()), lagDefault.Lookups.Keys);
        Assert.Contains(FitCacheKey.Of(curves, JointFitOptions.PowerOne), one.Lookups.Keys);
        Assert.Equal(lagDefault.Lookups.Count, one.Lookups.Count);
        Assert.Empty(lagDefault.Lookups.Keys.Intersect(one.Lookups.Keys));
    }

    [Fact]
    public void Jobs_return_in_order_and_the_first_failure_is_rethrown_as_it_is()
    {
        Func<int>[] jobs = [() => 1, () => { Thread.Sleep(20); return 2; }, () => 3];
        Assert.Equal([1, 2, 3], PlanFits.All(true, jobs));
        Assert.Equal([1, 2, 3], PlanFits.All(false, jobs));
        Func<int>[] failing = [() => 1, () => { Thread.Sleep(20); throw new ArgumentException("second"); }, () => throw new InvalidOperationException("third")];
        Assert.Equal("second", Assert.Throws<ArgumentException>(() => PlanFits.All(true, failing)).Message);
        Assert.Equal("second", Assert.Throws<ArgumentException>(() => PlanFits.All(false, failing)).Message);
    }

    [Fact]
    public void The_second_stage_starts_early_for_the_pick_of_the_finished_checks_and_is_used_only_when_it_is_the_choice()
    {
        foreach (int final in new[] { 0, 1 })
        {
            // Check 1 cannot finish before the guess is made (it waits for it), so check 0 is the finished one, every time; the
            // guess over both checks (the final choice) is `final`.
            using var guessed = new ManualResetEventSlim();
            var calls = new ConcurrentDictionary<int, int>();
            IReadOnlyList<int>? seen = null;
            int other = 0;
            Action[] checks = [() => { }, () => guessed.Wait()];
            var secondFor = PlanFits.Speculating(true, checks, [() => Interlocked.Increment(ref other)],
                done =>
                {
                    if (done.Count == 2) return final;
                    seen = done;
                    guessed.Set();
                    return done[0];
                },
                (i, _) => { calls.AddOrUpdate(i, 1, (_, n) => n + 1); return 10 * i; });
            Assert.Equal([0], seen);
            Assert.Equal(1, other);
            Assert.Equal(10 * final, secondFor(final));
            // The pick (0) ran at most once, early (a pick not used is not waited for, and may be cancelled before it starts); a
            // different final choice (1) runs then, once.
            if (final == 0) Assert.Equal(1, calls[0]);
            else Assert.True(calls.GetValueOrDefault(0) <= 1);
            Assert.Equal(final == 1 ? 1 : 0, calls.GetValueOrDefault(1));
        }
        // In sequence nothing is speculated: the second stage runs when asked, for the choice only, with no token to cancel.
        var sequential = new ConcurrentDictionary<int, int>();
        var f = PlanFits.Speculating(false, [() => { }, () => { }], [], done => done[0], (i, token) =>
        {
            Assert.False(token.CanBeCanceled);
            sequential.AddOrUpdate(i, 1, (_, n) => n + 1);
            return i;
        });
        Assert.Empty(sequential);
        Assert.Equal(1, f(1));
        Assert.Equal([1], sequential.Keys);
    }

    [Fact]
    public void A_wrong_pick_is_cancelled_as_soon_as_the_last_check_finishes()
    {
        // The pick (0) runs until its token is cancelled; the last check's guess over both checks chooses 1, which cancels it then,
        // before the choice's second stage is asked for. The choice's own stage runs with a token that cannot be cancelled.
        using var guessed = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        using var stopped = new ManualResetEventSlim();
        CancellationToken pickToken = default, choiceToken = default;
        Action[] checks = [() => { }, () => { guessed.Wait(); Assert.True(started.Wait(TimeSpan.FromSeconds(30))); }];
        var secondFor = PlanFits.Speculating(true, checks, [], done =>
        {
            if (done.Count == 2) return 1;
            guessed.Set();
            return 0;
        }, (i, token) =>
        {
            if (i == 1)
            {
                choiceToken = token;
                return 1;
            }
            pickToken = token;
            started.Set();
            try
            {
                token.WaitHandle.WaitOne(TimeSpan.FromSeconds(60));   // a long fit, stopped only by its token
                token.ThrowIfCancellationRequested();
                return -1;
            }
            finally
            {
                stopped.Set();
            }
        });
        // Cancelled by the first stage's end: stopped before the choice's stage is asked for.
        Assert.True(stopped.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.True(pickToken.IsCancellationRequested);
        Assert.Equal(1, secondFor(1));
        Assert.False(choiceToken.CanBeCanceled);
    }

    [Fact]
    public void A_used_pick_rethrows_its_own_exception_and_a_first_stage_failure_wins_and_cancels_the_pick()
    {
        using var guessed = new ManualResetEventSlim();
        var f = PlanFits.Speculating(true, [() => { }, () => guessed.Wait()], [], done => { guessed.Set(); return 0; },
            (i, _) => i == 0 ? throw new InvalidOperationException("second stage") : i);
        Assert.Equal("second stage", Assert.Throws<InvalidOperationException>(() => f(0)).Message);
        Assert.Equal(1, f(1));
        Action[] failing = [() => throw new ArgumentException("first check"), () => { }];
        Assert.Equal("first check", Assert.Throws<ArgumentException>(() => PlanFits.Speculating(true, failing, [], done => done[0], (i, _) => i)).Message);
        // A check that fails after the pick started: the pick is cancelled.
        using var picked = new ManualResetEventSlim();
        using var stopped = new ManualResetEventSlim();
        Action[] late = [() => { }, () => { Assert.True(picked.Wait(TimeSpan.FromSeconds(30))); throw new ArgumentException("last check"); }];
        Assert.Equal("last check", Assert.Throws<ArgumentException>(() => PlanFits.Speculating(true, late, [], done => 0, (i, token) =>
        {
            picked.Set();
            try
            {
                token.WaitHandle.WaitOne(TimeSpan.FromSeconds(60));
                token.ThrowIfCancellationRequested();
                return i;
            }
            finally
            {
                stopped.Set();
            }
        })).Message);
        Assert.True(stopped.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }
}
