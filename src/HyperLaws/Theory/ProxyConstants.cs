namespace HyperLaws.Theory;

/// <summary>
/// Constants of the LMO convergence-bound proxy (see <see cref="LmoProxy"/>):
/// C1 ~ initial optimality gap, C2 ~ smoothness L, C3 ~ rho * sigma (noise scale in the LMO's dual
/// norm), and the term coefficients ca..cd, which the paper's abstract does not give (default 1).
/// The "large-horizon" proxy of Theorems 1-2 drops the cb and cd terms.
/// </summary>
public sealed record ProxyConstants(
    double C1 = 1, double C2 = 1, double C3 = 1,
    double Ca = 1, double Cb = 1, double Cc = 1, double Cd = 1)
{
    /// <summary>All constants 1: the 5-term proxy of the test vectors and the paper's figures.</summary>
    public static ProxyConstants Unit { get; } = new();

    /// <summary>True when cb = cd = 0 (Theorems 1-2's proxy).</summary>
    public bool IsLargeHorizon => Cb == 0 && Cd == 0;

    /// <summary>The same constants with the lower-order terms removed (cb = cd = 0).</summary>
    public ProxyConstants AsLargeHorizon() => this with { Cb = 0, Cd = 0 };

    /// <summary>Folds a norm-equivalence factor rho into C3 (C3 ~ rho sigma).</summary>
    public ProxyConstants WithNormFactor(double rho)
    {
        if (!(rho > 0) || !double.IsFinite(rho)) throw new ArgumentOutOfRangeException(nameof(rho), "rho must be positive and finite.");
        return this with { C3 = C3 * rho };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first constant out of range.</summary>
    public void Validate()
    {
        Positive(C1, "C1"); Positive(C2, "C2"); Positive(C3, "C3"); Positive(Ca, "ca"); Positive(Cc, "cc");
        NonNegative(Cb, "cb"); NonNegative(Cd, "cd");
    }

    private static void Positive(double v, string name)
    {
        if (!(v > 0) || !double.IsFinite(v)) throw new ArgumentException($"{name} must be positive and finite (got {v}).");
    }

    private static void NonNegative(double v, string name)
    {
        if (!(v >= 0) || !double.IsFinite(v)) throw new ArgumentException($"{name} must be non-negative and finite (got {v}).");
    }
}
