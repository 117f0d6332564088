namespace HyperLaws.Numerics;

/// <summary>
/// Student's t distribution with an integer number of degrees of freedom: the two-sided probability A(t | nu) = P(|T| &lt;= t) in
/// closed form and its inverse (used by the small-sample fallback of the finite-sample conformal interval, Evaluation.ConformalCalibration.FiniteSampleTails).
/// </summary>
public static class StudentT
{
    /// <summary>
    /// A(t | nu) = P(|T| &lt;= t), T Student-t with nu degrees of freedom (Abramowitz and Stegun 1964, 26.7.3 and 26.7.4), with
    /// theta = atan(t / sqrt(nu)): nu odd, A = (2/pi) (theta + sin theta (cos theta + (2/3) cos^3 theta + ... + (2 4 ... (nu-3)) / (1 3 ... (nu-2)) cos^(nu-2) theta))
    /// (nu = 1: 2 theta / pi); nu even, A = sin theta (1 + (1/2) cos^2 theta + (1 3)/(2 4) cos^4 theta + ... + (1 3 ... (nu-3)) / (2 4 ... (nu-2)) cos^(nu-2) theta).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">nu &lt; 1.</exception>
    public static double TwoSidedProbability(double t, int nu)
    {
        if (nu < 1) throw new ArgumentOutOfRangeException(nameof(nu), nu, "the degrees of freedom must be at least 1.");
        if (double.IsNaN(t)) return double.NaN;
        t = Math.Abs(t);
        if (double.IsPositiveInfinity(t)) return 1;
        double theta = Math.Atan(t / Math.Sqrt(nu)), s = Math.Sin(theta), c = Math.Cos(theta), c2 = c * c;
        if (nu % 2 == 1)
        {
            if (nu == 1) return 2 * theta / Math.PI;
            // term_k = (2 4 ... 2k) / (1 3 ... (2k+1)) cos^(2k+1): term_0 = cos, term_k = term_{k-1} (2k / (2k+1)) cos^2, up to cos^(nu-2).
            double term = c, sum = c;
            for (int k = 1; 2 * k + 1 <= nu - 2; k++)
            {
                term *= 2.0 * k / (2 * k + 1) * c2;
                sum += term;
            }
            return 2 / Math.PI * (theta + s * sum);
        }
        else
        {
            // term_k = (1 3 ... (2k-1)) / (2 4 ... 2k) cos^(2k): term_0 = 1, term_k = term_{k-1} ((2k-1) / 2k) cos^2, up to cos^(nu-2).
            double term = 1, sum = 1;
            for (int k = 1; 2 * k <= nu - 2; k++)
            {
                term *= (2.0 * k - 1) / (2 * k) * c2;
                sum += term;
            }
            return s * sum;
        }
    }

    /// <summary>
    /// The two-sided quantile: the t &gt;= 0 with P(|T| &lt;= t) = <paramref name="probability"/>, i.e. the one-sided
    /// (1 + probability) / 2 quantile (t_{nu, 0.95} for 0.9), by bisection on <see cref="TwoSidedProbability"/> (monotone in t) to 1e-12 relative.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">nu &lt; 1 or the probability outside (0, 1).</exception>
    public static double TwoSidedQuantile(double probability, int nu)
    {
        if (nu < 1) throw new ArgumentOutOfRangeException(nameof(nu), nu, "the degrees of freedom must be at least 1.");
        if (!(probability > 0 && probability < 1)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "the probability must be between 0 and 1.");
        double lo = 0, hi = 1;
        while (TwoSidedProbability(hi, nu) < probability) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++)
        {
            double mid = (lo + hi) / 2;
            if (TwoSidedProbability(mid, nu) < probability) lo = mid; else hi = mid;
        }
        return (lo + hi) / 2;
    }
}
