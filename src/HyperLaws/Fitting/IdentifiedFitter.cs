using HyperLaws.Laws;

namespace HyperLaws.Fitting;

/// <summary>
/// The default fit of the CLI and of protocol 14: <see cref="Identification"/> first; when every term is identified, exactly
/// <see cref="LawFitter.Fit"/> (nothing changes); when a decay term is not, that term held at <see cref="DecayPrior"/> and the
/// law's other parameters fitted (<see cref="PinnedLaw"/>), and the term reported with its prior. A decay seen only in part (a
/// decrement too short to show its shape, <see cref="ScheduleEvidence.ShowsDecayShape"/>) is fitted freely by the default rule
/// (<see cref="IdentificationRule.Evidence"/>, protocol 14e/15e) and held at the prior only when that free fit is non-physical
/// (<see cref="DecayCheck"/>); <see cref="IdentificationRule"/> lists the others (14c's, 14d's, free). With <c>priors: false</c> the fit is the free fit and the terms are reported as left free.
/// Every free fit of a decay seen only in part (the evidence rule's, 14c's, free's) is started also at the prior-held fit, and its
/// objective is never above that fit's where the fit has no staged first stage; 14c's and free's fit, ending above it after a staged
/// first stage, is run once more from the prior-held point alone (the evidence rule only with <c>polishFromHeld</c>, off by default;
/// docs/VALIDATION.md "The prior-held fit as a start of every free fit of a short decrement").
/// </summary>
public static class IdentifiedFitter
{
    /// <summary>
    /// The rule <see cref="Fit"/> applies when none is given: <see cref="IdentificationRule.Evidence"/>, protocol 14e/15e's (docs/VALIDATION.md:
    /// it passed its declared criteria on protocols 14, 15a and 15r; protocol 14d's <see cref="IdentificationRule.Shape"/> before).
    /// </summary>
    public const IdentificationRule DefaultRule = IdentificationRule.Evidence;

    /// <summary>
    /// Added to a kept free fit's <see cref="IdentifiedFit.Evidence"/> when the free fit is the run from the prior-held point alone: the
    /// free fit from its starts had ended above the prior-held objective.
    /// </summary>
    public const string PolishNote = "; fitted from the prior-held point alone (the free fit from its starts had ended above its objective)";

    /// <summary>Fits <paramref name="law"/> to <paramref name="targets"/> (see the type's remarks).</summary>
    /// <param name="law">The law.</param>
    /// <param name="targets">The curves.</param>
    /// <param name="options">The fit's settings (defaults when null); explicit <see cref="FitOptions.Starts"/> are restricted to the free parameters.</param>
    /// <param name="priors">Hold unidentified decay terms at their prior (default); false: leave them free, only report them (as <see cref="IdentificationRule.Free"/>).</param>
    /// <param name="rule">When a decay is held at its prior (<see cref="DefaultRule"/> when null).</param>
    /// <param name="polishFromHeld">The evidence rule: when its free fit ends above the prior-held objective, run it once more from the
    /// prior-held point alone and keep the lower (off by default: the declared fallback of docs/VALIDATION.md "The prior-held fit as a
    /// start", whose A2 failed on 14c; it never triggered on protocols 14, 15a, 15r, 16 or 18). 14c's rule and free always do.</param>
    public static IdentifiedFit Fit(IFittableLaw law, IReadOnlyList<FitTarget> targets, FitOptions? options = null, bool priors = true, IdentificationRule? rule = null, bool polishFromHeld = false)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(targets);
        var how = priors ? rule ?? DefaultRule : IdentificationRule.Free;
        var evidence = ScheduleEvidence.Of(targets);
        var terms = Identification.Of(law, evidence, shapeNeeded: how != IdentificationRule.NoDecrement);
        var prior = how != IdentificationRule.Free && terms.Count > 0 ? DecayPrior.For(law, targets) : null;
        if (prior is not { } pinned)
        {
            var (fit, polishedFree) = FitFree(law, targets, options, evidence);
            return new IdentifiedFit(fit, terms) { Evidence = polishedFree ? "polished" + PolishNote : null };
        }
        var described = Describe(terms, pinned.Description);
        var held = FitPinned(law, targets, options, pinned.Pins);
        if (how != IdentificationRule.Evidence || !evidence.ShowsDecay)
            return new IdentifiedFit(held, described) { Pins = pinned.Pins };

        // Protocol 14e/15e: a decay seen only in part. The free fit, also started at the prior-held fit's point (the free law contains
        // it), is kept unless it is non-physical (DecayCheck); then the prior-held fit is, and the check it failed is given as the reason.
        var (free, polished) = FitFreeFrom(law, targets, options, held, polishFromHeld);
        string? failure = DecayCheck.Failure(law, free, held, targets);
        if (failure is null)
            return new IdentifiedFit(free, []) { Evidence = "free: the decay seen only in part was fitted freely and passed the physical checks (C1-C3)" + (polished ? PolishNote : "") };
        return new IdentifiedFit(held, [.. described.Select(t => t with { Reason = $"{t.Reason}; {failure}" })]) { Pins = pinned.Pins, Evidence = $"prior: {failure}" };
    }

    /// <summary>
    /// The free fit where no prior is held (every term identified, 14c's rule, <see cref="IdentificationRule.Free"/>):
    /// <see cref="LawFitter.Fit"/>, and for a decay seen only in part (<see cref="ScheduleEvidence.ShowsDecay"/> but not
    /// <see cref="ScheduleEvidence.ShowsDecayShape"/>, the rules 14c and free fit it freely) <see cref="FitFreeFrom"/> the prior-held fit
    /// too: MPL's free fit from its own starts alone can stop in a basin far above that point on a short decrement (docs/VALIDATION.md,
    /// protocol 14d's diagnosis: 160-800x the prior-held objective on t3-muon and t3-spectral). Costs one prior-held fit and one more
    /// start, there only; a decay fully identified or not seen at all is fitted exactly as before. Polished: the kept fit is the run
    /// from the prior-held point alone (<see cref="FitFreeFrom"/>).
    /// </summary>
    private static (LawFit Fit, bool Polished) FitFree(IFittableLaw law, IReadOnlyList<FitTarget> targets, FitOptions? options, ScheduleEvidence evidence)
    {
        if (!evidence.ShowsDecay || evidence.ShowsDecayShape || DecayPrior.For(law, targets) is not { } prior)
            return (LawFitter.Fit(law, targets, options), false);
        return FitFreeFrom(law, targets, options, FitPinned(law, targets, options, prior.Pins), polish: true);
    }

    /// <summary>
    /// The free fit of <paramref name="law"/> with <paramref name="held"/>'s parameters (a fit of the same law with some parameters held)
    /// added to its starts, so that its objective is never above <paramref name="held"/>'s: the free law contains the held point, and
    /// Levenberg-Marquardt (or OptLaw's Nelder-Mead) never leaves a start for a higher objective. One exception is closed here: a fit
    /// with a first stage on a thinned copy of the points or a few of the curves (<see cref="FitOptions.CoarsePoints"/>, <see cref="FitOptions.CoarseTotalPoints"/>,
    /// <see cref="FitOptions.CurveSubset"/>: MPL on long curves or many runs) picks its start on that copy, and can end above the held
    /// objective on every point; then, when <paramref name="polish"/>, one more run from the held point alone, on every point, and the
    /// lower of the two is kept.
    /// </summary>
    private static (LawFit Fit, bool Polished) FitFreeFrom(IFittableLaw law, IReadOnlyList<FitTarget> targets, FitOptions? options, LawFit held, bool polish)
    {
        options ??= new FitOptions();
        var free = LawFitter.Fit(law, targets, options with { Starts = [.. options.Starts, held.Parameters] });
        if (!polish || !double.IsFinite(held.Objective) || free.Objective <= held.Objective * (1 + DecayCheck.ObjectiveTolerance)) return (free, false);
        var again = LawFitter.Fit(law, targets, options with { Starts = [held.Parameters], UseLawStartingPoints = false, CoarsePoints = 0, CoarseTotalPoints = 0, CurveSubset = 0 });
        bool better = again.Objective < free.Objective || !double.IsFinite(free.Objective);
        var kept = better ? again : free;
        return (kept with { Iterations = free.Iterations + again.Iterations, Evaluations = free.Evaluations + again.Evaluations }, better);
    }

    /// <summary>The law fitted with <paramref name="pins"/> held (<see cref="PinnedLaw"/>), as a fit of the law's full parameter vector.</summary>
    private static LawFit FitPinned(IFittableLaw law, IReadOnlyList<FitTarget> targets, FitOptions? options, IReadOnlyDictionary<int, double> pins)
    {
        // A law fitted through the fit cache (CachedLaw) is pinned as its inner law (same parameters); the pinned fit is not cached.
        var inner = Identification.Unwrap(law);
        var starts = inner is OptLaw ? OptLawStarts(targets) : null;
        var pinnedLaw = PinnedLaw.Create(inner, pins, starts);
        options ??= new FitOptions();
        var given = options.Starts.Where(s => s.Length == law.ParameterNames.Count).Select(s => pinnedLaw.Restrict(s)).ToList();
        var fit = LawFitter.Fit(pinnedLaw, targets, PinnedOptions(options, pinnedLaw) with { Starts = given });
        return new LawFit(law, pinnedLaw.Expand(fit.Parameters), fit.Objective, fit.Iterations, fit.Evaluations, fit.Converged, fit.StopReason);
    }

    /// <summary>
    /// The settings of a fit of <paramref name="pinnedLaw"/> (<see cref="FitPinned"/>, and <see cref="Bootstrap"/>'s refits): MPL held at
    /// its decay prior (<see cref="HeldDropPinnedLaw"/>) walks a ridge without a limit, so where <see cref="FitOptions.HeldRidgeTolerance"/>
    /// is on and the caller's own <see cref="FitOptions.RidgeTolerance"/> is off, the flat-ridge stop at that tolerance, in this fit only;
    /// otherwise <paramref name="options"/> as they are. A negative or non-finite tolerance is refused here (<see cref="FitOptions.CheckRidgeStops"/>).
    /// </summary>
    private static FitOptions PinnedOptions(FitOptions options, PinnedLaw pinnedLaw)
    {
        options.CheckRidgeStops();   // before an infinite held tolerance becomes the RidgeTolerance the fit would refuse by that name
        double held = options.EffectiveHeldRidgeTolerance;
        return pinnedLaw is HeldDropPinnedLaw && options.RidgeTolerance == 0 && held > 0 ? options with { RidgeTolerance = held } : options;
    }

    /// <summary>
    /// The fit and its bootstrap through the same identification: <see cref="LawBootstrap.Run"/> of <paramref name="law"/> when
    /// <paramref name="fit"/> held nothing at a prior (exactly as before); otherwise of the pinned law (<see cref="PinnedLaw"/>, the
    /// same pins), so every replicate refits the free parameters with the held terms at their prior, and the samples are expanded to
    /// the law's full parameter vectors (a held parameter's interval is its prior value).
    /// </summary>
    /// <param name="law">The law <paramref name="fit"/> was fitted as.</param>
    /// <param name="targets">The curves it was fitted on.</param>
    /// <param name="fit">Its <see cref="Fit"/>.</param>
    /// <param name="options">The bootstrap's settings.</param>
    /// <param name="progress">Replicates done so far (see <see cref="LawBootstrap.Run"/>).</param>
    public static BootstrapResult Bootstrap(IFittableLaw law, IReadOnlyList<FitTarget> targets, IdentifiedFit fit, BootstrapOptions? options = null, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.Pins is not { } pins) return LawBootstrap.Run(law, targets, options, fit.Fit, progress);
        var pinnedLaw = PinnedLaw.Create(Identification.Unwrap(law), pins);
        var f = fit.Fit;
        var restricted = new LawFit(pinnedLaw, pinnedLaw.Restrict(f.Parameters), f.Objective, f.Iterations, f.Evaluations, f.Converged, f.StopReason);
        // The replicates refit the pinned law as the held fit did (PinnedOptions: the held-at-prior ridge stop where it is on).
        options ??= new BootstrapOptions();
        var result = LawBootstrap.Run(pinnedLaw, targets, options with { Fit = PinnedOptions(options.Fit, pinnedLaw) }, restricted, progress);
        var samples = result.Bootstrap with { Samples = [.. result.Bootstrap.Samples.Select(s => pinnedLaw.Expand(s))] };
        return new BootstrapResult(f, samples, samples.Intervals(law.ParameterNames, f.Parameters), result.Unconverged);
    }

    /// <summary>The terms <see cref="Fit"/> reports for these curves (each with the prior it would be held at), without fitting.</summary>
    public static IReadOnlyList<UnidentifiedTerm> Terms(IFittableLaw law, IReadOnlyList<FitTarget> targets, bool priors = true)
    {
        ArgumentNullException.ThrowIfNull(law);
        var terms = Identification.Of(law, targets);   // the default rule's (an evidence rule's decision needs the fits)
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
