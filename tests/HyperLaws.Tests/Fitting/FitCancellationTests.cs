using System.Collections.Concurrent;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Fitting;

/// <summary>
/// <see cref="FitOptions.Cancellation"/>: a fit that is not cancelled is the fit without a token, bit for bit; a cancelled fit
/// (before it starts or in the middle) throws <see cref="OperationCanceledException"/> and leaves nothing in a fit cache, so a
/// later fit through the same cache is the fit made afresh.
/// </summary>
public sealed class FitCancellationTests
{
    /// <summary>An in-memory <see cref="IFitCache"/>.</summary>
    private sealed class Memory : IFitCache
    {
        public ConcurrentDictionary<string, CachedFit> Entries { get; } = new();

        public CachedFit? TryGet(string key) => Entries.TryGetValue(key, out var f) ? f : null;

        public void Store(string key, CachedFit fit) => Entries[key] = fit;
    }

    /// <summary>The tissue law, cancelling <paramref name="cancel"/> once it has been asked for <paramref name="after"/> predictions.</summary>
    private sealed class CancellingLaw(CancellationTokenSource cancel, int after) : IFittableLaw
    {
        private readonly AnnealingLaw _inner = new();
        private int _calls;

        public int Calls => _calls;

        public string Name => _inner.Name;

        public IReadOnlyList<string> ParameterNames => _inner.ParameterNames;

        public IReadOnlyList<bool> Positive => _inner.Positive;

        public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets) => _inner.StartingPoints(targets);

        public void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output)
        {
            if (Interlocked.Increment(ref _calls) == after) cancel.Cancel();
            _inner.Predict(parameters, history, steps, output);
        }
    }

    private static FitTarget[] Curves() => SyntheticCurves.Tissue(3, 0.002, seed: 11);

    [Fact]
    public void A_fit_with_a_token_that_is_not_cancelled_is_the_fit_without_one_and_has_the_same_cache_key()
    {
        using var cancel = new CancellationTokenSource();
        var with = new FitOptions { Cancellation = cancel.Token };
        FitAssert.Same(LawFitter.Fit(new AnnealingLaw(), Curves()), LawFitter.Fit(new AnnealingLaw(), Curves(), with));
        Assert.Equal(FitCacheKey.Of(new AnnealingLaw(), Curves(), new FitOptions()), FitCacheKey.Of(new AnnealingLaw(), Curves(), with));
    }

    [Fact]
    public void A_cancelled_fit_throws_and_stores_nothing()
    {
        var cache = new Memory();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var law = new CachedLaw(new AnnealingLaw(), cache);
        Assert.ThrowsAny<OperationCanceledException>(() => LawFitter.Fit(law, Curves(), new FitOptions { Cancellation = cancelled.Token }));
        Assert.Empty(cache.Entries);
        Assert.Equal(0, law.Misses);
        // The next fit through the same cache is a miss and is the fit made afresh.
        FitAssert.Same(LawFitter.Fit(new AnnealingLaw(), Curves()), LawFitter.Fit(law, Curves()));
        Assert.Single(cache.Entries);
        Assert.Equal(1, law.Misses);
    }

    [Fact]
    public void A_fit_cancelled_in_the_middle_stops_there_and_stores_nothing()
    {
        // The full fit's prediction count, then a fit that cancels itself half-way: it throws, long before the full count.
        using var never = new CancellationTokenSource();
        var counting = new CancellingLaw(never, after: -1);
        var full = LawFitter.Fit(counting, Curves(), new FitOptions { Cancellation = never.Token });
        Assert.True(full.Iterations > 4, $"{full.Iterations} iterations: too few to stop in the middle");
        int total = counting.Calls;

        var cache = new Memory();
        using var cancel = new CancellationTokenSource();
        var stopping = new CancellingLaw(cancel, after: total / 2);
        Assert.ThrowsAny<OperationCanceledException>(() => LawFitter.Fit(new CachedLaw(stopping, cache), Curves(), new FitOptions { Cancellation = cancel.Token }));
        Assert.True(stopping.Calls < total, $"{stopping.Calls} predictions after the cancellation at {total / 2}, of {total} in the full fit");
        Assert.Empty(cache.Entries);
        // Not cancelled, the same law fits as the full fit did.
        FitAssert.Same(full, LawFitter.Fit(new CachedLaw(new CancellingLaw(never, after: -1), cache), Curves()));
        Assert.Single(cache.Entries);
    }
}
