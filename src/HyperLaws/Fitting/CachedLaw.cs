using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>
/// <paramref name="inner"/> fitted through an <see cref="IFitCache"/>: <see cref="LawFitter.Fit"/> hands this law its own fit,
/// which returns the stored fit for the same key (<see cref="FitCacheKey"/>) or fits <paramref name="inner"/> and stores the
/// result. The returned <see cref="LawFit.Law"/> is <paramref name="inner"/>; predictions are the inner law's.
/// </summary>
public sealed class CachedLaw(IFittableLaw inner, IFitCache cache) : ISelfFittingLaw
{
    /// <summary>The law fitted and predicting.</summary>
    public IFittableLaw Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    private readonly IFitCache _cache = cache ?? throw new ArgumentNullException(nameof(cache));

    /// <summary>Fits served from the cache and fits computed, since this wrapper was made.</summary>
    public int Hits => _hits;

    /// <inheritdoc cref="Hits"/>
    public int Misses => _misses;

    private int _hits, _misses;

    /// <inheritdoc/>
    public string Name => Inner.Name;

    /// <inheritdoc/>
    public IReadOnlyList<string> ParameterNames => Inner.ParameterNames;

    /// <inheritdoc/>
    public IReadOnlyList<bool> Positive => Inner.Positive;

    /// <inheritdoc/>
    public IReadOnlyList<double[]> StartingPoints(IReadOnlyList<FitTarget> targets) => Inner.StartingPoints(targets);

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, ReadOnlySpan<int> steps, Span<double> output) =>
        Inner.Predict(parameters, history, steps, output);

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<double> parameters, ScheduleHistory history, double modelSize, ReadOnlySpan<int> steps, Span<double> output) =>
        Inner.Predict(parameters, history, modelSize, steps, output);

    /// <summary>The stored fit for (law, targets, options) when the cache has it, else the inner law's fit, stored; counts a hit or a miss.</summary>
    public LawFit Fit(IReadOnlyList<FitTarget> targets, FitOptions options)
    {
        var fit = _cache.GetOrFit(FitCacheKey.Of(Inner, targets, options), Inner, () => LawFitter.Fit(Inner, targets, options), out bool hit);
        Interlocked.Increment(ref hit ? ref _hits : ref _misses);
        return fit;
    }
}
