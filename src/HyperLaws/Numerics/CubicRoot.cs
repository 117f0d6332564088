namespace HyperLaws.Numerics;

/// <summary>Real roots of cubics in closed form.</summary>
public static class CubicRoot
{
    /// <summary>
    /// The unique positive root of a s^3 + c s^2 - d = 0 with a &gt; 0, c &gt;= 0, d &gt; 0 (the left side
    /// is increasing for s &gt; 0 and negative at 0, so exactly one positive root exists).
    /// Cardano's formula on the depressed cubic: s = t - c/(3a), t^3 + p t + q = 0 with
    /// p = -c^2/(3a^2), q = 2c^3/(27a^3) - d/a. When a &lt;&lt; c the shift c/(3a) cancels catastrophically,
    /// so the result is polished (or, if unusable, replaced) by Newton's method, which converges
    /// monotonically from the upper bound s0 = min(cbrt(d/a), sqrt(d/c)) because f is increasing and
    /// convex for s &gt; 0.
    /// </summary>
    public static double PositiveRootOfMonotoneCubic(double a, double c, double d)
    {
        if (!(a > 0) || !(c >= 0) || !(d > 0))
            throw new ArgumentOutOfRangeException(nameof(a), "Needs a > 0, c >= 0, d > 0.");

        double shift = c / (3 * a);
        double p = -c * c / (3 * a * a);
        double q = 2 * c * c * c / (27 * a * a * a) - d / a;
        double disc = q * q / 4 + p * p * p / 27;

        double t;
        if (disc >= 0)
        {
            double sq = Math.Sqrt(disc);
            t = Math.Cbrt(-q / 2 + sq) + Math.Cbrt(-q / 2 - sq);
        }
        else
        {
            // Three real roots (p < 0): trigonometric form; the largest is the positive one in s.
            double r = Math.Sqrt(-p / 3);
            double phi = Math.Acos(Math.Clamp(-q / (2 * r * r * r), -1.0, 1.0));
            t = 2 * r * Math.Cos(phi / 3);
        }
        double s = t - shift;

        double upper = c > 0 ? Math.Min(Math.Cbrt(d / a), Math.Sqrt(d / c)) : Math.Cbrt(d / a);
        if (!(s > 0 && s <= upper)) s = upper;
        for (int i = 0; i < 100; i++)
        {
            double f = (a * s + c) * s * s - d;
            double df = (3 * a * s + 2 * c) * s;
            double step = f / df;
            s -= step;
            if (Math.Abs(step) <= 1e-15 * s) break;
        }
        return s;
    }
}
