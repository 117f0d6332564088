namespace HyperLaws.Numerics;

/// <summary>
/// Bounded one-dimensional minimisation by Brent's method: golden-section steps safeguarded by
/// parabolic interpolation (R. P. Brent, "Algorithms for Minimization without Derivatives", 1973,
/// ch. 5; the netlib routine <c>fmin</c> of Forsythe, Malcolm and Moler). For a unimodal function on
/// [a, b] it finds the minimiser to within <c>tol = relTol |x| + absTol</c>.
/// </summary>
/// <remarks>
/// Because an interior search can only approach an end of the interval, both ends are evaluated
/// as well and the best of the three points is returned; that snaps active constraints
/// (batch size 1, alpha = 1) to the exact bound.
/// </remarks>
public static class BrentMinimizer
{
    private static readonly double GoldenStep = 0.5 * (3.0 - Math.Sqrt(5.0));

    /// <summary>
    /// The minimiser of <paramref name="f"/> on [<paramref name="lower"/>, <paramref name="upper"/>], stopping when the
    /// bracket is within relTol |x| + absTol or after <paramref name="maxIterations"/> iterations.
    /// </summary>
    public static Minimum1D Minimize(
        Func<double, double> f, double lower, double upper,
        double relTol = 1e-10, double absTol = 1e-12, int maxIterations = 500)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (!(lower <= upper) || double.IsNaN(lower) || double.IsNaN(upper))
            throw new ArgumentException($"Invalid interval [{lower}, {upper}].");
        if (lower == upper)
        {
            return new Minimum1D(lower, f(lower), 1, true, true);
        }

        double a = lower, b = upper;
        double v = a + GoldenStep * (b - a), w = v, x = v;
        double fx = f(x), fv = fx, fw = fx;
        double d = 0.0, e = 0.0;
        int evaluations = 1;
        bool converged = false;

        for (int iter = 0; iter < maxIterations; iter++)
        {
            double xm = 0.5 * (a + b);
            double tol1 = relTol * Math.Abs(x) + absTol;
            double tol2 = 2.0 * tol1;
            if (Math.Abs(x - xm) <= tol2 - 0.5 * (b - a))
            {
                converged = true;
                break;
            }

            bool golden = true;
            if (Math.Abs(e) > tol1)
            {
                // Parabola through (v, fv), (w, fw), (x, fx).
                double r = (x - w) * (fx - fv);
                double q = (x - v) * (fx - fw);
                double p = (x - v) * q - (x - w) * r;
                q = 2.0 * (q - r);
                if (q > 0.0) p = -p; else q = -q;
                double eTemp = e;
                e = d;
                if (Math.Abs(p) < Math.Abs(0.5 * q * eTemp) && p > q * (a - x) && p < q * (b - x))
                {
                    d = p / q;
                    double u0 = x + d;
                    if (u0 - a < tol2 || b - u0 < tol2) d = xm >= x ? tol1 : -tol1;
                    golden = false;
                }
            }
            if (golden)
            {
                e = x >= xm ? a - x : b - x;
                d = GoldenStep * e;
            }

            double u = Math.Abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
            double fu = f(u);
            evaluations++;

            if (fu <= fx)
            {
                if (u >= x) a = x; else b = x;
                v = w; fv = fw;
                w = x; fw = fx;
                x = u; fx = fu;
            }
            else
            {
                if (u < x) a = u; else b = u;
                if (fu <= fw || w == x)
                {
                    v = w; fv = fw;
                    w = u; fw = fu;
                }
                else if (fu <= fv || v == x || v == w)
                {
                    v = u; fv = fu;
                }
            }
        }

        // Snap to an end of the interval when it is at least as good (active constraint).
        double fLower = f(lower), fUpper = f(upper);
        evaluations += 2;
        if (fLower <= fx && fLower <= fUpper) return new Minimum1D(lower, fLower, evaluations, converged, true);
        if (fUpper <= fx) return new Minimum1D(upper, fUpper, evaluations, converged, true);
        return new Minimum1D(x, fx, evaluations, converged, false);
    }
}
