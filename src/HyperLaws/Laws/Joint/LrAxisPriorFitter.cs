using HyperLaws.Numerics;
using HyperLaws.Optimum;

namespace HyperLaws.Laws.Joint;

/// <summary>
/// Fits an <see cref="LrAxisPrior"/> on multi-LR sweeps, cell by cell: at the batch of the cell's best run, ln L is fitted
/// by least squares as a parabola in ln eta over the runs within <see cref="Window"/> of that batch's best loss
/// (ln L = a + b u + c u^2, u = ln eta; eta* = exp(-b / 2c), k = c: for small excesses ln(L/L*) = L/L* - 1); a cell needs
/// at least four such runs at three or more LRs and c &gt; 0. The prior is the median over cells of eta*/eta_ref and, for the
/// curvature, k(D) = k0 (D/D0)^-q fitted median-based (Theil-Sen: q = -(the median over pairs of cells of different D of the
/// slope of ln k against ln D); ln k0 = the median over cells of ln k_i + q ln(D_i/D0); D0 = 1e10 tokens). Why k(D): on the Step
/// Law cells k falls with D (0.013 at 4e9 tokens to 0.003 at 1e11), so one median k is too flat for short runs and too sharp
/// for long ones. Theil-Sen keeps the fit as robust to a stray cell as the medians were (breakdown 29%). With fewer than two
/// distinct D, or <c>curvatureInTokens: false</c> (the default: k(D) made protocol 10 worse, docs/VALIDATION.md), q = 0 and
/// k0 is the median k (the version-1 prior).
/// </summary>
public static class LrAxisPriorFitter
{
    /// <summary>Runs within this relative excess over the batch's best loss enter the parabola (the region where it holds).</summary>
    public const double Window = 0.05;

    /// <exception cref="ArgumentException">No cell gives a parabola.</exception>
    /// <param name="cells">The sweeps' cells.</param>
    /// <param name="curvatureInTokens">True: fit k(D) = k0 (D/D0)^-q; false (default): one k (q = 0), the median.</param>
    public static LrAxisPriorFit Fit(IReadOnlyList<LrAxisCell> cells, bool curvatureInTokens = false)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var fits = new List<LrAxisCellFit>();
        var low = new List<double>();
        var high = new List<double>();
        foreach (var cell in cells)
        {
            if (cell.Points.Count == 0) continue;
            var best = cell.Points.MinBy(p => p.Loss)!;
            var atBatch = cell.Points.Where(p => p.BatchTokens == best.BatchTokens && p.Loss <= (1 + Window) * best.Loss).ToList();
            if (atBatch.Count < 4 || atBatch.Select(p => p.Lr).Distinct().Count() < 3) continue;
            double mu = atBatch.Average(p => Math.Log(p.Lr));
            var rows = atBatch.Select(p => new[] { 1, Math.Log(p.Lr) - mu, Math.Pow(Math.Log(p.Lr) - mu, 2) }).ToList();
            var coef = LinearLeastSquares.Solve(rows, atBatch.Select(p => Math.Log(p.Loss)).ToList());
            if (coef is null || !(coef[2] > 0)) continue;
            double lnStar = mu - coef[1] / (2 * coef[2]);
            double eta = LrAxisPrior.ReferenceLr(cell.N, cell.D);
            fits.Add(new LrAxisCellFit(cell.N, cell.D, best.BatchTokens, Math.Exp(lnStar), Math.Exp(lnStar) / eta, coef[2], atBatch.Count));
            low.Add(cell.Points.Min(p => p.Lr) / eta);
            high.Add(cell.Points.Max(p => p.Lr) / eta);
        }
        if (fits.Count == 0) throw new ArgumentException("no cell gives a parabola in ln LR (each needs four runs within 5% of its batch's best at three or more LRs).");
        double d0 = LrAxisPrior.DefaultCurvatureTokens;
        double q = curvatureInTokens ? CurvatureExponent(fits) : 0;
        var lnK0 = fits.Select(f => Math.Log(f.Curvature) + q * Math.Log(f.D / d0)).ToList();
        double k0 = q == 0 ? Median(fits.Select(f => f.Curvature)) : Math.Exp(Median(lnK0));
        var prior = new LrAxisPrior(Math.Exp(Median(fits.Select(f => Math.Log(f.Ratio)))), k0,
            HalfIqr(fits.Select(f => Math.Log(f.Ratio))), HalfIqr(lnK0), Median(low), Median(high), fits.Count, q, d0);
        return new LrAxisPriorFit(prior, fits);
    }

    /// <summary>
    /// q of k(D) = k0 (D/D0)^-q by Theil-Sen: minus the median over pairs of cells with different D of
    /// (ln k_j - ln k_i) / (ln D_j - ln D_i); 0 when no pair has different D.
    /// </summary>
    internal static double CurvatureExponent(IReadOnlyList<LrAxisCellFit> fits)
    {
        var slopes = new List<double>();
        for (int i = 0; i < fits.Count; i++)
            for (int j = i + 1; j < fits.Count; j++)
            {
                double dx = Math.Log(fits[j].D / fits[i].D);
                if (Math.Abs(dx) > 1e-9) slopes.Add((Math.Log(fits[j].Curvature) - Math.Log(fits[i].Curvature)) / dx);
            }
        return slopes.Count == 0 ? 0 : -Median(slopes);
    }

    /// <summary>The median (<see cref="Statistics.Median"/>).</summary>
    internal static double Median(IEnumerable<double> values) => Statistics.Median(values);

    /// <summary>Half the interquartile range (quartiles by linear interpolation); 0 for fewer than two values.</summary>
    internal static double HalfIqr(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length < 2) return 0;
        double Q(double q)
        {
            double pos = q * (v.Length - 1);
            int i = (int)Math.Floor(pos);
            return i + 1 < v.Length ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[i];
        }
        return 0.5 * (Q(0.75) - Q(0.25));
    }
}
