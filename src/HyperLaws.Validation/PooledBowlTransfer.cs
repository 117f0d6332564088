using HyperLaws.Optimum;

namespace HyperLaws.Validation;

/// <summary>
/// The pooled bowl's transfer check (docs/VALIDATION.md, "Protocol 4 with a pooled bowl"), declared before it was run: the
/// bowl fitted on all Step Law cells is applied where protocol 10 applies the LR-axis prior, the 124M grid. Per protocol 10
/// optimum case (<see cref="LrTransfer.OptimumCases"/>: horizon H, schedule label with runs at three or more LRs), the bowl's
/// LR optimum at the grid's own batch (<see cref="PooledBowl.ConditionalLnLearningRate"/>) at N = the runs' parameters and
/// D = H x tokens per step, a hit when within x2 of the grid's best LR. Beside it: the bowl's centre eta* (unconditional),
/// the two-stage rule fitted on all cells' optima, and Step Law's eta*. Nothing here is fitted on the 124M grid (it has one
/// model size and one batch, so the bowl cannot be fitted there).
/// </summary>
public static class PooledBowlTransfer
{
    /// <summary>Scores <paramref name="bowl"/> and <paramref name="twoStage"/> on protocol 10's optimum cases of <paramref name="runs"/>.</summary>
    public static PooledBowlTransferResult Run(PooledBowl bowl, FittedOptimumRule twoStage, IReadOnlyList<GridRun> runs)
    {
        ArgumentNullException.ThrowIfNull(bowl);
        ArgumentNullException.ThrowIfNull(twoStage);
        ArgumentNullException.ThrowIfNull(runs);
        var usable = LrTransfer.Usable(runs);
        var cases = new List<PooledBowlTransferCase>();
        foreach (var atH in usable.GroupBy(r => r.Horizon).OrderBy(g => g.Key))
        {
            foreach (var (label, best) in LrTransfer.OptimumCases(atH))
            {
                double n = best.Run.Metadata.Parameters!.Value, tokensPerStep = best.Run.Metadata.TokensPerStep!.Value, d = atH.Key * tokensPerStep;
                cases.Add(new PooledBowlTransferCase(atH.Key, label, best.Lr, n, d, tokensPerStep,
                    Math.Exp(bowl.ConditionalLnLearningRate(n, d, Math.Log(tokensPerStep))), Math.Exp(bowl.Predict(n, d).LnLearningRate),
                    Math.Exp(twoStage.Predict(n, d).LnLearningRate), Math.Exp(StepLawRule.Instance.Predict(n, d).LnLearningRate)));
            }
        }
        return new PooledBowlTransferResult(cases);
    }
}

/// <summary>One optimum case of the transfer check: the grid's best LR and each rule's LR (see <see cref="PooledBowlTransfer"/>).</summary>
public sealed record PooledBowlTransferCase(int Horizon, string Label, double GridBestLr, double N, double D, double BatchTokens,
    double BowlLr, double BowlCentreLr, double TwoStageLr, double StepLawLr)
{
    /// <summary>Whether <paramref name="lr"/> is within a factor 2 of the grid's best LR (protocol 10's hit).</summary>
    public bool WithinTwo(double lr) => Math.Abs(Math.Log(lr / GridBestLr)) <= Math.Log(2) + 1e-9;
}

/// <summary>The transfer check's cases and hit counts.</summary>
public sealed record PooledBowlTransferResult(IReadOnlyList<PooledBowlTransferCase> Cases)
{
    /// <summary>Cases where the bowl's LR at the grid's batch is within x2 (the declared score).</summary>
    public int BowlHits => Cases.Count(c => c.WithinTwo(c.BowlLr));

    /// <summary>Cases where the bowl's centre eta* is within x2 (reported only).</summary>
    public int BowlCentreHits => Cases.Count(c => c.WithinTwo(c.BowlCentreLr));

    /// <summary>Cases where the two-stage rule's eta* is within x2 (the adoption rule's comparator).</summary>
    public int TwoStageHits => Cases.Count(c => c.WithinTwo(c.TwoStageLr));

    /// <summary>Cases where Step Law's eta* is within x2.</summary>
    public int StepLawHits => Cases.Count(c => c.WithinTwo(c.StepLawLr));
}
