namespace HyperLaws.SizeLaws;

/// <summary>
/// Start grid over the log-space parameters (e = ln E, ln A, ln B, alpha, beta), as in Hoffmann et al. 2022
/// (appendix D.2) and Besiroglu et al. 2024.
/// </summary>
public sealed record ChinchillaGrid(double[] LogE, double[] LogA, double[] LogB, double[] Alpha, double[] Beta)
{
    /// <summary>Besiroglu et al. 2024's grid: e in {-1, -0.5, ..., 1}, ln A and ln B in {0, 5, ..., 25}, alpha and beta in {0, 0.5, ..., 2} (4,500 starts).</summary>
    public static ChinchillaGrid Full { get; } = new([-1, -0.5, 0, 0.5, 1], [0, 5, 10, 15, 20, 25], [0, 5, 10, 15, 20, 25], [0, 0.5, 1, 1.5, 2], [0, 0.5, 1, 1.5, 2]);

    /// <summary>A sub-grid of <see cref="Full"/> (every other value; 3 x 3 x 3 x 3 x 3 = 243 starts).</summary>
    public static ChinchillaGrid Coarse { get; } = new([-1, 0, 1], [0, 10, 20], [0, 10, 20], [0, 1, 2], [0, 1, 2]);

    /// <summary>Number of starts.</summary>
    public int Count => LogE.Length * LogA.Length * LogB.Length * Alpha.Length * Beta.Length;

    /// <summary>The starts in a fixed order.</summary>
    public IEnumerable<double[]> Starts()
    {
        foreach (double e in LogE) foreach (double a in LogA) foreach (double b in LogB) foreach (double al in Alpha) foreach (double be in Beta)
            yield return [e, a, b, al, be];
    }
}
