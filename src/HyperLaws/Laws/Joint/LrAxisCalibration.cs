namespace HyperLaws.Laws.Joint;

/// <summary>
/// Sets the joint law's saturation kappa and cost C at a target from an <see cref="LrAxisPrior"/>, the rest of the law (offset,
/// progress, noise) given. On the prior's reference schedule at the target (a linear warmup of min(2000, steps/10) steps, then
/// a cosine decay to 0: Step Law's schedule) with peak eta, write the law's final loss as f(u) = g_kappa(u) + C K_1 e^u,
/// u = ln eta, K_1 = sum s^2 / sum s of the shape (K at peak 1), g_kappa the law with C = 0. The two conditions
/// <code>
/// f'(u*) = 0               =>  C = -g'_kappa(u*) / (K_1 eta*)           (clipped at 0)
/// f''(u*) / (2 f(u*)) = k  =>  kappa, searched on ln(kappa eta_ref) over [1e-3, 1e3] and kappa = 0
/// </code>
/// at eta* = x* eta_ref put the law's optimum for that schedule where the prior says and give it the prior's curvature
/// (derivatives by central differences, step ln 1.1). A kappa that cannot reach k exactly gives the nearest (in ln k).
/// </summary>
public static class LrAxisCalibration
{
    /// <summary>Most entries of the reference schedule's coarse history.</summary>
    public const int Entries = 1000;

    /// <param name="law">The law.</param>
    /// <param name="p">Its parameters (kappa, C and c_N are replaced).</param>
    /// <param name="prior">The prior.</param>
    /// <param name="n">The target's model size (for eta_ref).</param>
    /// <param name="tokens">The target's tokens D (for eta_ref).</param>
    /// <param name="steps">The target's steps.</param>
    /// <param name="lawSize">The model size the law is asked at (NaN: its reference).</param>
    /// <param name="lawBatch">The batch the law is asked at (NaN: its reference).</param>
    /// <param name="batchFactor">eta_ref's factor for the target's batch (<see cref="LrAxisPrior.ReferenceLr(double, double, double)"/>; 1: Step Law's batch, the rule's).</param>
    public static LrAxisCalibrated Calibrate(JointLaw law, ReadOnlySpan<double> p, LrAxisPrior prior, double n, double tokens, int steps, double lawSize, double lawBatch,
        double batchFactor = 1)
    {
        ArgumentNullException.ThrowIfNull(law);
        ArgumentNullException.ThrowIfNull(prior);
        if (steps < 2) throw new ArgumentException($"the target needs at least 2 steps (got {steps}).");
        double etaRef = LrAxisPrior.ReferenceLr(n, tokens, batchFactor), etaStar = prior.Ratio * etaRef, u0 = Math.Log(etaStar);
        int stride = (int)Math.Ceiling(steps / (double)Entries), entries = (int)Math.Ceiling(steps / (double)stride);
        int warmup = Math.Min(2000, steps / 10);
        var shape = new double[entries];
        for (int j = 0; j < entries; j++)
        {
            long t = Math.Min(steps, (long)j * stride + (stride + 1) / 2);
            shape[j] = t < warmup ? (double)t / warmup : 0.5 * (1 + Math.Cos(Math.PI * (t - warmup) / Math.Max(1, steps - warmup)));
        }
        double k1 = shape.Sum(s => s * s) / shape.Sum();
        var q = p.ToArray();
        q[JointLaw.C] = 0;
        q[JointLaw.CostExponent] = 0;
        JointLaw.ClearLrScale(q); // the axis is calibrated at the target, as JointLrAxis.Apply uses it
        double G(double kappa, double u)
        {
            q[JointLaw.Kappa] = kappa;
            double eta = Math.Exp(u);
            var y = new double[1];
            law.Predict(q, new ScheduleHistory([.. shape.Select(s => s * eta)]), lawSize, lawBatch, [entries], y, stride);
            return y[0];
        }
        const double h = 0.09531017980432493; // ln 1.1
        (double Cost, double Curvature, bool Clipped, double Loss) At(double kappa)
        {
            double gm = G(kappa, u0 - h), g0 = G(kappa, u0), gp = G(kappa, u0 + h);
            double d1 = (gp - gm) / (2 * h), d2 = (gp - 2 * g0 + gm) / (h * h);
            double c = -d1 / (k1 * etaStar);
            bool clipped = !(c > 0);
            if (clipped) c = 0;
            double f0 = g0 + c * k1 * etaStar, f2 = d2 + c * k1 * etaStar;
            return (c, f2 / (2 * f0), clipped, f0);
        }
        double target = prior.CurvatureAt(tokens); // k(D) = k0 (D/D0)^-q (a constant k for a version-1 prior)
        double Miss(double curvature) => curvature > 0 && double.IsFinite(curvature) ? Math.Abs(Math.Log(curvature / target)) : double.PositiveInfinity;
        var candidates = new List<(double LnKappaHat, double Kappa)> { (double.NegativeInfinity, 0) };
        for (int i = 0; i <= 30; i++) { double l = Math.Log(1e-3) + i * (Math.Log(1e3) - Math.Log(1e-3)) / 30; candidates.Add((l, Math.Exp(l) / etaRef)); }
        var scored = candidates.Select(c => (c.LnKappaHat, c.Kappa, Result: At(c.Kappa))).ToList();
        var best = scored.MinBy(s => Miss(s.Result.Curvature));
        // Golden-section refinement of ln(kappa eta_ref) between the best point's neighbours on the log grid.
        if (double.IsFinite(best.LnKappaHat))
        {
            double step = (Math.Log(1e3) - Math.Log(1e-3)) / 30, a = best.LnKappaHat - step, b = best.LnKappaHat + step;
            double Score(double l) => Miss(At(Math.Exp(l) / etaRef).Curvature);
            double r = (Math.Sqrt(5) - 1) / 2, x1 = b - r * (b - a), x2 = a + r * (b - a), s1 = Score(x1), s2 = Score(x2);
            for (int i = 0; i < 30; i++)
            {
                if (s1 <= s2) { b = x2; x2 = x1; s2 = s1; x1 = b - r * (b - a); s1 = Score(x1); }
                else { a = x1; x1 = x2; s1 = s2; x2 = a + r * (b - a); s2 = Score(x2); }
            }
            double l0 = s1 <= s2 ? x1 : x2;
            if (Math.Min(s1, s2) < Miss(best.Result.Curvature)) best = (l0, Math.Exp(l0) / etaRef, At(Math.Exp(l0) / etaRef));
        }
        return new LrAxisCalibrated(best.Kappa, best.Result.Cost, etaRef, etaStar, best.Result.Curvature, target, best.Result.Clipped, best.Result.Loss);
    }
}
