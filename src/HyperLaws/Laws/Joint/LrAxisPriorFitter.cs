using HyperLaws.Optimum;

namespace HyperLaws.Laws.Joint;

/// <summary>
/// Fits an <see cref="LrAxisPrior"/> on multi-LR sweeps, cell by cell: at the batch of the cell's best run, ln L is fitted
/// by least squares as a parabola in ln eta over the runs within <see cref="Window"/> of that batch's best loss
/// (ln L = a + b u + c u^2, u = ln eta; eta* = exp(-b / 2c), k = c: for small excesses ln(L/L*) = L/L* - 1); a cell needs
/// at least four such runs at three or more LRs and c &gt; 0. The prior is the median over cells of eta*/eta_ref and of k.
/// </summary>
public static class LrAxisPriorFitter
{
    /// <summary>Runs within this relative excess over the batch's best loss enter the parabola (the region where it holds).</summary>
    public const double Window = 0.05;

    /// <exception cref="ArgumentException">No cell gives a parabola.</exception>
    public static LrAxisPriorFit Fit(IReadOnlyList<LrAxisCell> cells)
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
        var prior = new LrAxisPrior(Math.Exp(Median(fits.Select(f => Math.Log(f.Ratio)))), Median(fits.Select(f => f.Curvature)),
            HalfIqr(fits.Select(f => Math.Log(f.Ratio))), HalfIqr(fits.Select(f => Math.Log(f.Curvature))), Median(low), Median(high), fits.Count);
        return new LrAxisPriorFit(prior, fits);
    }

    /// <summary>The median (mean of the two middle values for an even count).</summary>
    internal static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }

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
