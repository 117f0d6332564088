namespace HyperLaws.Validation;

/// <summary>Top-1 and Top-2 hit rates over the groups that have at least two candidates.</summary>
/// <param name="Groups">Groups counted (two or more candidates).</param>
/// <param name="Top1Hits">Counted groups whose best run is predicted best.</param>
/// <param name="Top2Hits">Counted groups whose best run is among the two best predicted.</param>
/// <param name="Skipped">Groups left out because they had fewer than two candidates.</param>
public sealed record HitRates(int Groups, int Top1Hits, int Top2Hits, int Skipped)
{
    /// <summary>Top1Hits / Groups (NaN without groups).</summary>
    public double Top1 => Groups == 0 ? double.NaN : (double)Top1Hits / Groups;

    /// <summary>Top2Hits / Groups (NaN without groups).</summary>
    public double Top2 => Groups == 0 ? double.NaN : (double)Top2Hits / Groups;
}
