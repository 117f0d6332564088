using System.Globalization;
using System.Text.RegularExpressions;
using HyperLaws.Runs;

namespace HyperLaws.Divergence;

/// <summary>
/// The schedule assumed for a sweep table, whose rows give only peak LR and iterations: linear warmup
/// from 0 over <see cref="WarmupSteps"/> steps (min(warmup, ti) when a run is shorter), then cosine from
/// the peak to the minimum LR at the last step:
/// eta_t = peak t / W (t &lt;= W); eta_t = mlr + (peak - mlr)(1 + cos(pi (t - W)/(S - W)))/2 (t &gt; W).
/// Step Law (Li et al. 2025, arXiv 2503.04715) describes its runs as 2,000 warmup steps then cosine
/// decay to a minimum LR of 1e-5; the table's run names carry the minimum LR (<c>_mlr1.00e-05</c>) and it
/// is read from there, <see cref="MinLr"/> otherwise. The warmup length is not in the table: it is an
/// assumption and a parameter.
/// </summary>
public sealed record SweepScheduleAssumption(int WarmupSteps = 2000, double MinLr = 1e-5)
{
    private static readonly Regex Mlr = new(@"mlr([0-9.]+(?:[eE][-+]?[0-9]+)?)", RegexOptions.CultureInvariant);

    /// <summary>The minimum LR of a run: from <c>mlrX</c> in its name, else <see cref="MinLr"/>.</summary>
    public double MinLrOf(SweepPoint p)
    {
        var m = Mlr.Match(p.Name);
        return m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 ? v : MinLr;
    }

    /// <summary>eta_t of a run under the assumption.</summary>
    public Func<long, double> LrOf(SweepPoint p)
    {
        double peak = p.LearningRate, mlr = Math.Min(MinLrOf(p), peak);
        long s = p.Iterations, w = Math.Min(WarmupSteps, s);
        return t => t <= w ? peak * t / w : mlr + 0.5 * (peak - mlr) * (1 + Math.Cos(Math.PI * (t - w) / (s - w)));
    }
}

/// <summary>Labels for the divergence predictor from a sweep of final losses.</summary>
public static class SweepLabels
{
    /// <summary>The labelling rule of validation protocol 4: a run diverged when its final loss exceeds this factor times its cell's best.</summary>
    public const double DefaultFactor = 2.0;

    /// <summary>
    /// One example per sweep run: diverged when loss &gt; factor x (lowest loss of its (N, D) cell);
    /// group = the cell; batch = the row's tokens per step; schedule from <paramref name="assumption"/>.
    /// </summary>
    public static IReadOnlyList<DivergenceExample> Label(SweepTable table, SweepScheduleAssumption? assumption = null, double factor = DefaultFactor)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!(factor > 1) || !double.IsFinite(factor)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "the divergence factor must be finite and > 1.");
        assumption ??= new SweepScheduleAssumption();
        if (assumption.WarmupSteps < 1) throw new ArgumentOutOfRangeException(nameof(assumption), assumption.WarmupSteps, "warmup steps must be >= 1.");
        var result = new List<DivergenceExample>(table.Points.Count);
        foreach (var cell in table.Cells)
        {
            double best = cell.Best.Loss;
            string group = string.Create(CultureInfo.InvariantCulture, $"N={cell.N:G4},D={cell.D:G4}");
            foreach (var p in cell.Points)
            {
                var profile = LrProfile.FromFunction(assumption.LrOf(p), p.Iterations);
                result.Add(new DivergenceExample(p.Name, group, p.N, p.BatchTokens, Math.Min(assumption.WarmupSteps, p.Iterations), profile, p.Loss > factor * best));
            }
        }
        return result;
    }
}
