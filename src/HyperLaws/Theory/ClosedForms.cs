namespace HyperLaws.Theory;

/// <summary>
/// Closed-form optima of the proxy for every regime (../shared/docs/lmo-scaling.md, [derived]; the
/// derivations are in the comments). eta always takes its exact optimum
/// eta*(alpha, b) = sqrt(C1 b / (T C2 (ca/alpha + cb))), so only alpha and b are derived here.
/// </summary>
public static class ClosedForms
{
    /// <summary>The closed-form optimum (eta*, alpha*, b*) of <paramref name="problem"/>'s regime for the proxy's constants.</summary>
    public static ClosedFormOptimum Solve(LmoProxy proxy, ScalingProblem problem)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(problem);
        problem.Validate();
        return problem.Regime switch
        {
            TuningRegime.LrOnly => LrOnly(proxy, problem.Alpha!.Value, problem.Batch!.Value, problem.Tokens),
            TuningRegime.FixedMomentum => FixedMomentum(proxy, problem.Alpha!.Value, problem),
            TuningRegime.FixedBatch => FixedBatch(proxy, problem.Batch!.Value, problem.Tokens),
            TuningRegime.Joint => Joint(proxy, problem),
            TuningRegime.Ridge => Ridge(proxy, problem.RidgeExponent!.Value, problem),
            TuningRegime.FixedLearningRate => FixedLearningRate(proxy, problem.LearningRate!.Value, problem.Alpha!.Value, problem),
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };
    }

    /// <summary>Regime A: eta* = sqrt(C1/(K C2 (ca/alpha + cb))) ~ K^(-1/2), independent of b. Exact.</summary>
    public static ClosedFormOptimum LrOnly(LmoProxy proxy, double alpha, double batch, double tokens) =>
        new(HyperparameterPoint.WithOptimalLearningRate(proxy, alpha, batch, tokens), true, SolutionConditions.None);

    /// <summary>
    /// Theorem 1 (alpha fixed). With s = sqrt(b) the eta-optimal proxy is A s + B/s + const with
    /// A = 2 sqrt(C1 C2 (ca/alpha + cb)/T) + C3 cd/(alpha T) and B = C3 cc sqrt(alpha), so
    /// b* = B/A, exact for the full proxy; with cb = cd = 0 this is b* = alpha u*(T) ~ T^(1/2).
    /// Convex in s, so clamping to [1, upper] is exact; whole batches take the better neighbour.
    /// </summary>
    public static ClosedFormOptimum FixedMomentum(LmoProxy proxy, double alpha, ScalingProblem problem)
    {
        var c = proxy.Constants;
        double T = problem.Tokens;
        double a = 2 * Math.Sqrt(c.C1 * c.C2 * (c.Ca / alpha + c.Cb) / T) + c.C3 * c.Cd / (alpha * T);
        double bStar = c.C3 * c.Cc * Math.Sqrt(alpha) / a;
        var (b, conditions) = ClampBatch(bStar, problem.BatchUpperBound);
        return RoundIfAsked(problem, b, conditions, whole => HyperparameterPoint.WithOptimalLearningRate(proxy, alpha, whole, T), exact: true);
    }

    /// <summary>
    /// Theorem 2 (b fixed): on the large-horizon proxy, with t = sqrt(alpha), the eta-optimal proxy is
    /// A/t + B t, A = 2 sqrt(C1 C2 ca b/T), B = C3 cc/sqrt(b), so alpha* = A/B = b/u*(T) ~ T^(-1/2) and
    /// eta* = sqrt(2) C1^(3/4) (ca C2)^(-1/4) (cc C3)^(-1/2) b^(1/4) K^(-3/4). Valid while b &lt;= u*(T);
    /// beyond it alpha clips at 1. Exact for cb = cd = 0, leading order otherwise.
    /// </summary>
    public static ClosedFormOptimum FixedBatch(LmoProxy proxy, double batch, double tokens)
    {
        double alpha = batch / proxy.CriticalRatio(tokens);
        var conditions = SolutionConditions.None;
        if (alpha > 1)
        {
            alpha = 1;
            conditions |= SolutionConditions.AlphaClipped;
        }
        var point = HyperparameterPoint.WithOptimalLearningRate(proxy, alpha, batch, tokens);
        return new ClosedFormOptimum(point, proxy.Constants.IsLargeHorizon, conditions);
    }

    /// <summary>
    /// Theorem 3 (all tuned). To leading order P depends on u = b/alpha only, minimised at u*(T)
    /// (a flat ridge). The cb and cd terms break the tie: on the ridge they add
    /// Q (cb/ca) alpha + C3 cd sqrt(u*)/(T sqrt(alpha)), Q = sqrt(C1 C2 ca u*/T), minimised at
    /// alpha* = [C3 cd sqrt(ca) / (2 cb sqrt(C1 C2 T))]^(2/3) ~ T^(-1/3), b* = alpha* u* ~ T^(1/6),
    /// eta* ~ T^(-7/12) (unit constants: 2^(-2/3) T^(-1/3), 2^(-5/3) T^(1/6), 2^(-7/6) T^(-7/12)).
    /// Leading order plus first correction, so never exact. Constraints: b* &lt; 1 is burn-in
    /// (Theorem 2 at b = 1); b* above the limit is Corollary 1 (Theorem 2 at the limit);
    /// alpha* &gt; 1 means no momentum (Theorem 1 at alpha = 1).
    /// </summary>
    public static ClosedFormOptimum Joint(LmoProxy proxy, ScalingProblem problem)
    {
        var c = proxy.Constants;
        double T = problem.Tokens;
        double u = proxy.CriticalRatio(T);
        double upper = problem.BatchUpperBound;

        double alpha;
        var conditions = SolutionConditions.None;
        if (c.Cb > 0 && c.Cd > 0)
        {
            alpha = Math.Pow(c.C3 * c.Cd * Math.Sqrt(c.Ca) / (2 * c.Cb * Math.Sqrt(c.C1 * c.C2 * T)), 2.0 / 3.0);
        }
        else if (c.Cb > 0)
        {
            alpha = 1 / u; // only cb: smaller alpha is always better along the ridge -> b = 1
        }
        else if (c.Cd > 0)
        {
            alpha = 1; // only cd: larger alpha is always better -> no momentum
        }
        else
        {
            // Flat ridge: every b in [1, u*] with alpha = b/u* is optimal; report the geometric middle (c = 1/4).
            alpha = Math.Sqrt(u) / u;
            conditions |= SolutionConditions.FlatRidge;
        }

        if (alpha >= 1)
        {
            var atAlphaOne = FixedMomentum(proxy, 1.0, problem);
            return atAlphaOne with { Exact = false, Conditions = atAlphaOne.Conditions | conditions | SolutionConditions.AlphaClipped };
        }

        var (b, clamp) = ClampBatch(alpha * u, upper);
        conditions |= clamp;
        // At any b, Theorem 2's alpha = b/u*; at b = alpha* u* that is alpha* itself.
        return RoundIfAsked(problem, b, conditions, whole => FixedBatch(proxy, whole, T).Point, exact: false);
    }

    /// <summary>
    /// Remark 4 / Corollary 2: the path b_c(T) = u*(T)^(2c) spans the ridge from b = 1 (c = 0) to
    /// b = u* (c = 1/2, alpha = 1); alpha = b/u* ~ T^(c - 1/2), eta ~ b T^(-3/4) ~ T^(c - 3/4).
    /// </summary>
    public static ClosedFormOptimum Ridge(LmoProxy proxy, double exponent, ScalingProblem problem)
    {
        double T = problem.Tokens;
        double u = proxy.CriticalRatio(T);
        var (b, conditions) = ClampBatch(Math.Pow(Math.Max(u, 1.0), 2 * exponent), problem.BatchUpperBound);
        var atB = FixedBatch(proxy, b, T);
        return atB with { Conditions = atB.Conditions | conditions };
    }

    /// <summary>
    /// eta and alpha fixed, b tuned. With s = sqrt(b): dP/ds = 0 is
    /// (2 C1/(eta T)) s^3 + (C3 cd/(alpha T)) s^2 - C3 cc sqrt(alpha) = 0, one positive root
    /// (Cardano). With cd = 0: b* = (C3 cc sqrt(alpha) eta T / (2 C1))^(2/3) ~ T^(2/3), and P tends to
    /// the floor C2 eta (ca/alpha + cb): an untuned LR stalls. Exact.
    /// </summary>
    public static ClosedFormOptimum FixedLearningRate(LmoProxy proxy, double eta, double alpha, ScalingProblem problem)
    {
        var c = proxy.Constants;
        double T = problem.Tokens;
        double s = Numerics.CubicRoot.PositiveRootOfMonotoneCubic(2 * c.C1 / (eta * T), c.C3 * c.Cd / (alpha * T), c.C3 * c.Cc * Math.Sqrt(alpha));
        var (b, conditions) = ClampBatch(s * s, problem.BatchUpperBound);
        return RoundIfAsked(problem, b, conditions,
            whole => new HyperparameterPoint(eta, alpha, whole, T, proxy.Evaluate(eta, alpha, whole, T)), exact: true);
    }

    private static (double Batch, SolutionConditions Conditions) ClampBatch(double b, double upper)
    {
        if (b <= 1) return (1, SolutionConditions.BurnIn);
        if (b >= upper) return (upper, SolutionConditions.BatchCapped);
        return (b, SolutionConditions.None);
    }

    /// <summary>
    /// For whole batches, evaluates the two neighbours of b (each with the other variables re-derived
    /// by <paramref name="at"/>) and keeps the better; the eta-optimal proxy is unimodal in b.
    /// </summary>
    private static ClosedFormOptimum RoundIfAsked(
        ScalingProblem problem, double b, SolutionConditions conditions,
        Func<double, HyperparameterPoint> at, bool exact)
    {
        if (!problem.IntegerBatch || b == Math.Floor(b)) return new ClosedFormOptimum(at(b), exact, conditions);
        double lo = Math.Max(1, Math.Floor(b));
        double hi = Math.Min(Math.Ceiling(b), Math.Floor(problem.BatchUpperBound));
        var best = at(lo);
        if (hi > lo)
        {
            var other = at(hi);
            if (other.Proxy < best.Proxy) best = other;
        }
        return new ClosedFormOptimum(best, exact, conditions | SolutionConditions.BatchRounded);
    }
}
