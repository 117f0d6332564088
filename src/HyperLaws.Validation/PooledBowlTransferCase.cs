namespace HyperLaws.Validation;

/// <summary>One optimum case of the transfer check: the grid's best LR and each rule's LR (see <see cref="PooledBowlTransfer"/>).</summary>
public sealed record PooledBowlTransferCase(int Horizon, string Label, double GridBestLr, double N, double D, double BatchTokens,
    double BowlLr, double BowlCentreLr, double TwoStageLr, double StepLawLr)
{
    /// <summary>Whether <paramref name="lr"/> is within a factor 2 of the grid's best LR (protocol 10's hit).</summary>
    public bool WithinTwo(double lr) => Math.Abs(Math.Log(lr / GridBestLr)) <= Math.Log(2) + 1e-9;
}
