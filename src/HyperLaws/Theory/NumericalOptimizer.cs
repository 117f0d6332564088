using HyperLaws.Numerics;

namespace HyperLaws.Theory;

/// <summary>
/// Minimises the proxy numerically, independently of <see cref="ClosedForms"/>, to check it:
/// bounded Brent searches in log space (x = ln alpha in [ln 1e-20, 0], y = ln b in [0, ln b_max]),
/// eta eliminated in closed form except in regime A, where eta is the one variable and is searched
/// in [1e-30, 1e6]. The eta-optimal proxy is jointly convex in (x, y) (see <see cref="LmoProxy"/>), so
/// the nested search (outer y, inner x) finds the global optimum. Whole batches: the better of the
/// two integers around the continuous optimum, which is exact because the outer function is unimodal.
/// </summary>
public sealed class NumericalOptimizer
{
    private const double LnAlphaMin = -46.0; // alpha >= 1e-20
    private const double LnEtaMin = -69.0, LnEtaMax = 13.8; // eta in [1e-30, 1e6]
    private readonly LmoProxy _proxy;
    private readonly double _relTol;
    private int _evaluations;
    private bool _converged;

    public NumericalOptimizer(LmoProxy proxy, double relativeTolerance = 1e-10)
    {
        _proxy = proxy ?? throw new ArgumentNullException(nameof(proxy));
        _relTol = relativeTolerance;
    }

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
            TuningRegime.FixedLearningRate => OverBatch(problem, b => Fixed(problem.LearningRate!.Value, problem.Alpha!.Value, b, T)),
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };
        return new NumericalOptimum(point, _evaluations, _converged);
    }

    private HyperparameterPoint LrOnly(double alpha, double batch, double tokens)
    {
        var m = Min(x => _proxy.Evaluate(Math.Exp(x), alpha, batch, tokens), LnEtaMin, LnEtaMax);
        return new HyperparameterPoint(Math.Exp(m.X), alpha, batch, tokens, m.Value);
    }

    private HyperparameterPoint AtBestEta(double alpha, double batch, double tokens) =>
        HyperparameterPoint.WithOptimalLearningRate(_proxy, alpha, batch, tokens);

    private HyperparameterPoint Fixed(double eta, double alpha, double batch, double tokens) =>
        new(eta, alpha, batch, tokens, _proxy.Evaluate(eta, alpha, batch, tokens));

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
