using HyperLaws.Laws;
using HyperLaws.Laws.Joint;

namespace HyperLaws.Fitting;

/// <summary>
/// The priors a fit holds a law's decay terms at when no fitted curve shows an LR decrement (<see cref="Identification"/>): then
/// the curves say nothing about how much a decay lowers the loss, and a free fit puts an arbitrary drop there (protocol 14 of
/// docs/VALIDATION.md: negative "final losses" of first halves at one constant LR). The prior is one number that transfers
/// across scales, the relative drop of a full decay,
/// <code>
/// r = (loss drop of a decay from eta_peak to 0) / (loss at constant eta_peak) = 0.0439
/// </code>
/// taken from the MPL's published fits (Luo et al. 2025, <see cref="MultiPowerLaw.Published"/>): in MPL the drop of a full decay
/// is B eta_peak (G -> 1), and on the published constant-LR schedule (peak 3e-4, 2,160 warmup steps, 24,000 steps) r = B eta_peak
/// / L(24000) = 0.0326 (25M), 0.0433 (100M), 0.0557 (400M); their mean is r (recomputed from the law in the tests). It is not
/// fitted to any run of protocol 14. Each law's decay amplitude is then set so that its drop of a full decay from the fitted
/// curves' highest peak LR eta_p is r L_ref, L_ref the median of the last (up to) 5 fitted losses of the curve at that peak:
/// <list type="bullet">
/// <item>MPL: B = r L_ref / eta_p; the drop's shape held at the published fits' means, C = 2.0742, beta = 0.5914, gamma = 0.6438
/// (AdamW at peak 3e-4: the shape's LR scale is as published, not rescaled).</item>
/// <item>tissue (LR annealing, Tissue et al. 2024): a full decay adds eta_p / (1 - lambda) to S2 (the momentum's geometric sum), so
/// C = r L_ref (1 - lambda) / eta_p.</item>
/// <item>OptLaw: p = 0.81, the mean of its fits on the MPL curves (0.78, 0.81, 0.83; docs/VALIDATION.md, "OptLaw"); the noise
/// weights equal (no information on the lag spectrum), w_m = r L_ref / (M eta_r (eta_p / eta_r)^p) over its M lags, so the
/// relaxed noise level at eta_p, which a full decay removes, is r L_ref (lags longer than the run's intrinsic time relax only
/// partly: the drop within a run is at most r L_ref).</item>
/// </list>
/// The other parameters (L0 and the convergence term) are fitted as usual. So a prediction through a term the curves do not show
/// is the published size of that term, at most a fraction r of the loss, never an arbitrary one.
/// </summary>
public static class DecayPrior
{
    /// <summary>r, the relative loss drop of a full decay (mean over the MPL's three published fits; see the type's remarks).</summary>
    public const double RelativeDrop = 0.0439;

    /// <summary>MPL's drop shape C, beta and gamma: the means of <see cref="MultiPowerLaw.Published"/> (25M, 100M, 400M).</summary>
    public const double MplC = 2.0742, MplBeta = 0.5914, MplGamma = 0.6438;

    /// <summary>OptLaw's noise power p: the mean of its fits on the MPL curves (0.78, 0.81, 0.83).</summary>
    public const double OptLawPower = 0.81;

    /// <summary>How many of the last fitted losses give L_ref (their median).</summary>
    public const int ReferencePoints = 5;

    /// <summary>
    /// The pinned parameters (index to value) of <paramref name="law"/> for the decay prior, with a description of the values and
    /// their source; null when the law has no decay term this prior covers (convex, joint, a law across sizes).
    /// </summary>
    public static (IReadOnlyDictionary<int, double> Pins, string Description)? For(IFittableLaw law, IReadOnlyList<FitTarget> targets)
    {
        // Losses or LRs at the ends of the double range (a subnormal peak, a loss near 1e308) give pins that overflow: no prior then,
        // the free fit decides (and reports when it does not converge), as for a law without one.
        var prior = Pins(law, targets);
        return prior is { } p && p.Pins.Values.All(v => double.IsFinite(v) && v > 0) ? prior : null;
    }

    private static (IReadOnlyDictionary<int, double> Pins, string Description)? Pins(IFittableLaw law, IReadOnlyList<FitTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(law);
        var (peak, lref) = Reference(targets);
        if (!(peak > 0) || !(lref > 0)) return null;
        double drop = RelativeDrop * lref;
        string common = FormattableString.Invariant($"full-decay drop r L_ref = {RelativeDrop} x {lref:G4} = {drop:G3} at eta_peak = {peak:G3} (r from the MPL's published fits, docs/VALIDATION.md \"Priors for unidentified terms\")");
        switch (Identification.Unwrap(law))
        {
            case MultiPowerLaw:
                return (new Dictionary<int, double>
                {
                    [MultiPowerLaw.B] = drop / peak,
                    [MultiPowerLaw.C] = MplC,
                    [MultiPowerLaw.Beta] = MplBeta,
                    [MultiPowerLaw.Gamma] = MplGamma,
                }, FormattableString.Invariant($"B = {drop / peak:G4}, C = {MplC}, beta = {MplBeta}, gamma = {MplGamma}: {common}; C, beta, gamma the published fits' means"));
            case AnnealingLaw annealing:
                double c = drop * (1 - annealing.Lambda) / peak;
                return (new Dictionary<int, double> { [AnnealingLaw.C] = c }, FormattableString.Invariant($"C = {c:G4} = r L_ref (1 - lambda) / eta_peak: {common}"));
            case OptLaw opt:
                int m = opt.Lags.Count;
                double w = drop / (m * OptLaw.ReferenceLr * Math.Pow(peak / OptLaw.ReferenceLr, OptLawPower));
                var pins = new Dictionary<int, double> { [OptLaw.Power] = OptLawPower };
                for (int k = 0; k < m; k++) pins[OptLaw.FirstWeight + k] = w;
                return (pins, FormattableString.Invariant($"p = {OptLawPower} (its fits on the MPL curves), every noise weight {w:G4} (equal over the {m} lags): {common}"));
            default:
                return null;
        }
    }

    /// <summary>
    /// eta_p, the highest peak LR of the curves up to their last fitted step, and L_ref, the median of the last (up to)
    /// <see cref="ReferencePoints"/> fitted losses of the curve at that peak (the lowest such median when several curves share it).
    /// </summary>
    public static (double Peak, double Loss) Reference(IReadOnlyList<FitTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        double peak = 0, loss = double.NaN;
        foreach (var t in targets)
        {
            if (t.Steps.Length == 0) continue;
            double p = 0;
            for (int s = 1; s <= t.Steps[^1]; s++) p = Math.Max(p, t.History.Eta(s));
            double median = ReferenceLoss(t);
            if (p > peak * 1.01) (peak, loss) = (p, median);
            else if (p >= peak / 1.01 && !(median >= loss)) loss = median;
        }
        return (peak, loss);
    }

    /// <summary>The median of the last (up to) <see cref="ReferencePoints"/> fitted losses of <paramref name="t"/>: a curve's L_ref in <see cref="Reference"/>.</summary>
    internal static double ReferenceLoss(FitTarget t) => LrAxisPriorFitter.Median(t.Loss.Skip(Math.Max(0, t.Loss.Length - ReferencePoints)));
}
