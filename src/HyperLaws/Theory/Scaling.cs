using static System.FormattableString;

namespace HyperLaws.Theory;

/// <summary>
/// Entry point of the LMO scaling-law engine: solves a regime in closed form and numerically and
/// explains the result. <c>Scaling.Solve(new ScalingProblem(TuningRegime.Joint, 1e10))</c>.
/// </summary>
public static class Scaling
{
    /// <summary>Relative proxy gap above which a leading-order closed form earns a warning.</summary>
    public const double LeadingOrderWarningGap = 0.01;

    /// <summary>Solves <paramref name="problem"/> in closed form and numerically, compares them and states the conditions and warnings that qualify the result.</summary>
    /// <param name="problem">The regime, budget and fixed variables.</param>
    /// <param name="constants">The proxy's constants (default <see cref="ProxyConstants.Unit"/>).</param>
    public static ScalingSolution Solve(ScalingProblem problem, ProxyConstants? constants = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var proxy = new LmoProxy(constants ?? ProxyConstants.Unit);
        problem.Validate();
        var closed = ClosedForms.Solve(proxy, problem);
        var numerical = new NumericalOptimizer(proxy).Solve(problem);
        var warnings = Explain(proxy, problem, closed, numerical);
        bool valid = !closed.Conditions.HasFlag(SolutionConditions.AlphaClipped);
        return new ScalingSolution(problem, proxy.Constants, closed.Point, closed.Exact, numerical.Point,
            numerical.Evaluations, closed.Conditions, valid, warnings);
    }

    private static List<string> Explain(LmoProxy proxy, ScalingProblem problem, ClosedFormOptimum closed, NumericalOptimum numerical)
    {
        var w = new List<string>();
        var c = closed.Conditions;
        double T = problem.Tokens;
        double u = proxy.CriticalRatio(T);
        switch (problem.Regime)
        {
            case TuningRegime.LrOnly:
                w.Add(Invariant($"tuning the LR alone leaves a noise floor C3*cc*sqrt(alpha/b) = {proxy.Constants.C3 * proxy.Constants.Cc * Math.Sqrt(problem.Alpha!.Value / problem.Batch!.Value):G4}: grow the batch or the momentum averaging to reach T^-1/4"));
                break;
            case TuningRegime.FixedMomentum when c.HasFlag(SolutionConditions.BurnIn):
                w.Add(Invariant($"burn-in: the optimal batch is 1 below T_burn ~ {proxy.BurnInTokens(problem.Alpha!.Value):G4}; here eta* ~ T^-1/2, and b* ~ T^1/2 only applies beyond it"));
                break;
            case TuningRegime.FixedBatch when c.HasFlag(SolutionConditions.AlphaClipped):
            case TuningRegime.Ridge when c.HasFlag(SolutionConditions.AlphaClipped):
                w.Add(Invariant($"batch {closed.Point.BatchSize:G6} exceeds the critical ratio u*(T) = {u:G4}: alpha clips at 1 (no momentum) and Theorem 2's scaling does not apply below T = {proxy.FixedBatchValidityTokens(closed.Point.BatchSize):G4}"));
                break;
            case TuningRegime.Joint:
                if (c.HasFlag(SolutionConditions.FlatRidge))
                    w.Add(Invariant($"large-horizon proxy: a flat ridge b/alpha = u*(T) = {u:G4}; every b in [1, {Math.Min(u, problem.BatchUpperBound):G4}] with alpha = b/u* is optimal. Reported: b = sqrt(u*) (the path b ~ T^1/4)"));
                if (c.HasFlag(SolutionConditions.BurnIn))
                    w.Add("burn-in: the jointly optimal batch is below 1, so b = 1 and momentum is tuned (Theorem 2 at b = 1)");
                if (c.HasFlag(SolutionConditions.AlphaClipped))
                    w.Add("the optimal alpha reaches 1 (no momentum): Theorem 3's scaling does not apply at this budget");
                break;
        }
        if (c.HasFlag(SolutionConditions.BatchCapped))
            w.Add(Invariant($"the batch limit {problem.BatchUpperBound:G6} is active{(problem.Regime == TuningRegime.Joint ? ": momentum is tuned instead (Corollary 1)" : "")}"));
        if (!closed.Exact && closed.Point.RelativeProxyGap(numerical.Point) > LeadingOrderWarningGap)
            w.Add(Invariant($"the closed form is leading order for this proxy: its proxy is {100 * closed.Point.RelativeProxyGap(numerical.Point):F2}% above the numerical optimum; use the numerical point"));
        if (!numerical.Converged)
            w.Add("the numerical search hit its iteration cap; its optimum may be imprecise");
        return w;
    }
}
