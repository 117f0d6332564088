namespace HyperLaws.Laws.Joint;

/// <summary>The joint law's LR axis set from an <see cref="LrAxisPrior"/> at one target (<see cref="LrAxisCalibration"/>).</summary>
/// <param name="Kappa">Saturation kappa (1/LR).</param>
/// <param name="Cost">C, the cost's coefficient at the target (cost exponent 0).</param>
/// <param name="ReferenceLr">eta_ref(N, D) at the target.</param>
/// <param name="OptimalLr">The prior's optimum for the reference schedule, x* eta_ref: where the calibrated law's optimum is placed.</param>
/// <param name="Curvature">k the law reaches at the optimum: (d^2 L / d ln eta^2) / (2 L).</param>
/// <param name="TargetCurvature">The prior's k at the target's tokens (<see cref="LrAxisPrior.CurvatureAt"/>).</param>
/// <param name="CostClipped">True when the law without cost already rises at x* eta_ref (C would be negative; 0 is used and the optimum lies lower).</param>
/// <param name="ReferenceLoss">f(u*), the calibrated law's final loss on the prior's reference schedule at <paramref name="OptimalLr"/> (the loss whose
/// curvature is k = f''/(2 f)). Required (no default), so no caller drops it: the planner checks it as a loss (LossPlausibility.IsPhysical)
/// before it uses the axis, and a NaN fails that check.</param>
public sealed record LrAxisCalibrated(double Kappa, double Cost, double ReferenceLr, double OptimalLr, double Curvature, double TargetCurvature, bool CostClipped,
    double ReferenceLoss)
{
    /// <summary>The law's parameters with this axis: kappa, C, c_N = 0 and gamma_eta = delta_eta = 0 (the axis is the target's) set in a copy of <paramref name="p"/>.</summary>
    public double[] Apply(ReadOnlySpan<double> p)
    {
        var q = p.ToArray();
        q[JointLaw.Kappa] = Kappa;
        q[JointLaw.C] = Cost;
        q[JointLaw.CostExponent] = 0;
        JointLaw.ClearLrScale(q);
        return q;
    }

    /// <summary>
    /// The same axis for a fit of the rest (<see cref="JointFitOptions.LrAxis"/>), its cost as c_hat against the progress level of
    /// <paramref name="p"/> at the target (z the target's size ratio): c_hat = C eta_ref z^a_N / (A (tau_ref + s_w)^-alpha),
    /// tau_ref = eta_ref x steps.
    /// </summary>
    public JointLrAxis Fixed(ReadOnlySpan<double> p, double z, int steps)
    {
        double tau = ReferenceLr * steps;
        double level = p[JointLaw.A] * Math.Pow(z, -p[JointLaw.ProgressExponent]) * Math.Pow(tau + p[JointLaw.Sw], -p[JointLaw.Alpha]);
        double costHat = level > 0 ? Cost * ReferenceLr / level : 0;
        return new JointLrAxis(Kappa, costHat, ReferenceLr, tau);
    }
}
