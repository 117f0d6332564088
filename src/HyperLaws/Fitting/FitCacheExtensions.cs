using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>The one read-or-fit-and-store step every cached fit takes (<see cref="CachedLaw"/>, the planner's joint-law fits).</summary>
public static class FitCacheExtensions
{
    /// <summary>
    /// The fit stored under <paramref name="key"/> as a fit of <paramref name="law"/> (<paramref name="hit"/> true), or
    /// <paramref name="fit"/>'s result, stored under <paramref name="key"/> (<paramref name="hit"/> false). An entry that is not a
    /// fit of <paramref name="law"/> (<see cref="CachedFit.ToFit"/> null) is a miss.
    /// </summary>
    public static LawFit GetOrFit(this IFitCache cache, string key, ILossLaw law, Func<LawFit> fit, out bool hit)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(fit);
        if (cache.TryGet(key)?.ToFit(law) is { } stored)
        {
            hit = true;
            return stored;
        }
        var made = fit();
        cache.Store(key, CachedFit.Of(made));
        hit = false;
        return made;
    }
}
