using HyperLaws.Numerics;

namespace HyperLaws.Theory;

/// <summary>
/// Minimises the proxy numerically, independently of <see cref="ClosedForms"/>, to check it:
/// bounded Brent searches in log space (x = ln alpha in [ln 1e-20, 0], y = ln b in [0, ln b_max]),
/// eta eliminated in closed form except in regime A, where eta is the one variable and is searched
/// in [1e-30, 1e6]. The eta-optimal proxy is jointly convex in (x, y) (see <see cref="LmoProxy"/>), so
/// the nested search (outer y, inner x) finds the global optimum. Whole batches: the better of the
/// two integers around the continuous optimum, which is exact because the outer function is unimodal.
/// Terms that do not depend on the searched variable are left out of the objective: a large constant
/// (the noise floor) would flatten it in floating point and blur the argmin.
/// </summary>
public sealed class NumericalOptimizer
{
    private const double LnAlphaMin = -46.0; // alpha >= 1e-20
    private const double LnEtaMin = -69.0, LnEtaMax = 13.8; // eta in [1e-30, 1e6]
    private readonly LmoProxy _proxy;
    private readonly double _relTol;
    private int _evaluations;
    private bool _converged;

    /// <summary>An optimizer of <paramref name="proxy"/>; <paramref name="relativeTolerance"/> is the Brent searches' relative tolerance in log space.</summary>
    public NumericalOptimizer(LmoProxy proxy, double relativeTolerance = 1e-10)
    {
        _proxy = proxy ?? throw new ArgumentNullException(nameof(proxy));
        _relTol = relativeTolerance;
    }

    /// <summary>The numerical optimum of <paramref name="problem"/> (see the type's remarks), with the evaluation count and whether every search converged.</summary>
    public NumericalOptimum Solve(ScalingProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        problem.Validate();
        _evaluations = 0;
        _converged = true;
        double T = problem.Tokens;
        HyperparameterPoint point = problem.Regime switch
        {
            TuningRegime.LrOnly => LrOnly(problem.Alpha!.Value, problem.Batch!.Value, T),
            TuningRegime.FixedMomentum => OverBatch(problem, b => AtBestEta(problem.Alpha!.Value, b, T)),
            TuningRegime.FixedBatch => BestAlpha(problem.Batch!.Value, T),
            TuningRegime.Joint => OverBatch(problem, b => BestAlpha(b, T)),
            TuningRegime.Ridge => BestAlpha(ClosedForms.Ridge(_proxy, problem.RidgeExponent!.Value, problem).Point.BatchSize, T),
            TuningRegime.FixedLearningRate => FixedLearningRate(problem),
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };
        return new NumericalOptimum(point, _evaluations, _converged);
    }

    private HyperparameterPoint LrOnly(double alpha, double batch, double tokens)
    {
        var m = Min(x => _proxy.DescentTerm(Math.Exp(x), batch, tokens) + _proxy.LagTerm(Math.Exp(x), alpha), LnEtaMin, LnEtaMax);
        double eta = Math.Exp(m.X);
        return new HyperparameterPoint(eta, alpha, batch, tokens, _proxy.Evaluate(eta, alpha, batch, tokens));
    }

    private HyperparameterPoint AtBestEta(double alpha, double batch, double tokens) =>
        HyperparameterPoint.WithOptimalLearningRate(_proxy, alpha, batch, tokens);

    /// <summary>Best b at fixed eta and alpha; the lag term C2 eta (ca/alpha + cb) is constant in b and left out.</summary>
    private HyperparameterPoint FixedLearningRate(ScalingProblem problem)
    {
        double eta = problem.LearningRate!.Value, alpha = problem.Alpha!.Value, T = problem.Tokens;
        var best = OverBatch(problem, b => new(eta, alpha, b, T, _proxy.DescentTerm(eta, b, T) + _proxy.NoiseTerms(alpha, b, T)));
        return best with { Proxy = _proxy.Evaluate(eta, alpha, best.BatchSize, T) };
    }

    /// <summary>Theorem 2's inner problem: best alpha in (0, 1] at fixed b, eta eliminated.</summary>
    private HyperparameterPoint BestAlpha(double batch, double tokens)
    {
        var m = Min(x => _proxy.EvaluateAtOptimalLearningRate(Math.Exp(x), batch, tokens), LnAlphaMin, 0.0);
        return AtBestEta(Math.Exp(m.X), batch, tokens);
    }

    /// <summary>Outer search over ln b in [0, ln b_max] of an inner optimum at each b.</summary>
    private HyperparameterPoint OverBatch(ScalingProblem problem, Func<double, HyperparameterPoint> atBatch)
    {
        double upper = problem.BatchUpperBound;
        var m = Min(y => atBatch(Math.Exp(y)).Proxy, 0.0, Math.Log(upper));
        double b = m.AtBound && m.X == 0.0 ? 1.0 : Math.Exp(m.X);
        if (m.AtBound && m.X > 0) b = upper;
        var best = atBatch(b);
        if (problem.IntegerBatch && b != Math.Floor(b))
        {
            double lo = Math.Max(1, Math.Floor(b));
            double hi = Math.Min(Math.Ceiling(b), Math.Floor(upper));
            best = atBatch(lo);
            if (hi > lo)
            {
                var other = atBatch(hi);
                if (other.Proxy < best.Proxy) best = other;
            }
        }
        return best;
    }

    private Minimum1D Min(Func<double, double> f, double lo, double hi)
    {
        var m = BrentMinimizer.Minimize(f, lo, hi, _relTol, 1e-12);
        _evaluations += m.Evaluations;
        _converged &= m.Converged;
        return m;
    }
}
