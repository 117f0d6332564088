namespace HyperLaws.Laws;

/// <summary>Settings of the robust least-squares fit.</summary>
public sealed record FitOptions
{
    /// <summary>Huber threshold on relative residuals: quadratic below, linear above (default 0.1%).</summary>
    public double HuberDelta { get; init; } = 1e-3;

    /// <summary>The iteration cap of the Levenberg-Marquardt fit (default 300).</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>Iterations every starting point gets before only the best one continues (with several starts).</summary>
    public int ProbeIterations { get; init; } = 10;

    /// <summary>Stop when an accepted step lowers the objective by less than this fraction.</summary>
    public double RelativeTolerance { get; init; } = 1e-10;

    /// <summary>
    /// The flat-ridge stop (issue 12; declared in docs/VALIDATION.md, "MPL: stopping on a flat ridge"): a Levenberg-Marquardt
    /// run also stops (converged) when, over its last <see cref="RidgeWindow"/> accepted iterations, the fitted curves'
    /// predictions at the observed points moved by less than this fraction of the fit's residual RMS: with relative residuals
    /// r_i = (L_hat_i - L_i) / L_i, RMS_i(r_i(now) - r_i(window ago)) &lt; tolerance x RMS_i(r_i(now)). The change of r_i is the
    /// relative change of the prediction itself, whatever the parameters did (on MPL's beta -> 0 ridge B grows by decades while
    /// the curves barely move). 0 (the default) switches it off: the declared rule did not pass its acceptance rule for MPL
    /// (protocol 3's top1 fell from 0.5 to 0.43 at training fraction 0.2; docs/VALIDATION.md, "MPL: stopping on a flat ridge"),
    /// so it is an option only. In the fit cache's key.
    /// </summary>
    public double RidgeTolerance { get; init; }

    /// <summary>The number of accepted iterations the flat-ridge stop looks back over (default 5; see <see cref="RidgeTolerance"/>).</summary>
    public int RidgeWindow { get; init; } = 5;

    /// <summary>
    /// The declared flat-ridge tolerance tau (docs/VALIDATION.md, "MPL: stopping on a flat ridge"): the value to pass as
    /// <see cref="RidgeTolerance"/> to switch the rule on as declared.
    /// </summary>
    public const double DeclaredRidgeTolerance = 0.01;

    /// <summary>
    /// The flat-ridge stop (<see cref="RidgeTolerance"/>, its window <see cref="RidgeWindow"/>) in the fits of MPL held at its decay
    /// prior only (<c>IdentifiedFitter</c>'s pinned fit with MPL's whole drop held, a run without an LR decay), where the caller's
    /// <see cref="RidgeTolerance"/> is 0 (issue 12, helper mplridge; declared in docs/VALIDATION.md, "MPL held at its decay prior: a
    /// declared stop on its ridge"): that fit follows a ridge without a limit (L0 -&gt; -infinity, A -&gt; infinity, alpha -&gt; 0) to the
    /// iteration cap. Null (the default): <see cref="DefaultHeldRidgeTolerance"/> (off); 0: off; <see cref="DeclaredRidgeTolerance"/>:
    /// the rule as declared. No other fit uses the stop itself, but the fits that follow the held fit see its result: the evidence
    /// rule's free fit (and 14c's and free's) is also started at the held fit's point and <c>DecayCheck</c> compares the free fit with
    /// it (<c>IdentifiedFitter.FitFreeFrom</c>), so the free fit, and which of the two is kept, can change with it. The pinned law's
    /// bootstrap refits (<c>IdentifiedFitter.Bootstrap</c>) use it as the held fit does. Not in the fit cache's key: the pinned fit is
    /// not cached, and a free fit started at its point has that point in its key. Negative, NaN or infinite: refused by every fit.
    /// </summary>
    public double? HeldRidgeTolerance { get; init; }

    /// <summary>
    /// The held-at-prior fit's ridge stop when <see cref="HeldRidgeTolerance"/> is null: 0, off. With <see cref="DeclaredRidgeTolerance"/>
    /// it failed its declared rule on protocol 19 (a headline prediction moved 0.12%, <c>select</c> flipped five choices; docs/VALIDATION.md,
    /// "MPL held at its decay prior: a declared stop on its ridge") and saved 0.05 s of CPU in <c>fit</c> on llm.c's run, so it is an option.
    /// </summary>
    public const double DefaultHeldRidgeTolerance = 0;

    /// <summary>
    /// Refuses the flat-ridge stops' settings out of range (<see cref="RidgeWindow"/> below 1; <see cref="RidgeTolerance"/> or
    /// <see cref="HeldRidgeTolerance"/> negative, NaN or infinite), with one line naming the setting and its value (invariant culture).
    /// Every <c>LawFitter</c> fit checks it, whatever law it fits, so a bad held tolerance is refused whether or not a decay is held;
    /// <c>LawBootstrap.Check</c> too, whose refits would otherwise all fail without saying why.
    /// </summary>
    internal void CheckRidgeStops()
    {
        if (RidgeWindow < 1) throw new ArgumentException(FormattableString.Invariant($"FitOptions.RidgeWindow must be at least 1 (got {RidgeWindow})."));
        if (!(RidgeTolerance >= 0 && double.IsFinite(RidgeTolerance))) throw new ArgumentException(FormattableString.Invariant($"FitOptions.RidgeTolerance must be 0 (off) or positive and finite (got {RidgeTolerance})."));
        if (HeldRidgeTolerance is { } held && !(held >= 0 && double.IsFinite(held))) throw new ArgumentException(FormattableString.Invariant($"FitOptions.HeldRidgeTolerance must be 0 (off) or positive and finite (got {held})."));
    }

    /// <summary>The tolerance of the held-at-prior fit's ridge stop (<see cref="HeldRidgeTolerance"/>, null: <see cref="DefaultHeldRidgeTolerance"/>).</summary>
    internal double EffectiveHeldRidgeTolerance => HeldRidgeTolerance ?? DefaultHeldRidgeTolerance;

    /// <summary>
    /// True: every starting point is run to convergence (or <see cref="MaxIterations"/>) and the one with the lowest objective is
    /// kept (a full multi-start); false (the default): every start is probed for <see cref="ProbeIterations"/> and only the most
    /// promising one continues. The full multi-start costs about one fit per start; it finds an optimum the probe would drop
    /// when a start that is behind after the probe ends lower (docs/VALIDATION.md, "Protocol 3: ... (helper p3rank)"). In the
    /// fit cache's key when on.
    /// </summary>
    public bool ConvergeEveryStart { get; init; }

    /// <summary>Extra starting points (in the law's parameter order), tried besides the law's own.</summary>
    public IReadOnlyList<double[]> Starts { get; init; } = [];

    /// <summary>
    /// Also try the law's own starting points (default). Off, only <see cref="Starts"/> are tried: a
    /// warm start, e.g. bootstrap refits from the full-data optimum.
    /// </summary>
    public bool UseLawStartingPoints { get; init; } = true;

    /// <summary>
    /// The most observed points one curve contributes to a fit (default <see cref="int.MaxValue"/>: every point; at least 2).
    /// A curve with more points is fitted on this many bin means of consecutive points (loss: the bin's mean loss; step: its
    /// mean step), which bounds the cost per curve of laws evaluated point by point (MPL's tree walk, OptLaw's normal
    /// equations) on long logs, e.g. 2,000 for a 10^6-step log with a point every 100 steps. An approximation of the fit on
    /// every point, off by default and declared (docs/VALIDATION.md, "Long runs and sweeps"): a different objective, so a
    /// different optimum; no curve of protocols 1-6 has more than about 1,030 points.
    /// </summary>
    public int MaxPointsPerCurve { get; init; } = int.MaxValue;

    /// <summary>
    /// A fit of many curves first fitted on a few (issue 12; declared in docs/VALIDATION.md, "MPL: many curves fitted on a few
    /// first"): when a Levenberg-Marquardt fit has at least <see cref="SubsetMinCurves"/> curves and
    /// <see cref="SubsetMinPoints"/> points, the whole procedure (every start probed, the best run to convergence; the starts those
    /// the law gives for all the curves) runs on this many of the curves, a fixed pseudo-random choice
    /// (<c>LawFitter.SubsetIndices</c>), and one Levenberg-Marquardt run on every curve continues from that fit's optimum to the
    /// usual convergence (for MPL to <see cref="PolishTolerance"/>). In LawFitter's fits (MPL, and every law this is set for) the
    /// curves are counted, and the few drawn, among the distinct curves (curves equal in schedule, steps and size count once), so a
    /// sweep of fewer than 30 schedules, however often repeated, is the one-stage fit; the points are counted over all curves, equal
    /// ones included (30 schedules x 3 seeds x 120 points: 10,800 points, staged, though the distinct curves carry 3,600; documented,
    /// not changed: docs/VALIDATION.md, "... after the review"). <see cref="OptLaw"/>'s own search counts and draws among all curves.
    /// A bootstrap's refits (<c>LawBootstrap</c>) are fits of their own samples and cross the thresholds on their own: whole runs
    /// resampled keep about 63% of the distinct curves (40 distinct runs: about 25, so the one-stage fit), blocks split each curve
    /// into layers of distinct steps (more distinct curves); so a replicate may take the other path than the point fit. 0: off. Null
    /// (the default): <see cref="DeclaredCurveSubset"/> for <see cref="OptLaw"/>, whose own fit searches on that many curves first,
    /// then on all (docs/VALIDATION.md, "OptLaw: the search on a few curves, then on all"; the same thresholds); off for every other
    /// law, the Multi-Power Law included: its staged fit (<see cref="DeclaredCurveSubset"/> with <see cref="DeclaredMplPolishTolerance"/>,
    /// docs/VALIDATION.md, "MPL: the search on a few curves, then a polish on all", helper mpl100c) passed its declared benchmark
    /// (100 distinct synthetic runs, 2.7x less CPU) but cost 1.9x more at 30 distinct runs and 5.1x more in the 124M grid's plan
    /// (117 runs, the check after the review), so it is an option, not the default (the lead, after those results). Fits below
    /// the thresholds are the same bit for bit whatever this is. In the fit cache's key.
    /// </summary>
    public int? CurveSubset { get; init; }

    /// <summary>
    /// The declared subset size: the default (<see cref="CurveSubset"/> null) of <see cref="OptLaw"/> (docs/VALIDATION.md, "OptLaw: the
    /// search on a few curves, then on all"); for every other law, the Multi-Power Law's staged fit included ("MPL: the search on a few
    /// curves, then a polish on all"), the value to pass as <see cref="CurveSubset"/> to switch the rule on as declared.
    /// </summary>
    public const int DeclaredCurveSubset = 10;

    /// <summary>The fewest curves a fit needs before <see cref="CurveSubset"/> applies.</summary>
    public const int SubsetMinCurves = 30;

    /// <summary>The fewest observed points (all curves together) a fit needs before <see cref="CurveSubset"/> applies.</summary>
    public const int SubsetMinPoints = 10_000;

    /// <summary>
    /// The subset size this fit of <paramref name="law"/> uses (<see cref="CurveSubset"/>; when null, <see cref="DeclaredCurveSubset"/>
    /// for <see cref="OptLaw"/>, else 0: off).
    /// </summary>
    internal int EffectiveCurveSubset(IFittableLaw law) => Math.Max(0, CurveSubset ?? (law is OptLaw ? DeclaredCurveSubset : 0));

    /// <summary>
    /// k of the first stage on a subset of the curves (<see cref="CurveSubset"/>, Levenberg-Marquardt fits): that stage's curves
    /// are thinned to every k-th point counted back from each one's last (<c>LawFitter.Thinned</c>, the coarse stage's rule); the
    /// run on every curve that follows is not thinned. Null or 1 (the default): every point. An option only: with every 5th point the
    /// 30-run sweep's MPL fit walked the gamma -> 0 ridge to an objective 1.1% above the whole procedure's (docs/VALIDATION.md, "MPL:
    /// the search on a few curves, then a polish on all"), and on the 100 distinct runs it saved no CPU. In the fit cache's key where
    /// it is not 1.
    /// </summary>
    internal int? SubsetEvery { get; init; }

    /// <summary>The subset stage's thinning this fit uses (<see cref="SubsetEvery"/>; null: 1, every point).</summary>
    internal int EffectiveSubsetEvery => Math.Max(1, SubsetEvery ?? 1);

    /// <summary>
    /// The relative tolerance of the Levenberg-Marquardt run on every curve that follows a subset stage (<see cref="CurveSubset"/>).
    /// Null (the default): for the Multi-Power Law max(<see cref="RelativeTolerance"/>, <see cref="DeclaredMplPolishTolerance"/>)
    /// (1e-8 with the default 1e-10; a caller's looser tolerance is kept), <see cref="RelativeTolerance"/> for every other law. In the
    /// fit cache's key where it is not <see cref="RelativeTolerance"/>.
    /// </summary>
    internal double? PolishTolerance { get; init; }

    /// <summary>
    /// MPL's declared tolerance of the run on every curve after the subset stage (<see cref="PolishTolerance"/>): the run stops at an
    /// accepted step that lowers the objective by less than 1e-8 of it, a hundredth of the declared bound on the objective's change
    /// (1e-6 relative; docs/VALIDATION.md, "MPL: the search on a few curves, then a polish on all").
    /// </summary>
    internal const double DeclaredMplPolishTolerance = 1e-8;

    /// <summary>The tolerance of the run on every curve after a subset stage of a fit of <paramref name="law"/> (<see cref="PolishTolerance"/>).</summary>
    internal double EffectivePolishTolerance(IFittableLaw law) =>
        PolishTolerance ?? (law is MultiPowerLaw ? Math.Max(RelativeTolerance, DeclaredMplPolishTolerance) : RelativeTolerance);

    /// <summary>
    /// Whether a fit of <paramref name="curves"/> curves and <paramref name="points"/> observed points (all curves together) runs its
    /// first stage on <paramref name="subset"/> of the curves (<see cref="CurveSubset"/>; LawFitter passes the number of distinct curves and all curves' points, OptLaw's own search all curves): subset &gt; 0, at least
    /// max(<paramref name="minCurves"/>, 2 x subset) curves and at least <paramref name="minPoints"/> points (the thresholds
    /// <see cref="SubsetMinCurves"/> and <see cref="SubsetMinPoints"/>; tests lower them).
    /// </summary>
    internal static bool SubsetApplies(int subset, int curves, int points, int minCurves = SubsetMinCurves, int minPoints = SubsetMinPoints) =>
        subset > 0 && curves >= Math.Max(minCurves, 2 * subset) && points >= minPoints;

    /// <summary>
    /// The starts' probes on a few curves (issue 12; declared in docs/VALIDATION.md, "MPL: the starts probed on a few curves, the best
    /// continued on all", helper mpl100): when a Levenberg-Marquardt fit with several starts has at least <see cref="SubsetMinCurves"/>
    /// distinct curves and <see cref="SubsetMinPoints"/> points (<see cref="SubsetApplies"/>, as <see cref="CurveSubset"/>), every
    /// start is probed for <see cref="ProbeIterations"/> on this many of the distinct curves (<c>LawFitter.SubsetIndices</c>, the
    /// choice of <see cref="CurveSubset"/>) instead of on all, and the best probe continues on every curve to the usual convergence
    /// (<see cref="RelativeTolerance"/>, the remaining <see cref="MaxIterations"/>), as the best all-curve probe did. Unlike
    /// <see cref="CurveSubset"/>, no run on the few curves goes past the probe, so the few curves cannot lead a long walk along a
    /// ridge of their own. <see cref="CurveSubset"/> and <see cref="CoarsePoints"/>, where they apply, come first. Null or 0 (the
    /// default): off, for every law. An option only: with <see cref="DeclaredCurveSubset"/> for MPL it passed its declared benchmark on
    /// 100 distinct synthetic runs (1.9x less CPU, the same optimum) but the 30-distinct sweep's continuation from the few curves' best
    /// probe walked a 121-iteration continuation, about 105 of them on the C -&gt; infinity ridge (4.4x the CPU), so the declared rule failed. Fits below the thresholds are the same
    /// bit for bit whatever this is. In the fit cache's key where it is not 0.
    /// </summary>
    public int? ProbeSubset { get; init; }

    /// <summary>The probe subset a fit uses (<see cref="ProbeSubset"/>; null: 0, off for every law).</summary>
    internal int EffectiveProbeSubset => Math.Max(0, ProbeSubset ?? 0);

    /// <summary>
    /// A fit of long curves started from a fit on a thinned copy of their points (issue 12; declared in docs/VALIDATION.md, "MPL:
    /// a coarse fit on thinned points, then all points", helper mplfit, its second rule): when a Levenberg-Marquardt fit has at least
    /// <see cref="CoarseMinPoints"/> points in all and k = ceil(the longest curve's points / this) is at least 2, the whole procedure
    /// (every start probed, the best run to convergence; the starts those the law gives for all the curves) runs on every curve
    /// thinned to every k-th point counted back from its last (the same k for every curve, so each curve keeps its share of the
    /// objective and every schedule is seen; the longest keeps about this many points), and one Levenberg-Marquardt run on every
    /// point continues from that fit's optimum to the usual convergence. (The first rule, k = ceil(all points / this), thinned the
    /// 100-run sweep's 500-point curves to 20 points and ended 1% above the whole procedure's optimum: not kept.) The
    /// objective of the result is the one on every point; the path to it is not the whole procedure's. Null (the default):
    /// <see cref="DeclaredCoarsePoints"/> for the Multi-Power Law (<see cref="MultiPowerLaw"/>), 0 (off) for every other law
    /// (<see cref="OptLaw"/>'s own fit takes the same two stages with a Nelder-Mead search when this is set: an option only, its
    /// declared rule failed on alpha, docs/VALIDATION.md, "OptLaw on long curves and the contour at 2.3M steps");
    /// 0: off. The default covers bare MPL fits only: a law that wraps MPL (a prior-held <c>PinnedLaw</c>, a multi-size
    /// <see cref="SizedLaw"/>, the validation's shared-shape MPL) is not a <see cref="MultiPowerLaw"/>, so its fit of 10^6 steps
    /// still takes the long path unless this is set. Fits below the threshold are the same bit for bit whatever this is. In the
    /// fit cache's key.
    /// </summary>
    public int? CoarsePoints { get; init; }

    /// <summary>The declared coarse budget for MPL (<see cref="CoarsePoints"/>): about this many points in the first fit.</summary>
    public const int DeclaredCoarsePoints = 2_000;

    /// <summary>The fewest observed points (all curves together) a fit needs before <see cref="CoarsePoints"/> applies.</summary>
    public const int CoarseMinPoints = 10_000;

    /// <summary>
    /// The coarse first stage (<see cref="CoarsePoints"/>) for fits of many curves (issue 12; declared in docs/VALIDATION.md, "MPL: the
    /// coarse stage's budget counted over all curves", helper mplthin): k = ceil(the distinct curves' points together / this), where
    /// that is larger than <see cref="CoarsePoints"/>'s k (the longest curve's points over its budget), so that a fit of many short
    /// curves (100 distinct runs of 500 points) also runs its whole procedure first on every curve thinned to every k-th point (every
    /// curve and schedule kept, unlike <see cref="CurveSubset"/>), then one run on every point. The points are counted over the distinct
    /// curves (each curve's first equal curve, <c>LawFitter.EqualCurves</c>, when <see cref="ShareEqualCurves"/>): equal curves are
    /// evaluated once, so they add nothing to an evaluation's cost. It applies where the coarse stage does (at least
    /// <see cref="CoarseMinPoints"/> points in all, k &gt;= 2); below, the fit is the same bit for bit whatever this is. Null (the
    /// default) or 0: off, for every law. An option only: with <see cref="DeclaredCoarseTotalPoints"/> its declared rule failed (the
    /// 100-distinct sweep's fit took 3.6x the CPU, its thinned first stage crawling along MPL's C -&gt; infinity ridge; the 30-distinct
    /// sweep's ended on that ridge 6.5% above the one-stage optimum). In the fit cache's key where it is not 0.
    /// </summary>
    public int? CoarseTotalPoints { get; init; }

    /// <summary>
    /// The flat-ridge stop (<see cref="RidgeTolerance"/>, window <see cref="RidgeWindow"/>) in the first stage of a fit whose coarse k is
    /// set by <see cref="CoarseTotalPoints"/> (the count over all curves), where the caller's <see cref="RidgeTolerance"/> is 0; the run
    /// on every point after it never has it (declared in docs/VALIDATION.md, "MPL: the coarse stage's budget counted over all curves",
    /// its amendment: on the 100-distinct sweep the thinned first stage crawled about 190 iterations along MPL's C -&gt; infinity ridge,
    /// and the run on every point then needed 12 evaluations). Null or 0 (the default): off. An option only: at the declared 0.01 the
    /// 100-distinct fit took 9.5x the base's CPU (the crawl moved to the run on every point) and the 30-distinct fit ended on the same
    /// ridge, so the amendment failed. In the fit cache's key where on.
    /// </summary>
    internal double? CoarseRidgeTolerance { get; init; }

    /// <summary>The first stage's flat-ridge tolerance this fit uses (<see cref="CoarseRidgeTolerance"/>; null: 0, off).</summary>
    internal double EffectiveCoarseRidgeTolerance => Math.Max(0, CoarseRidgeTolerance ?? 0);

    /// <summary>The declared budget of <see cref="CoarseTotalPoints"/>: the first stage of a many-curve fit keeps about <see cref="CoarseMinPoints"/> points, a fit the coarse stage would not split again.</summary>
    public const int DeclaredCoarseTotalPoints = CoarseMinPoints;

    /// <summary>The budget over all distinct curves' points this fit uses (<see cref="CoarseTotalPoints"/>; null: 0, off for every law).</summary>
    internal int EffectiveCoarseTotalPoints => Math.Max(0, CoarseTotalPoints ?? 0);

    /// <summary>
    /// k of the coarse first stage of a fit with <paramref name="distinctPoints"/> points on its distinct curves, counted over all of
    /// them (<see cref="CoarseTotalPoints"/>): ceil(distinctPoints / the budget), 1 when off.
    /// </summary>
    internal int CoarseTotalEvery(int distinctPoints)
    {
        int budget = EffectiveCoarseTotalPoints;
        return budget > 0 ? (int)((distinctPoints + (long)budget - 1) / budget) : 1;
    }

    /// <summary>The coarse budget this fit of <paramref name="law"/> uses (<see cref="CoarsePoints"/>; when null, MPL's declared value, else 0: off).</summary>
    internal int EffectiveCoarsePoints(IFittableLaw law) => Math.Max(0, CoarsePoints ?? (law is MultiPowerLaw ? DeclaredCoarsePoints : 0));

    /// <summary>
    /// k of the coarse first stage of a fit of <paramref name="law"/> to <paramref name="targets"/> (<see cref="CoarsePoints"/>):
    /// ceil(the longest curve's points / the effective budget), 1 when off (no first stage below k = 2).
    /// </summary>
    internal int CoarseEvery(IReadOnlyList<FitTarget> targets, IFittableLaw law)
    {
        int coarse = EffectiveCoarsePoints(law);
        return coarse > 0 ? (targets.Max(t => t.Steps.Length) + coarse - 1) / coarse : 1;
    }

    /// <summary>
    /// True (the default): the starting points' probes run side by side, each on its own copies of the schedule histories;
    /// false: one after another. The fit is the same (not part of the fit cache's key).
    /// </summary>
    internal bool ParallelProbes { get; init; } = true;

    /// <summary>
    /// True (the default): for a law with a fused evaluation (MPL), Levenberg-Marquardt evaluates each trial point with its Jacobian
    /// in one pass and reuses the Jacobian of an accepted point; false: the values, then the Jacobian again at the accepted point.
    /// The fit is the same bit for bit (not part of the fit cache's key); false is there for the tests that show it.
    /// </summary>
    internal bool FusedTrials { get; init; } = true;

    /// <summary>
    /// True (the default): Levenberg-Marquardt evaluates a trial point curve by curve and stops as soon as the curves done prove that
    /// it does not lower the objective (LawFitter's Problem.EvaluateTrial), so a rejected trial costs part of an evaluation; an accepted
    /// trial is evaluated in full. The decisions and every number used are those of the complete evaluation, so the fit is the same
    /// bit for bit (not part of the fit cache's key); false (every trial in full) is there for the tests that show it.
    /// </summary>
    internal bool EarlyReject { get; init; } = true;

    /// <summary>
    /// True (the default): a Levenberg-Marquardt trial point equal to the current point bit for bit (a zero step, e.g. from a Jacobian
    /// zeroed because the law's derivatives were not finite) is rejected without evaluating the law, and counted as an evaluation as
    /// before: its evaluation would give the current residuals bit for bit and be rejected (docs/VALIDATION.md, "MPL: trial points
    /// equal to the current point"). The fit is the same in every field bit for bit (not part of the fit cache's key); false (every
    /// trial evaluated) is there for the tests that show it.
    /// </summary>
    internal bool SkipStillTrials { get; init; } = true;

    /// <summary>
    /// Diagnostics only: called with a Levenberg-Marquardt run's state after every iteration that does not end it (not converged,
    /// reason "running") and with its result at its end (<c>LawFitter</c>'s runs: each start's probe, then the continuation), from the
    /// run's own thread. Not part of the fit or of its cache key.
    /// </summary>
    internal Action<LawFit>? Trace { get; init; }

    /// <summary>
    /// True (the default): Levenberg-Marquardt evaluates the law once per distinct curve, curves equal in their learning rates, steps and
    /// model size (bit for bit; their losses may differ) sharing one evaluation (<c>LawFitter.EqualCurves</c>); false: once per curve.
    /// The fit is the same bit for bit (not part of the fit cache's key); false is there for the tests that show it.
    /// </summary>
    internal bool ShareEqualCurves { get; init; } = true;

    /// <summary>
    /// Fit a law that is linear in some of its parameters (MPL: L0, A, B) by variable projection: those solved exactly for
    /// each value of the others, Levenberg-Marquardt over the others only, every start run to convergence (the same
    /// objective; <c>SeparableFitter</c> in the source). Off by default: Levenberg-Marquardt over all the parameters, as
    /// the published protocol numbers were made. On long single runs (10^5-10^6 steps) the default fit of MPL ends with no
    /// loss drop (B ~ 0) at an objective about 6 times the noise level, which this fit reaches; on protocols 1-3 it gives
    /// the same or lower objectives but changes protocol 3's ranking (docs/VALIDATION.md, "MPL by variable projection").
    /// In the fit cache's key.
    /// </summary>
    public bool VariableProjection { get; init; }

    /// <summary>
    /// Stops the fit: <see cref="LawFitter"/> checks it once per Levenberg-Marquardt iteration (of every start) and throws
    /// <see cref="OperationCanceledException"/> when it is cancelled, leaving nothing behind (a fit cache stores only finished
    /// fits). Not part of the fit's result or of its cache key (FitCacheKey): a fit that is not cancelled is
    /// the fit without it, bit for bit. Laws with their own procedure (<see cref="ISelfFittingLaw"/>: OptLaw, the joint law) and the variable-projection path (<see cref="VariableProjection"/>)
    /// ignore it; a cached law passes it on to its inner law's fit.
    /// </summary>
    public CancellationToken Cancellation { get; init; }
}
