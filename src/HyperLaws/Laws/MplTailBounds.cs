namespace HyperLaws.Laws;

/// <summary>
/// For one beta: 2^(-beta E) for E = 0..63 (the binary exponents of q_min = C x_min + 1 in [1, 2^64)) and the constants of
/// <see cref="Decide"/>'s bounds on m^-beta, m in [1, 2); made once per evaluation of a history (64 pow calls),
/// where the node tests of every point would otherwise each call pow.
/// </summary>
internal sealed class MplTailBounds
{
    public MplTailBounds(double beta)
    {
        Beta = beta;
        Usable = beta > 0 && beta < double.PositiveInfinity;
        for (int e = 0; e < Scale.Length; e++) Scale[e] = Math.Pow(2, -beta * e);
        Half = Math.Pow(2, -beta);
        Chord = 1 - Half;
        NearSlope = beta * Half / 2;
    }

    /// <summary>The beta of the table (NaN for none).</summary>
    public double Beta { get; }

    /// <summary>Finite positive beta: the quick test applies.</summary>
    public bool Usable { get; }

    /// <summary>2^(-beta E), E = 0..63.</summary>
    public double[] Scale { get; } = new double[64];

    /// <summary>2^-beta.</summary>
    public double Half { get; }

    /// <summary>1 - 2^-beta: the chord's drop over m in [1, 2], and 1 - rho^-beta's least value for rho &gt;= 2.</summary>
    public double Chord { get; }

    /// <summary>beta 2^(-beta-1): 1 - rho^-beta &gt;= this (rho - 1) on [1, 2].</summary>
    public double NearSlope { get; }

    /// <summary>Decide's answers: the full test is needed; it would reject the node; it would accept it with the second-order bound
    /// (no correction); with the third-order bound when the correction is usable (else unsure); with either bound.</summary>
    internal const int Unsure = 0, Reject = -1, AcceptSecond = 1, AcceptThird = 2, AcceptEither = 3;

    /// <summary>The relative margin of Decide's bounds on tail_min, far above the rounding of pow, of the table and of the bounds' arithmetic.</summary>
    private const double Margin = 1e-9;

    /// <summary>
    /// The node test of MultiPowerLaw's tree walk (DropTree.LossDrop) decided without tail_min = q_min^-beta's pow, only where the full test certainly
    /// decides the same (so the walk is the same bit for bit); else <see cref="Unsure"/>. Every bound the full test computes is
    /// tail_min times a positive factor: <paramref name="second"/> and <paramref name="third"/> are the second- and third-order bounds
    /// with tail_min = 1, computed by the walk in the same way for both tests (from the node's width, or with
    /// <c>MultiPowerLaw.SpreadBounds</c> from its spread; each with its rounding allowances), and the first-order bound is
    /// tail_min - tail_max = tail_min (1 - rho^-beta), rho = q_max / q_min, plus a non-negative allowance. With q_min = m 2^E
    /// (m in [1, 2), E = 0..63), tail_min = 2^(-beta E) m^-beta, where 2^(-beta E) comes from the
    /// per-beta table and m^-beta, convex in m, lies below its chord 1 - (1 - 2^-beta)(m - 1) and above its tangents at m = 1
    /// and m = 2, 1 - beta (m - 1) and 2^-beta (1 + beta (2 - m) / 2); with the margin 1e-9 these bound the computed tail_min
    /// from above and below. 1 - rho^-beta is at least 1 - 2^-beta for rho &gt;= 2 and beta 2^(-beta-1) (rho - 1) on [1, 2] (its
    /// derivative beta rho^(-beta-1) decreases); tail_min - tail_max as computed is then at least that times the lower tail_min
    /// less 1e-15 (both tails are at most 1). Rejected: b times every bound's lower estimate exceeds accept (the fall-back for
    /// non-finite bounds, DropTree.TryRange, is not reached: the allowances are finite here). Accepted: the choice between
    /// the second- and third-order bound (third &lt; second, a ratio that does not depend on tail_min) is certain by a margin of
    /// 1e-9, both bounds are at least 1e-280 (no underflow), and b times the chosen bound's upper estimate is at most accept.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static int Decide(MplTailBounds bounds, double qMin, double qMax, double second, double third, double beta, double b, double accept)
    {
        if (!(qMin >= 1 && qMin < 1.8446744073709552e19) || !(second >= 0) || !(third >= 0)) return Unsure;   // q_min in [1, 2^64)
        double rho = qMax / qMin;
        if (!(rho >= 1)) return Unsure;
        long bits = BitConverter.DoubleToInt64Bits(qMin);
        int exponent = (int)(bits >> 52) - 1023;                                                    // E = floor(log2 q_min)
        double scale = bounds.Scale[exponent];                                                      // 2^(-beta E)
        if (!(scale >= 1e-250)) return Unsure;
        double f = BitConverter.Int64BitsToDouble((bits & 0xFFFFFFFFFFFFFL) | 0x3FF0000000000000L) - 1;   // m - 1 in [0, 1)
        double upper = scale * (1 - bounds.Chord * f) * (1 + Margin);
        double lower = scale * Math.Max(1 - beta * f, bounds.Half * (1 + 0.5 * beta * (1 - f))) * (1 - Margin);
        if (!(second < double.PositiveInfinity) || !(third < double.PositiveInfinity)) return Unsure;
        double spread = rho >= 2 ? bounds.Chord : bounds.NearSlope * (rho - 1);
        if (b * (lower * Math.Min(second, third)) > accept && b * (lower * spread - 1e-15) > accept) return Reject;
        if (!(lower * Math.Min(second, third) >= 1e-280)) return Unsure;
        bool secondPasses = b * (upper * second + 1e-300) <= accept;
        if (third > second * (1 + Margin)) return secondPasses ? AcceptSecond : Unsure;
        if (third < second * (1 - Margin) && b * (upper * third + 1e-300) <= accept) return secondPasses ? AcceptEither : AcceptThird;
        return Unsure;
    }
}
