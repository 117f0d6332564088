namespace HyperLaws.Validation;

/// <summary>
/// The law's optimum peak LR for one (horizon, schedule) group of protocol 7 against the grid's best LR, from the
/// fold that held out the grid's best LR (so the law never saw the winner).
/// </summary>
/// <param name="Horizon">Steps.</param>
/// <param name="Label">The schedule without LR (e.g. "wsd-linear-0.2").</param>
/// <param name="GridBestLr">The base LR with the lowest final validation loss in the group.</param>
/// <param name="LawOptimum">The law's argmin over peak LR (continuous search over <see cref="LrAxis.OptimumRange"/> x the grid's LRs).</param>
/// <param name="Interior">False when the law's minimum is at an end of the searched range.</param>
/// <param name="Lrs">Base LRs the group has runs at.</param>
public sealed record LrOptimumCheck(int Horizon, string Label, double GridBestLr, double LawOptimum, bool Interior, int Lrs)
{
    /// <summary>Within one grid step: |ln(law / grid best)| &lt;= ln 2 (the grid's LRs are about x2 apart).</summary>
    public bool WithinOneStep => Math.Abs(Math.Log(LawOptimum / GridBestLr)) <= Math.Log(2) + 1e-12;
}
