namespace HyperLaws.Numerics;

/// <summary>
/// Least-squares fit of y = prefactor * x^exponent, i.e. a straight line ln y = ln c + k ln x.
/// Used to read scaling exponents off a sweep of optima.
/// </summary>
/// <param name="Exponent">Fitted slope k in log-log space.</param>
/// <param name="Prefactor">Fitted c.</param>
/// <param name="ExponentStandardError">Standard error of k from the residual variance (0 for two points).</param>
/// <param name="RSquared">Coefficient of determination in log space.</param>
/// <param name="Points">Number of points used.</param>
public sealed record PowerLawFit(double Exponent, double Prefactor, double ExponentStandardError, double RSquared, int Points)
{
    /// <summary>Fits the points with finite, positive x and y; needs at least two distinct x.</summary>
    public static PowerLawFit Fit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException("x and y differ in length.");

        var lx = new List<double>(x.Count);
        var ly = new List<double>(x.Count);
        for (int i = 0; i < x.Count; i++)
        {
            if (x[i] > 0 && y[i] > 0 && double.IsFinite(x[i]) && double.IsFinite(y[i]))
            {
                lx.Add(Math.Log(x[i]));
                ly.Add(Math.Log(y[i]));
            }
        }
        int n = lx.Count;
        if (n < 2) throw new ArgumentException("A power-law fit needs at least two positive points.");

        double mx = lx.Average(), my = ly.Average();
        double sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = lx[i] - mx, dy = ly[i] - my;
            sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
        }
        if (sxx == 0) throw new ArgumentException("A power-law fit needs at least two distinct x.");

        double k = sxy / sxx;
        double intercept = my - k * mx;
        double sse = Math.Max(0, syy - k * sxy);
        double r2 = syy == 0 ? 1.0 : 1.0 - sse / syy;
        double se = n > 2 ? Math.Sqrt(sse / (n - 2) / sxx) : 0.0;
        return new PowerLawFit(k, Math.Exp(intercept), se, r2, n);
    }
}
