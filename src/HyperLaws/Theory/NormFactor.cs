namespace HyperLaws.Theory;

/// <summary>
/// The norm-equivalence factor rho of an optimizer's norm, which scales the noise constant
/// (C3 ~ rho sigma, sigma the l2 noise level). The noise enters through the dual norm of the LMO's
/// ball, bounded by rho times the l2 norm:
/// <list type="bullet">
/// <item>normalized SGD (l2 ball, dual l2): rho = 1;</item>
/// <item>signSGD (l-inf ball, dual l1): ||v||_1 &lt;= sqrt(d) ||v||_2, rho = sqrt(d) with d the total
/// parameter count;</item>
/// <item>Muon (spectral ball per matrix; dual: sum of nuclear norms): ||V_i||_* &lt;= sqrt(r_i) ||V_i||_F
/// with r_i = min(m_i, n_i), and by Cauchy-Schwarz sum_i sqrt(r_i) ||V_i||_F &lt;= sqrt(sum_i r_i) ||V||_2,
/// so rho = sqrt(sum_i min(m_i, n_i)) (one matrix: sqrt(min(m, n)), as in the paper).</item>
/// </list>
/// Without shapes rho is 1 (fold it into C3 yourself).
/// </summary>
public static class NormFactor
{
    /// <summary>rho for <paramref name="optimizer"/> over the parameter matrices <paramref name="shapes"/> (formulas in the type's remarks); 1 without shapes.</summary>
    public static double Rho(LmoOptimizer optimizer, IReadOnlyList<ParameterShape>? shapes)
    {
        if (shapes is null || shapes.Count == 0) return 1.0;
        return optimizer switch
        {
            LmoOptimizer.NormalizedSgd => 1.0,
            LmoOptimizer.SignSgd => Math.Sqrt(shapes.Sum(s => (double)s.Rows * s.Columns * s.Count)),
            LmoOptimizer.Muon => Math.Sqrt(shapes.Sum(s => (double)Math.Min(s.Rows, s.Columns) * s.Count)),
            _ => throw new ArgumentOutOfRangeException(nameof(optimizer)),
        };
    }
}
