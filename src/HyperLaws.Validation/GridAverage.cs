namespace HyperLaws.Validation;

/// <summary>
/// A law's protocol-3 numbers averaged over several training fractions: each number is the mean over the
/// fractions of that fraction's value (MaxRelErr is the largest).
/// </summary>
public sealed record GridAverage(
    string Law, IReadOnlyList<double> Fractions, double Top1, double Top2, double AtBestLrTop1, double AtBestLrTop2,
    double AcrossLrsTop1, double AcrossLrsTop2, double MeanRelErr, double MaxRelErr, double Mae, double BestCooldownHits, double BestCooldownRegret)
{
    /// <summary>Averages <paramref name="law"/>'s numbers over protocol-3 results, one per training fraction.</summary>
    /// <exception cref="ArgumentException">No results.</exception>
    public static GridAverage Of(string law, IReadOnlyList<GridResult> results)
    {
        var rs = results.Select(r => r.Laws.Single(l => l.Law == law)).ToList();
        if (rs.Count == 0) throw new ArgumentException("no results to average.");
        return new GridAverage(law, [.. results.Select(r => r.Options.TrainFraction)],
            rs.Average(r => r.ByGroup.Top1), rs.Average(r => r.ByGroup.Top2),
            rs.Average(r => r.AtBestLr.Top1), rs.Average(r => r.AtBestLr.Top2),
            rs.Average(r => r.AcrossLrs.Top1), rs.Average(r => r.AcrossLrs.Top2),
            rs.Average(r => r.FinalLoss.MeanRelErr), rs.Max(r => r.FinalLoss.MaxRelErr), rs.Average(r => r.FinalLoss.Mae),
            rs.Average(r => r.BestCooldown.Count == 0 ? double.NaN : r.BestCooldown.Count(b => b.Hit) / (double)r.BestCooldown.Count),
            rs.Average(r => r.BestCooldown.Count == 0 ? double.NaN : r.BestCooldown.Average(b => b.Regret)));
    }
}
