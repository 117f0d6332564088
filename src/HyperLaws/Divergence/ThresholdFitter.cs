using HyperLaws.Numerics;

namespace HyperLaws.Divergence;

/// <summary>
/// Fits the threshold rule of the area criterion to labelled runs by maximum likelihood of
/// P(diverge) = sigmoid(k z), z = ln R clamped to [-10, 10] (R = 0 gives -10), over (A, B, C, [D], ln k),
/// with a weak ridge 1e-3 (B^2 + C^2 + D^2) so that a direction the data do not constrain stays at 0.
/// There is no intercept: the decision boundary stays at R = 1, as in Opt-Laws. D (warmup) is fitted only
/// when asked: the Step Law grid has one warmup length, so its effect there enters only through the
/// schedule's geometry (warmup steps below eta_L add to S1). Deterministic: a grid over A, then Nelder-Mead.
/// </summary>
public static class ThresholdFitter
{
    /// <summary>Fits the threshold rule by maximum likelihood (see the type's remarks).</summary>
    /// <param name="examples">Labelled runs, both diverged and stable ones.</param>
    /// <param name="fitWarmup">Whether to fit the warmup exponent D (else 0).</param>
    public static ThresholdRule Fit(IReadOnlyList<DivergenceExample> examples, bool fitWarmup = false)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("no labelled runs to fit.");
        if (!examples.Any(e => e.Diverged) || examples.All(e => e.Diverged))
            throw new ArgumentException($"the {examples.Count} labelled runs need both diverged and non-diverged examples to fit a threshold.");
        ThresholdRule Rule(double[] p) => new(p[0], p[1], p[2], fitWarmup ? p[4] : 0, Math.Exp(p[3]));
        double Objective(double[] p)
        {
            var rule = Rule(p);
            double k = rule.Slope, nll = 0;
            foreach (var x in examples)
            {
                double z = LogisticClassifier.ClampedLnR(rule, x);
                double m = x.Diverged ? -k * z : k * z; // -log sigmoid(s) = log(1 + e^-s), s = +-k z
                nll += m > 0 ? m + double.LogP1(Math.Exp(-m)) : double.LogP1(Math.Exp(m));
            }
            return nll / examples.Count + 1e-3 * (p[1] * p[1] + p[2] * p[2] + (fitWarmup ? p[4] * p[4] : 0));
        }
        // Start: the best A on a grid from eta_L = 1e-5 to 1, k = 2.
        double[] best = [0, 0, 0, Math.Log(2), 0];
        double bestValue = double.PositiveInfinity;
        for (double a = Math.Log(1e-5); a <= 0; a += 0.1)
        {
            double[] p = [a, 0, 0, Math.Log(2), 0];
            double v = Objective(p);
            if (v < bestValue) { bestValue = v; best = p; }
        }
        int dims = fitWarmup ? 5 : 4;
        double[] start = best[..dims];
        double[] steps = dims == 5 ? [0.3, 0.2, 0.2, 0.5, 0.2] : [0.3, 0.2, 0.2, 0.5];
        Func<double[], double> f = p => Objective(dims == 5 ? p : [.. p, 0]);
        var r = NelderMead.Minimize(f, start, steps, 1e-10, 3000);
        r = NelderMead.Minimize(f, r.X, steps.Select(s => s / 4).ToArray(), 1e-12, 3000); // restart to escape a collapsed simplex
        return Rule(dims == 5 ? r.X : [.. r.X, 0]);
    }
}
