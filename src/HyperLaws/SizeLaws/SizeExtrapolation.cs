namespace HyperLaws.SizeLaws;

/// <summary>
/// How far a size law fitted on a narrow range of model sizes misses beyond it, measured on tables that have many sizes
/// (docs/VALIDATION.md, "Protocol 9, second round"): the prior for the size part of a prediction interval when the runs at
/// hand have too few sizes to show a size extrapolation themselves (two sizes: leaving one out leaves one).
/// <para>For every distinct size N_b of a table: fit L(N, D) = E + A N^-alpha + B D^-beta (<see cref="ChinchillaFitter"/>, all
/// five parameters) on the runs with N in [N_b / window, N_b] (at least two sizes and five runs), and predict every run with
/// N / N_b in [low ratio, high ratio] (defaults <see cref="LowRatio"/>, <see cref="HighRatio"/>).</para>
/// </summary>
public static class SizeExtrapolation
{
    /// <summary>The defaults of protocol 9's size term: a factor-4 window (25M..100M) predicting about 4x beyond it (400M).</summary>
    public const double Window = 4, LowRatio = 3, HighRatio = 5.33;

    /// <summary>The size extrapolations of one table (see the class remarks); windows whose fit fails are skipped.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window or the ratios are not above 1, or low &gt; high.</exception>
    public static IReadOnlyList<SizeExtrapolationResidual> Residuals(string table, IReadOnlyList<ScalingPoint> runs, double window = Window,
        double lowRatio = LowRatio, double highRatio = HighRatio, ChinchillaFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (!(window > 1)) throw new ArgumentOutOfRangeException(nameof(window), window, "the window must span a factor above 1.");
        if (!(lowRatio > 1 && highRatio >= lowRatio)) throw new ArgumentOutOfRangeException(nameof(lowRatio), lowRatio, "the target ratios must satisfy 1 < low <= high.");
        var result = new List<SizeExtrapolationResidual>();
        // A relative tolerance so that sizes read from a table as 1e8 and 1.0000001e8 count as one size and window edges are inclusive.
        const double tol = 1e-6;
        foreach (double top in runs.Select(r => r.N).Distinct().Order())
        {
            var fitOn = runs.Where(r => r.N <= top * (1 + tol) && r.N >= top / window * (1 - tol)).ToList();
            var targets = runs.Where(r => r.N >= top * lowRatio * (1 - tol) && r.N <= top * highRatio * (1 + tol)).ToList();
            if (targets.Count == 0 || fitOn.Count < 5 || fitOn.Select(r => r.N).Distinct().Count() < 2) continue;
            ChinchillaLaw law;
            try
            {
                law = ChinchillaFitter.Fit(fitOn, options).Law;
            }
            catch (ArgumentException)
            {
                continue;
            }
            foreach (var t in targets)
            {
                double p = law.Loss(t.N, t.D);
                if (double.IsFinite(p) && p > 0) result.Add(new SizeExtrapolationResidual(table, top, t.N, t.D, p, t.Loss));
            }
        }
        return result;
    }
}
