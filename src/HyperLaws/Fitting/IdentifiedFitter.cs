using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>
/// The default fit of the CLI and of protocol 14: <see cref="Identification"/> first; when every term is identified, exactly
/// <see cref="LawFitter.Fit"/> (nothing changes); when a decay term is not, that term held at <see cref="DecayPrior"/> and the
/// law's other parameters fitted (<see cref="PinnedLaw"/>), and the term reported with its prior. With
/// <c>priors: false</c> the fit is <see cref="LawFitter.Fit"/> and the terms are reported as left free.
/// </summary>
public static class IdentifiedFitter
{
    /// <summary>Fits <paramref name="law"/> to <paramref name="targets"/> (see the type's remarks).</summary>
    /// <param name="law">The law.</param>
    /// <param name="targets">The curves.</param>
    /// <param name="options">The fit's settings (defaults when null); explicit <see cref="FitOptions.Starts"/> are restricted to the free parameters.</param>
    /// <param name="priors">Hold unidentified decay terms at their prior (default); false: leave them free, only report them.</param>
    public static IdentifiedFit Fit(IFittableLaw law, IReadOnlyList<FitTarget> targets, FitOptions? options = null, bool priors = true)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(targets);
        var terms = Identification.Of(law, targets);
        var prior = priors && terms.Count > 0 ? DecayPrior.For(law, targets) : null;
        if (prior is not { } pinned) return new IdentifiedFit(LawFitter.Fit(law, targets, options), terms);
        var described = Describe(terms, pinned.Description);

        // A law fitted through the fit cache (CachedLaw) is pinned as its inner law (same parameters); the pinned fit is not cached.
        var inner = Identification.Unwrap(law);
        var starts = inner is OptLaw ? OptLawStarts(targets) : null;
        var pinnedLaw = PinnedLaw.Create(inner, pinned.Pins, starts);
        options ??= new FitOptions();
        var given = options.Starts.Where(s => s.Length == law.ParameterNames.Count).Select(s => pinnedLaw.Restrict(s)).ToList();
        var fit = LawFitter.Fit(pinnedLaw, targets, options with { Starts = given });
        var full = new LawFit(law, pinnedLaw.Expand(fit.Parameters), fit.Objective, fit.Iterations, fit.Evaluations, fit.Converged, fit.StopReason);
        return new IdentifiedFit(full, described);
    }

    /// <summary>The terms <see cref="Fit"/> reports for these curves (each with the prior it would be held at), without fitting.</summary>
    public static IReadOnlyList<UnidentifiedTerm> Terms(IFittableLaw law, IReadOnlyList<FitTarget> targets, bool priors = true)
    {
        ArgumentNullException.ThrowIfNull(law);
        var terms = Identification.Of(law, targets);
        return priors && terms.Count > 0 && DecayPrior.For(law, targets) is { } pinned ? Describe(terms, pinned.Description) : terms;
    }

    private static List<UnidentifiedTerm> Describe(IReadOnlyList<UnidentifiedTerm> terms, string prior) =>
        [.. terms.Select(t => t.Prior is null ? t with { Prior = prior } : t)];

    /// <summary>
    /// Starting points of OptLaw's pinned fit (L0, A, alpha, s_w; p and the weights pinned): its own starts come from its full
    /// fit, the one that is not identified. L0 below the smallest loss, as the other laws' starts; alpha and s_w from OptLaw's
    /// own start grid (alpha 0.3 or 0.5, s_w 1% of the fitted intrinsic time).
    /// </summary>
    private static double[][] OptLawStarts(IReadOnlyList<FitTarget> targets)
    {
        double min = targets.Min(t => t.Loss.Min());
        double s1 = targets.Max(t => t.History.S1(t.Steps[^1]));
        double sw = Math.Max(0.01 * s1, 1e-6);
        int n = new OptLaw().ParameterNames.Count;
        double[] Start(double l0, double a, double alpha)
        {
            var p = new double[n];
            (p[OptLaw.L0], p[OptLaw.A], p[OptLaw.Alpha], p[OptLaw.Sw]) = (l0, a, alpha, sw);
            return p;
        }
        return [Start(min - 0.3, 0.5, 0.5), Start(min - 0.6, 0.8, 0.3), Start(min - 0.15, 0.3, 0.5)];
    }
}
