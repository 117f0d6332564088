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
