namespace HyperLaws.Theory.Verification;

/// <summary>
/// The best proxy over (batch size, iterations) at fixed alpha with eta tuned, as in the paper's
/// contour figure: Z[k, j] = min over eta of P(eta, alpha, b_j; T = K_k b_j)
/// = 2 sqrt(C1 C2 (ca/alpha + cb)/K) + C3 cc sqrt(alpha/b) + C3 cd / (alpha K sqrt(b)).
/// <see cref="OptimalPathBatch"/>/<see cref="OptimalPathIterations"/> trace Theorem 1's optimum b*(T), K = T/b*.
/// </summary>
public sealed record ProxyContour(
    double Alpha, double[] Batches, double[] Iterations, double[,] Proxy,
    double[] OptimalPathBatch, double[] OptimalPathIterations)
{
    /// <summary>Evaluates the contour on a log-spaced grid of <paramref name="points"/> batches and iterations, and traces Theorem 1's optimal path.</summary>
    /// <param name="constants">The proxy's constants.</param>
    /// <param name="alpha">The fixed alpha = 1 - beta.</param>
    public static ProxyContour Compute(
        ProxyConstants constants, double alpha,
        double minBatch = 1, double maxBatch = 1e6, double minIterations = 10, double maxIterations = 1e9, int points = 61)
    {
        var proxy = new LmoProxy(constants);
        double[] b = LogSpace(minBatch, maxBatch, points);
        double[] k = LogSpace(minIterations, maxIterations, points);
        var z = new double[k.Length, b.Length];
        for (int i = 0; i < k.Length; i++)
            for (int j = 0; j < b.Length; j++)
                z[i, j] = proxy.EvaluateAtOptimalLearningRate(alpha, b[j], k[i] * b[j]);

        // Theorem 1's path over the budgets the grid spans, kept where it lies inside the grid.
        var pathB = new List<double>();
        var pathK = new List<double>();
        foreach (double t in LogSpace(minBatch * minIterations, maxBatch * maxIterations, 4 * points))
        {
            var cf = ClosedForms.FixedMomentum(proxy, alpha, new ScalingProblem(TuningRegime.FixedMomentum, t) { Alpha = alpha });
            double kk = t / cf.Point.BatchSize;
            if (cf.Point.BatchSize <= maxBatch && kk >= minIterations && kk <= maxIterations)
            {
                pathB.Add(cf.Point.BatchSize);
                pathK.Add(kk);
            }
        }
        return new ProxyContour(alpha, b, k, z, pathB.ToArray(), pathK.ToArray());
    }

    private static double[] LogSpace(double lo, double hi, int n)
    {
        double a = Math.Log10(lo), c = Math.Log10(hi);
        return Enumerable.Range(0, n).Select(i => Math.Pow(10, a + (c - a) * i / (n - 1))).ToArray();
    }
}
