namespace HyperLaws.Laws.Joint;

/// <summary>
/// The LR axis of <see cref="JointLaw"/> held fixed (at one target, from <see cref="LrAxisCalibration"/>): the fit
/// (<see cref="JointLawFitter"/> with <see cref="JointFitOptions.LrAxis"/>) then fits only the rest (offset, progress,
/// noise) on the runs. With eta_ref the reference LR and tau_ref a reference intrinsic time at the target:
/// <code>
/// kappa            = kappa_hat / eta_ref                                   saturation at eta ~ eta_ref / kappa_hat
/// C z^c_N K        = A z^-a_N  c_hat (tau_ref + s_w)^-alpha  K / eta_ref    (so C = A c_hat (tau_ref + s_w)^-alpha / eta_ref, c_N = -a_N)
/// </code>
/// The cost is measured against the progress term's level at the reference point, so that for a schedule scaled by x =
/// peak / eta_ref the bracket (tau/tau_ref + s_w/tau_ref)^-alpha + c_hat x (K at x = 1)/eta_ref decides the optimum in x:
/// the optimum's ratio to eta_ref depends on kappa_hat, c_hat, alpha and the schedule's shape, not on the loss's units,
/// the model size or the horizon (those enter through eta_ref(N, D)).
/// </summary>
/// <param name="Kappa">kappa at the target (1/LR).</param>
/// <param name="CostHat">c_hat, the dimensionless cost.</param>
/// <param name="ReferenceLr">eta_ref at the target.</param>
/// <param name="ReferenceTime">tau_ref at the target (LR x steps).</param>
public sealed record JointLrAxis(double Kappa, double CostHat, double ReferenceLr, double ReferenceTime)
{
    /// <summary>The multiplier of K (per unit of the progress amplitude A z^-a_N) at offset s_w and exponent alpha: c_hat (tau_ref + s_w)^-alpha / eta_ref.</summary>
    public double CostPerAmplitude(double alpha, double sw) => CostHat * Math.Pow(ReferenceTime + sw, -alpha) / ReferenceLr;

    /// <exception cref="ArgumentException">A value is not finite, kappa or c_hat is negative, or eta_ref or tau_ref is not positive.</exception>
    public void Validate()
    {
        if (!(Kappa >= 0 && double.IsFinite(Kappa))) throw new ArgumentException($"the LR axis's kappa must be finite and >= 0 (got {Kappa}).");
        if (!(CostHat >= 0 && double.IsFinite(CostHat))) throw new ArgumentException($"the LR axis's cost c_hat must be finite and >= 0 (got {CostHat}).");
        if (!(ReferenceLr > 0 && double.IsFinite(ReferenceLr))) throw new ArgumentException($"the reference LR must be positive (got {ReferenceLr}).");
        if (!(ReferenceTime > 0 && double.IsFinite(ReferenceTime))) throw new ArgumentException($"the reference intrinsic time must be positive (got {ReferenceTime}).");
    }

    /// <summary>
    /// The law's parameters at this axis: <paramref name="p"/> with kappa, C = A c_hat (tau_ref + s_w)^-alpha / eta_ref and c_N = -a_N set,
    /// and gamma_eta = delta_eta = 0 (the axis is already the one at the target: no LR size or data scale on top of it).
    /// </summary>
    public double[] Apply(ReadOnlySpan<double> p)
    {
        var q = p.ToArray();
        q[JointLaw.Kappa] = Kappa;
        q[JointLaw.C] = q[JointLaw.A] * CostPerAmplitude(q[JointLaw.Alpha], q[JointLaw.Sw]);
        q[JointLaw.CostExponent] = -q[JointLaw.ProgressExponent];
        JointLaw.ClearLrScale(q);
        return q;
    }
}
