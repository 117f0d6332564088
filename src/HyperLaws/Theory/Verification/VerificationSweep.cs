using static System.FormattableString;
using HyperLaws.Numerics;

namespace HyperLaws.Theory.Verification;

/// <summary>
/// Solves every regime over a sweep of budgets (closed form and numerical), fits the log-log
/// exponents of the optima and compares them with the theory's. The paper's figures are drawn from
/// its curves. <c>VerificationSweep.Run(new VerificationOptions())</c>.
/// </summary>
public static class VerificationSweep
{
    /// <summary>Runs the sweep.</summary>
    /// <param name="options">The sweep's settings (checked first).</param>
    /// <param name="progress">The share of the sweep done, 0..1, or null.</param>
    public static VerificationReport Run(VerificationOptions options, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var c = options.Constants;
        double[] budgets = options.BudgetGrid();
        var specs = CurveSpecs(options).ToList();

        var curves = new List<RegimeCurve>(specs.Count);
        for (int i = 0; i < specs.Count; i++)
        {
            var s = specs[i];
            var solutions = budgets.Where(t => t >= s.MinTokens).Select(t => Scaling.Solve(s.Problem(t) with { IntegerBatch = options.IntegerBatch }, c)).ToArray();
            curves.Add(new RegimeCurve(s.Name, s.Regime, s.Label, solutions, s.Floor));
            progress?.Report((i + 1.0) / (specs.Count + 1));
        }

        double fitFrom = options.MaxTokens / Math.Pow(10, options.FitDecades);
        var checks = curves.SelectMany(cv => Check(cv, specs.Single(s => s.Name == cv.Name).RidgeExponent, fitFrom, options)).ToList();

        var joint = curves.Single(cv => cv.Regime == TuningRegime.Joint);
        var ridge = curves.Where(cv => cv.Regime == TuningRegime.Ridge)
            .Select(cv => new RidgeExcess(
                cv.Solutions[0].Problem.RidgeExponent!.Value,
                budgets,
                cv.Solutions.Zip(joint.Solutions, (p, j) => p.Numerical.Proxy / j.Numerical.Proxy - 1).ToArray()))
            .ToList();

        var contour = ProxyContour.Compute(c, 1 - options.ContourMomentum);
        progress?.Report(1.0);

        var all = curves.SelectMany(cv => cv.Solutions).ToList();
        double proxyGap = all.Max(s => s.ProxyGap);
        double argGap = all.Where(s => s.ClosedFormExact && !s.Conditions.HasFlag(SolutionConditions.FlatRidge))
            .Select(s => s.ArgumentGap).DefaultIfEmpty(0).Max();
        return new VerificationReport(options, curves, checks, ridge, contour, proxyGap, argGap);
    }

    /// <param name="MinTokens">Smallest budget the curve exists at (one iteration of a fixed batch).</param>
    private sealed record CurveSpec(
        string Name, TuningRegime Regime, string Label, Func<double, ScalingProblem> Problem, double Floor,
        double RidgeExponent = 0, double MinTokens = 0);

    private static IEnumerable<CurveSpec> CurveSpecs(VerificationOptions o)
    {
        var c = o.Constants;
        yield return new("joint", TuningRegime.Joint, "joint (eta, beta, b tuned)", t => new(TuningRegime.Joint, t), 0);
        foreach (double beta in o.FixedMomentumBetas)
            yield return new(Invariant($"fixed-momentum(beta={beta:G4})"), TuningRegime.FixedMomentum, Invariant($"Theorem 1, beta = {beta:G4} (eta, b tuned)"),
                t => new(TuningRegime.FixedMomentum, t) { Alpha = 1 - beta }, 0);
        yield return new(Invariant($"fixed-batch(b={o.FixedBatch:G6})"), TuningRegime.FixedBatch, Invariant($"Theorem 2, b = {o.FixedBatch:G6} (eta, beta tuned)"),
            t => new(TuningRegime.FixedBatch, t) { Batch = o.FixedBatch }, 0, MinTokens: o.FixedBatch);
        double aA = 1 - o.LrOnlyMomentum;
        yield return new(Invariant($"lr-only(b={o.LrOnlyBatch:G6},beta={o.LrOnlyMomentum:G4})"), TuningRegime.LrOnly, Invariant($"LR only, b = {o.LrOnlyBatch:G6}, beta = {o.LrOnlyMomentum:G4}"),
            t => new(TuningRegime.LrOnly, t) { Batch = o.LrOnlyBatch, Alpha = aA }, c.C3 * c.Cc * Math.Sqrt(aA / o.LrOnlyBatch),
            MinTokens: o.LrOnlyBatch);
        double aL = 1 - o.FixedLearningRateMomentum;
        yield return new(Invariant($"fixed-lr(eta={o.FixedLearningRate:G4},beta={o.FixedLearningRateMomentum:G4})"), TuningRegime.FixedLearningRate,
            Invariant($"fixed LR, eta = {o.FixedLearningRate:G4} (b tuned)"),
            t => new(TuningRegime.FixedLearningRate, t) { LearningRate = o.FixedLearningRate, Alpha = aL },
            c.C2 * o.FixedLearningRate * (c.Ca / aL + c.Cb));
        foreach (double r in o.RidgeExponents)
            yield return new(Invariant($"ridge(c={r:0.####})"), TuningRegime.Ridge, Invariant($"ridge path b ~ T^{r:0.###}"),
                t => new(TuningRegime.Ridge, t) { RidgeExponent = r }, 0, r);
    }

    private static IEnumerable<ExponentCheck> Check(RegimeCurve curve, double ridgeExponent, double fitFrom, VerificationOptions o)
    {
        var theory = ScalingExponents.For(curve.Regime, ridgeExponent);
        var window = curve.Solutions
            .Where(s => s.Problem.Tokens >= fitFrom * (1 - 1e-12)
                        && (s.Conditions & ~(SolutionConditions.BatchRounded | SolutionConditions.FlatRidge)) == SolutionConditions.None)
            .ToList();
        if (window.Count < 3) yield break;
        bool flat = window.Any(s => s.Conditions.HasFlag(SolutionConditions.FlatRidge));

        var quantities = new List<(string Name, double Theory, Func<HyperparameterPoint, double> Get)>();
        bool tunesBatch = curve.Regime is TuningRegime.FixedMomentum or TuningRegime.Joint or TuningRegime.FixedLearningRate
                          || (curve.Regime == TuningRegime.Ridge && ridgeExponent > 0);
        bool tunesAlpha = curve.Regime is TuningRegime.FixedBatch or TuningRegime.Joint or TuningRegime.Ridge;
        bool tunesEta = curve.Regime != TuningRegime.FixedLearningRate;
        if (!flat)
        {
            if (tunesBatch) quantities.Add(("batch", theory.Batch, p => p.BatchSize));
            if (tunesAlpha) quantities.Add(("alpha", theory.Alpha, p => p.Alpha));
            if (tunesEta) quantities.Add(("eta", theory.LearningRate, p => p.LearningRate));
        }
        quantities.Add(("proxy", theory.Proxy, p => p.Proxy - curve.ProxyFloor));

        double[] t = window.Select(s => s.Problem.Tokens).ToArray();
        foreach (var (name, th, get) in quantities)
        {
            double cf = PowerLawFit.Fit(t, window.Select(s => get(s.ClosedForm)).ToArray()).Exponent;
            double nu = PowerLawFit.Fit(t, window.Select(s => get(s.Numerical)).ToArray()).Exponent;
            bool pass = Math.Abs(cf - th) <= o.ExponentTolerance && Math.Abs(nu - th) <= o.ExponentTolerance;
            yield return new ExponentCheck(curve.Name, name, th, cf, nu, t[0], t[^1], t.Length, pass);
        }
    }
}
