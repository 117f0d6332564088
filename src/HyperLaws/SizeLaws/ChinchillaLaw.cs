namespace HyperLaws.SizeLaws;

/// <summary>
/// The Chinchilla size law L(N, D) = E + A N^-alpha + B D^-beta (Hoffmann et al. 2022, eq. 2) and its
/// compute-optimal allocation under C = 6 N D (Hoffmann et al. 2022, appendix D.2):
/// G = (alpha A / (beta B))^(1/(alpha+beta)), N_opt(C) = G (C/6)^(beta/(alpha+beta)),
/// D_opt(C) = G^-1 (C/6)^(alpha/(alpha+beta)).
/// </summary>
public sealed record ChinchillaLaw(double E, double A, double B, double Alpha, double Beta)
{
    /// <summary>Hoffmann et al. 2022, approach 3 (their fit on their own runs).</summary>
    public static ChinchillaLaw Hoffmann { get; } = new(1.69, 406.4, 410.7, 0.34, 0.28);

    /// <summary>Besiroglu et al. 2024 ("Chinchilla scaling: a replication attempt"), refit of the SVG-extracted runs.</summary>
    public static ChinchillaLaw Besiroglu { get; } = new(1.8172, 482.01, 2085.43, 0.3478, 0.3658);

    /// <summary>L(N, D).</summary>
    public double Loss(double n, double d) => E + A * Math.Pow(n, -Alpha) + B * Math.Pow(d, -Beta);

    /// <summary>Exponent of N_opt in C: beta / (alpha + beta).</summary>
    public double NExponent => Beta / (Alpha + Beta);

    /// <summary>Exponent of D_opt in C: alpha / (alpha + beta).</summary>
    public double DExponent => Alpha / (Alpha + Beta);

    /// <summary>G = (alpha A / (beta B))^(1/(alpha+beta)).</summary>
    public double G => Math.Pow(Alpha * A / (Beta * B), 1 / (Alpha + Beta));

    /// <summary>The compute-optimal (N, D) for a budget of C FLOPs (6 N D = C).</summary>
    public (double N, double D) ComputeOptimal(double flops)
    {
        if (!(flops > 0) || double.IsInfinity(flops)) throw new ArgumentOutOfRangeException(nameof(flops), flops, "the compute budget must be positive and finite.");
        if (!(Alpha > 0 && Beta > 0 && A > 0 && B > 0)) throw new InvalidOperationException($"the compute-optimal allocation needs A, B, alpha, beta > 0 (have A {A}, B {B}, alpha {Alpha}, beta {Beta}).");
        double g = G, c6 = flops / 6;
        return (g * Math.Pow(c6, NExponent), Math.Pow(c6, DExponent) / g);
    }

    /// <summary>The parameters as an array (E, A, B, alpha, beta).</summary>
    public double[] ToArray() => [E, A, B, Alpha, Beta];

    /// <summary>Names matching <see cref="ToArray"/>.</summary>
    public static IReadOnlyList<string> ParameterNames { get; } = ["E", "A", "B", "alpha", "beta"];

    /// <summary>The law of the parameters in <see cref="ToArray"/> order (E, A, B, alpha, beta).</summary>
    public static ChinchillaLaw FromArray(IReadOnlyList<double> p) => new(p[0], p[1], p[2], p[3], p[4]);
}
