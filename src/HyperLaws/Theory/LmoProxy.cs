namespace HyperLaws.Theory;

/// <summary>
/// The performance proxy of Shulgin et al. 2026 (arXiv 2603.15958): a convergence bound on the
/// expected dual gradient norm of LMO optimizers with momentum, after K = T/b iterations,
/// <code>
/// P(eta, alpha, b; T) = C1 b/(eta T)                   descent (initial gap)
///                     + C2 eta (ca/alpha + cb)         momentum lag + smoothness
///                     + C3 cc sqrt(alpha/b)            momentum-averaged noise
///                     + C3 cd sqrt(b)/(alpha T)        transient of the initial momentum error
/// </code>
/// with alpha = 1 - beta. Term structure per ../shared/docs/lmo-scaling.md ([derived]).
/// </summary>
/// <remarks>
/// Eliminating eta: min over eta of A/eta + B eta is 2 sqrt(AB) at eta = sqrt(A/B), with
/// A = C1 b/T and B = C2 (ca/alpha + cb). In x = ln alpha, y = ln b every remaining term is a
/// square root of a sum of exponentials of linear forms (log-sum-exp is convex, and so is half
/// of it exponentiated), hence P_eta*(alpha, b) is jointly convex in (ln alpha, ln b). Nested 1-D
/// searches in log space therefore find the global optimum of every regime.
/// </remarks>
public sealed class LmoProxy
{
    /// <summary>The proxy with the given constants.</summary>
    /// <exception cref="ArgumentException">A constant out of range (<see cref="ProxyConstants.Validate"/>).</exception>
    public LmoProxy(ProxyConstants constants)
    {
        ArgumentNullException.ThrowIfNull(constants);
        constants.Validate();
        Constants = constants;
    }

    /// <summary>The constants C1..C3 and ca..cd.</summary>
    public ProxyConstants Constants { get; }

    /// <summary>P(eta, alpha, b; T) as written above.</summary>
    public double Evaluate(double eta, double alpha, double batch, double tokens) =>
        DescentTerm(eta, batch, tokens) + LagTerm(eta, alpha) + NoiseTerms(alpha, batch, tokens);

    /// <summary>C1 b/(eta T): the descent term.</summary>
    public double DescentTerm(double eta, double batch, double tokens) => Constants.C1 * batch / (eta * tokens);

    /// <summary>C2 eta (ca/alpha + cb): momentum lag and smoothness.</summary>
    public double LagTerm(double eta, double alpha) => Constants.C2 * eta * (Constants.Ca / alpha + Constants.Cb);

    /// <summary>C3 cc sqrt(alpha/b) + C3 cd sqrt(b)/(alpha T): noise and momentum transient (no eta).</summary>
    public double NoiseTerms(double alpha, double batch, double tokens)
    {
        var c = Constants;
        return c.C3 * c.Cc * Math.Sqrt(alpha / batch) + c.C3 * c.Cd * Math.Sqrt(batch) / (alpha * tokens);
    }

    /// <summary>eta*(alpha, b) = sqrt(C1 b / (T C2 (ca/alpha + cb))), exact for any alpha, b.</summary>
    public double OptimalLearningRate(double alpha, double batch, double tokens)
    {
        var c = Constants;
        return Math.Sqrt(c.C1 * batch / (tokens * c.C2 * (c.Ca / alpha + c.Cb)));
    }

    /// <summary>min over eta of P: 2 sqrt(C1 C2 b (ca/alpha + cb)/T) + noise + transient.</summary>
    public double EvaluateAtOptimalLearningRate(double alpha, double batch, double tokens)
    {
        var c = Constants;
        return 2 * Math.Sqrt(c.C1 * c.C2 * batch * (c.Ca / alpha + c.Cb) / tokens) + NoiseTerms(alpha, batch, tokens);
    }

    /// <summary>
    /// Critical ratio u*(T) = cc C3 sqrt(T) / (2 sqrt(ca C1 C2)): on the leading-order ridge the
    /// optimum satisfies b/alpha = u*(T).
    /// </summary>
    public double CriticalRatio(double tokens)
    {
        var c = Constants;
        return c.Cc * c.C3 * Math.Sqrt(tokens) / (2 * Math.Sqrt(c.Ca * c.C1 * c.C2));
    }

    /// <summary>
    /// The T^(-1/4) optimum of the large-horizon proxy (Theorems 1-2):
    /// 2 sqrt(2 cc C3) (ca C1 C2)^(1/4) T^(-1/4).
    /// </summary>
    public double LargeHorizonOptimum(double tokens)
    {
        var c = Constants;
        return 2 * Math.Sqrt(2 * c.Cc * c.C3) * Math.Pow(c.Ca * c.C1 * c.C2, 0.25) * Math.Pow(tokens, -0.25);
    }

    /// <summary>
    /// Budget below which Theorem 1's optimal batch is 1 (burn-in), from the large-horizon form
    /// alpha u*(T) = 1: T_burn = (2 sqrt(ca C1 C2) / (cc C3 alpha))^2.
    /// </summary>
    public double BurnInTokens(double alpha)
    {
        var c = Constants;
        double root = 2 * Math.Sqrt(c.Ca * c.C1 * c.C2) / (c.Cc * c.C3 * alpha);
        return root * root;
    }

    /// <summary>Budget at which a fixed batch b reaches the critical ratio (b = u*(T)); Theorem 2 holds above it.</summary>
    public double FixedBatchValidityTokens(double batch) => BurnInTokens(1.0 / batch);
}
