namespace HyperLaws.Divergence;

/// <summary>
/// Logistic regression P(y) = sigmoid(w0 + sum_j w_j (f_j - mean_j)/scale_j) on given features (the
/// divergence boundary's fit, <see cref="CriticalLrFitter"/>),
/// fitted by Newton's method (IRLS) on the log-likelihood with a ridge penalty lambda/2 |w|^2 on the
/// standardised weights (not the intercept), lambda = <see cref="Ridge"/>; predicts "diverged" when P &gt; 0.5.
/// Its probabilities are the calibration (no separate Platt step: a logistic fit is already Platt-scaled).
/// </summary>
public sealed record LogisticClassifier(double[] Mean, double[] Scale, double Intercept, double[] Weights)
{
    /// <summary>The ridge penalty lambda on the standardised weights, not the intercept (it keeps the weights finite when the classes separate).</summary>
    public const double Ridge = 1e-2;

    /// <summary>The largest |ln R| used by the area criterion's fit (R = 0 for a schedule that never crosses eta_L).</summary>
    public const double LnRClamp = 10;

    /// <summary>Clamped ln R of a run under a threshold rule.</summary>
    public static double ClampedLnR(ThresholdRule rule, DivergenceExample x)
    {
        double r = rule.Ratio(x);
        return r <= 0 ? -LnRClamp : Math.Clamp(Math.Log(r), -LnRClamp, LnRClamp);
    }

    /// <summary>Fits the classifier to labelled feature vectors (deterministic).</summary>
    public static LogisticClassifier Fit(IReadOnlyList<double[]> features, IReadOnlyList<bool> labels)
    {
        int n = features.Count;
        if (n == 0 || n != labels.Count) throw new ArgumentException("need as many labels as feature vectors, and at least one.");
        int p = features[0].Length;
        var mean = new double[p];
        var scale = new double[p];
        for (int j = 0; j < p; j++)
        {
            mean[j] = features.Average(f => f[j]);
            double sd = Math.Sqrt(features.Average(f => (f[j] - mean[j]) * (f[j] - mean[j])));
            scale[j] = sd > 1e-12 ? sd : 1; // a constant feature keeps weight ~0 under the ridge
        }
        var x = new double[n][];
        for (int i = 0; i < n; i++)
        {
            x[i] = new double[p + 1];
            x[i][0] = 1;
            for (int j = 0; j < p; j++) x[i][j + 1] = (features[i][j] - mean[j]) / scale[j];
        }
        var w = new double[p + 1];
        for (int iter = 0; iter < 100; iter++)
        {
            var g = new double[p + 1];
            var h = new double[p + 1, p + 1];
            for (int i = 0; i < n; i++)
            {
                double z = 0;
                for (int j = 0; j <= p; j++) z += w[j] * x[i][j];
                double mu = 1 / (1 + Math.Exp(-z));
                double r = (labels[i] ? 1 : 0) - mu, v = Math.Max(mu * (1 - mu), 1e-12);
                for (int j = 0; j <= p; j++)
                {
                    g[j] += r * x[i][j];
                    for (int k = 0; k <= j; k++) h[j, k] += v * x[i][j] * x[i][k];
                }
            }
            for (int j = 1; j <= p; j++) { g[j] -= Ridge * w[j]; h[j, j] += Ridge; }
            h[0, 0] += 1e-9;
            for (int j = 0; j <= p; j++)
                for (int k = j + 1; k <= p; k++) h[j, k] = h[k, j];
            var step = Solve(h, g);
            double maxStep = 0;
            for (int j = 0; j <= p; j++) { w[j] += step[j]; maxStep = Math.Max(maxStep, Math.Abs(step[j])); }
            if (maxStep < 1e-10) break;
        }
        return new LogisticClassifier(mean, scale, w[0], w[1..]);
    }

    // Gaussian elimination with partial pivoting (the system is small and positive definite).
    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var y = (double[])b.Clone();
        for (int c = 0; c < n; c++)
        {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[piv, c])) piv = r;
            if (piv != c)
            {
                for (int k = 0; k < n; k++) (m[c, k], m[piv, k]) = (m[piv, k], m[c, k]);
                (y[c], y[piv]) = (y[piv], y[c]);
            }
            for (int r = c + 1; r < n; r++)
            {
                double f = m[r, c] / m[c, c];
                for (int k = c; k < n; k++) m[r, k] -= f * m[c, k];
                y[r] -= f * y[c];
            }
        }
        var xs = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double s = y[r];
            for (int k = r + 1; k < n; k++) s -= m[r, k] * xs[k];
            xs[r] = s / m[r, r];
        }
        return xs;
    }
}
