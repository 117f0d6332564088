using System.Globalization;
using System.Text.RegularExpressions;
using HyperLaws.Runs;

namespace HyperLaws.Divergence;

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
