namespace HyperLaws.Fitting;

/// <summary>
/// A store of finished fits keyed by <see cref="FitCacheKey"/> (a hash of the curves, the law and the fit options). The
/// core holds no I/O: the CLI's store is a folder of small files in the user's cache folder. A store must never fail a fit:
/// an unreadable entry is a miss, a failed write is dropped.
/// </summary>
public interface IFitCache
{
    /// <summary>The fit stored under <paramref name="key"/>, or null.</summary>
    CachedFit? TryGet(string key);

    /// <summary>Stores <paramref name="fit"/> under <paramref name="key"/>. The planner fits side by side: both methods may be called from several threads at once.</summary>
    void Store(string key, CachedFit fit);
}
