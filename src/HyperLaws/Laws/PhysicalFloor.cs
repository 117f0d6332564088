namespace HyperLaws.Laws;

/// <summary>
/// A schedule law whose irreducible loss L0 (the floor: the loss at infinite intrinsic time at a constant LR) is held to the
/// physical range in its fit:
/// <code>
/// 0 &lt;= L0 &lt;= L_min,   L_min the lowest loss the runs logged (the planner's: the lowest median of 21 consecutive losses)
/// </code>
/// Why these ends: a cross-entropy is never negative, so a floor below 0 is not a loss (a free fit on runs that do not identify the
/// floor, e.g. two runs at one peak LR or ten updates of a 13B model, puts it at -183 or -72, and the law then falls without bound
/// beyond the runs); and the runs already went down to L_min, so the loss they converge to is not above it. Within that range the
/// runs still may not identify the floor: it is then a prior, not a measurement, and what the bounded fit predicts beyond the runs
/// rests on it (the planner says so, <c>WarningKind.FloorBounded</c>, and gives no interval). The bound is used only as a fallback,
/// when no law fitted freely is physical (<c>Planner</c>); no constant here is tuned to any score.
/// <para>
/// Per law: <see cref="MultiPowerLaw"/> and <see cref="AnnealingLaw"/> take the box [0, L_min] on L0 (their Levenberg-Marquardt fit
/// keeps it, <see cref="LawFitter"/>; their other parameters unbounded as in the free fit, MPL's own box kept where it has one).
/// <see cref="OptLaw"/> takes L0 &gt;= 0 as a sign constraint of its variable projection (exact); its upper end is implied by its
/// form (every other term is non-negative, so L(t) &gt;= L0 at every step and the fit places L0 at or below the lowest losses).
/// Other laws (the convex-bound law, the joint law, a law across sizes) have no bounded form here: null.
/// </para>
/// </summary>
public static class PhysicalFloor
{
    /// <summary>The lower end of L0: a cross-entropy is never negative.</summary>
    public const double Lower = 0;

    /// <summary>
    /// <paramref name="law"/> with its floor held to [<see cref="Lower"/>, <paramref name="lowestObserved"/>] in its fit (the upper end
    /// left open when <paramref name="lowestObserved"/> is not positive and finite), under the same name; null when the law has no
    /// bounded form (see the type's remarks).
    /// </summary>
    public static IFittableLaw? Bounded(IFittableLaw law, double lowestObserved)
    {
        ArgumentNullException.ThrowIfNull(law);
        double upper = lowestObserved > 0 && double.IsFinite(lowestObserved) ? lowestObserved : double.PositiveInfinity;
        return law switch
        {
            OptLaw o => new OptLaw(o.Lags, o.Barriers) { Bounds = Box(o.ParameterNames.Count, OptLaw.L0, double.PositiveInfinity, null) },
            MultiPowerLaw m => new MultiPowerLaw(m.Tolerance) { Bounds = Box(m.ParameterNames.Count, MultiPowerLaw.L0, upper, m.Bounds), Label = m.Name },
            AnnealingLaw a => new AnnealingLaw(a.Lambda) { Bounds = Box(a.ParameterNames.Count, AnnealingLaw.L0, upper, a.Bounds) },
            _ => null,
        };
    }

    /// <summary>
    /// The fitted floor of <paramref name="fit"/> (its parameter named "L0"; NaN when it has none).
    /// </summary>
    public static double Of(LawFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return Of(fit.Law, fit.Parameters);
    }

    /// <summary>
    /// The floor of <paramref name="law"/> at <paramref name="parameters"/> (its parameter named "L0"; NaN when it has none). For a law
    /// across sizes (<see cref="SizedLaw"/>) the base law's L0 at <paramref name="modelSize"/> (<see cref="SizedLaw.ParametersAt"/>:
    /// L0(N) = L0_ref + b (z^(-beta) - 1), not L0_ref), NaN without a model size.
    /// </summary>
    public static double Of(ILossLaw law, ReadOnlySpan<double> parameters, double modelSize = double.NaN)
    {
        ArgumentNullException.ThrowIfNull(law);
        if (law is SizedLaw sized)
        {
            int j = sized.Base.ParameterNames.ToList().IndexOf("L0");
            return j < 0 || !(modelSize > 0) || !double.IsFinite(modelSize) ? double.NaN : sized.ParametersAt(parameters, modelSize)[j];
        }
        int i = law.ParameterNames.ToList().IndexOf("L0");
        return i >= 0 && i < parameters.Length ? parameters[i] : double.NaN;
    }

    /// <summary>The box of <paramref name="count"/> parameters: <paramref name="existing"/>'s (none: unbounded) with L0 at [<see cref="Lower"/>, <paramref name="upper"/>].</summary>
    private static ParameterBounds Box(int count, int l0, double upper, ParameterBounds? existing)
    {
        var lower = existing?.Lower.ToArray() ?? [.. Enumerable.Repeat(double.NegativeInfinity, count)];
        var high = existing?.Upper.ToArray() ?? [.. Enumerable.Repeat(double.PositiveInfinity, count)];
        (lower[l0], high[l0]) = (Lower, upper);
        return new ParameterBounds(lower, high);
    }
}
