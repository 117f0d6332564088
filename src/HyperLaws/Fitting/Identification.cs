using HyperLaws.Laws;
using HyperLaws.Laws.Joint;

namespace HyperLaws.Fitting;

/// <summary>
/// Which terms of a law the fitted curves cannot identify, from their schedules alone (<see cref="ScheduleEvidence"/>):
/// <list type="bullet">
/// <item>No fitted point after an LR decrement (e.g. the first half of a WSD run whose decay starts after its middle, or runs
/// at one constant LR): the decay terms are free, the curves are fitted as well whatever they are. MPL's loss drop (B, C, beta,
/// gamma: LD(t) sums the LR's decrements, and warmup increments alone do not separate B from the convergence term), tissue's
/// annealing term (C: S2 = 0 without a decrement after the warmup), OptLaw's noise term (p and the weights w_m: at a constant
/// LR every N_m relaxes to the same level eta_r (eta/eta_r)^p, collinear with L0).</item>
/// <item>A decrement too short to show the decay's shape (fewer than 2 fitted points at an LR at most half its running peak,
/// <see cref="ScheduleEvidence.ShapeFraction"/>; e.g. the first half of a run in the first third of a long cooldown): the same
/// terms are only partly identified, and reported (and held at the prior by <see cref="IdentifiedFitter"/>) as unidentified:
/// their free fits on the first part of a decrement run off (docs/VALIDATION.md, "Protocol 14d").</item>
/// <item>One peak LR: the joint law's peak-LR terms; one model size: its size terms (warnings only: the joint law's own fit
/// options decide what it does with them).</item>
/// </list>
/// The convex bound's terms (c, P u_T, R v_T) have distinct shapes in T at a constant LR and are not flagged.
/// </summary>
public static class Identification
{
    /// <summary>What would identify the decay terms.</summary>
    public const string DecayRemedy = "a run whose fitted part includes an LR decay to half its peak or below (e.g. a short run of the same recipe with its cooldown, or the full curve of a run that decays) would identify it";

    /// <summary>What the joint law's unidentified terms are held at: nothing added here (its own fit options decide).</summary>
    public const string JointPrior = "no prior added by this check (the joint law's own fit options decide what its fit does with them)";

    /// <summary>The reason given when no fitted curve shows an LR decrement, or one too short to show the decay's shape.</summary>
    public static string DecayReason(ScheduleEvidence evidence) => evidence.DecayPoints == 0
        ? "no fitted curve shows an LR decrement (every fitted point is at its run's peak LR or in warmup)"
        : !evidence.ShowsDecay
            ? $"only {evidence.DecayPoints} fitted point(s) come after an LR decrement (at least {ScheduleEvidence.MinDecayPoints} needed)"
            : FormattableString.Invariant($"the decay is seen only in part: the LR came down to {evidence.DeepestRatio:P0} of its peak at the fitted points (at least {ScheduleEvidence.MinDecayPoints} fitted points at or below {ScheduleEvidence.ShapeFraction:P0} of the peak are needed to identify the decay's shape)");

    /// <summary>The law a <see cref="CachedLaw"/> fits (itself for any other law): its terms are the inner law's.</summary>
    public static IFittableLaw Unwrap(IFittableLaw law) => law is CachedLaw cached ? Unwrap(cached.Inner) : law;

    /// <summary>The terms of <paramref name="law"/> that <paramref name="targets"/> cannot identify (none: an empty list). Prior: null (see <see cref="IdentifiedFitter"/>).</summary>
    public static IReadOnlyList<UnidentifiedTerm> Of(IFittableLaw law, IReadOnlyList<FitTarget> targets) => Of(law, ScheduleEvidence.Of(targets));

    /// <inheritdoc cref="Of(IFittableLaw, IReadOnlyList{FitTarget})"/>
    public static IReadOnlyList<UnidentifiedTerm> Of(IFittableLaw law, ScheduleEvidence evidence) => Of(law, evidence, shapeNeeded: true);

    /// <summary>
    /// The terms of <paramref name="law"/> that <paramref name="evidence"/> cannot identify; with <paramref name="shapeNeeded"/> false
    /// (protocol 14c's rule, <see cref="IdentificationRule.NoDecrement"/>) the decay terms count as identified once at least
    /// <see cref="ScheduleEvidence.MinDecayPoints"/> fitted points follow a decrement, however short.
    /// </summary>
    public static IReadOnlyList<UnidentifiedTerm> Of(IFittableLaw law, ScheduleEvidence evidence, bool shapeNeeded)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(evidence);
        var terms = new List<UnidentifiedTerm>();
        var schedule = Unwrap(law) is SizedLaw sized ? sized.Base : Unwrap(law);
        if (shapeNeeded ? !evidence.ShowsDecayShape : !evidence.ShowsDecay)
        {
            string reason = DecayReason(evidence);
            switch (schedule)
            {
                case MultiPowerLaw:
                    terms.Add(new UnidentifiedTerm(law.Name, "loss drop", ["B", "C", "beta", "gamma"], reason, DecayRemedy, null));
                    break;
                case AnnealingLaw:
                    terms.Add(new UnidentifiedTerm(law.Name, "annealing", ["C"], reason, DecayRemedy, null));
                    break;
                case OptLaw opt:
                    terms.Add(new UnidentifiedTerm(law.Name, "noise", ["p", .. opt.ParameterNames.Skip(OptLaw.FirstWeight).Take(opt.Lags.Count)], reason, DecayRemedy, null));
                    break;
                case JointLaw:
                    terms.Add(new UnidentifiedTerm(law.Name, "noise", ["noise[...]", "W_time", "W_steps", "W_clock", "V_level"], reason, DecayRemedy, JointPrior));
                    break;
            }
        }
        if (schedule is JointLaw)
        {
            if (evidence.Peaks.Count < 2)
                terms.Add(new UnidentifiedTerm(law.Name, "peak-LR", ["kappa", "C", "gamma_eta", "delta_eta", "G_lasting", "H_edge", "b_eta"],
                    evidence.Peaks.Count == 0 ? "no fitted curve has a positive LR" : $"every fitted curve has the same peak LR ({evidence.Peaks[0]:G3})",
                    "runs at two or more peak LRs (e.g. half and twice this one) would identify it", JointPrior));
            if (evidence.Sizes.Count < 2)
                terms.Add(new UnidentifiedTerm(law.Name, "model-size", ["B_N", "beta", "a_N", "c_N", "n_N"],
                    evidence.Sizes.Count == 0 ? "no fitted curve has a known model size" : "every fitted curve has the same model size",
                    "runs of two or more model sizes would identify it", JointPrior));
        }
        return terms;
    }
}
