using HyperLaws.Runs;

namespace HyperLaws.Optimum;

/// <summary>q(x, y) = g1 x + g2 y + a x^2 + b x y + c y^2 (the constant does not move the minimiser).</summary>
internal sealed record Quadratic2(double G1, double G2, double A, double B, double C)
{
    /// <summary>Positive definite Hessian [[2a, b], [b, 2c]].</summary>
    public bool IsConvex => A > 0 && 4 * A * C - B * B > 0;

    public double Value(double x, double y) => G1 * x + G2 * y + A * x * x + B * x * y + C * y * y;

    /// <summary>
    /// The minimiser of a convex q over [x0, x1] x [y0, y1]: the stationary point when inside, else the
    /// best of the four edges (each a 1-D convex quadratic minimised on its segment).
    /// </summary>
    public (double X, double Y) MinimizeOnBox(double x0, double x1, double y0, double y1)
    {
        double det = 4 * A * C - B * B;
        double sx = (B * G2 - 2 * C * G1) / det, sy = (B * G1 - 2 * A * G2) / det;
        if (sx >= x0 && sx <= x1 && sy >= y0 && sy <= y1) return (sx, sy);
        var candidates = new List<(double X, double Y)>();
        foreach (double x in new[] { x0, x1 }) candidates.Add((x, Math.Clamp(-(G2 + B * x) / (2 * C), y0, y1)));
        foreach (double y in new[] { y0, y1 }) candidates.Add((Math.Clamp(-(G1 + B * y) / (2 * A), x0, x1), y));
        return candidates.MinBy(p => Value(p.X, p.Y));
    }
}
