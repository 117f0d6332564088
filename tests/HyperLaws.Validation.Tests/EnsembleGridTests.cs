using HyperLaws.Evaluation;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocol 3 ranked by an ensemble (<see cref="EnsembleGrid.Combine"/>) on the synthetic grid of <see cref="ScheduleGridTests"/>:
/// an ensemble of one law scores exactly as that law, a copy of a law at another scale changes no ranking, and members over
/// different runs are refused.
/// </summary>
public sealed class EnsembleGridTests
{
    private static readonly Lazy<LawGridResult> Tissue = new(() => Assert.Single(ScheduleGrid.Run(ScheduleGridTests.Grid(), ["tissue"], new GridOptions { TrainFraction = 0.5 }).Laws));

    private static void SameRanking(LawGridResult law, LawGridResult ensemble)
    {
        Assert.Equal(law.ByGroup, ensemble.ByGroup);
        Assert.Equal(law.AtBestLr, ensemble.AtBestLr);
        Assert.Equal(law.AcrossLrs, ensemble.AcrossLrs);
        Assert.Equal(law.Groups.Select(g => (g.Key, g.PredictedBest.Name, g.PredictedRankOfBest)), ensemble.Groups.Select(g => (g.Key, g.PredictedBest.Name, g.PredictedRankOfBest)));
        Assert.Equal(law.BestCooldown, ensemble.BestCooldown);
    }

    [Fact]
    public void AnEnsembleOfOneLawScoresAsThatLaw()
    {
        var law = Tissue.Value;
        foreach (var rule in new[] { EnsembleRule.ScaleFreeMean, EnsembleRule.Borda })
        {
            var ensemble = EnsembleGrid.Combine("ensemble", [law], rule);
            SameRanking(law, ensemble);
            Assert.Equal(law.FinalLoss, ensemble.FinalLoss);
            Assert.Equal(law.Predictions.Select(p => p.Predicted), ensemble.Predictions.Select(p => p.Predicted));
            Assert.Empty(ensemble.Fits);
        }
    }

    [Fact]
    public void ALawAtAnotherScaleChangesNoRanking()
    {
        var law = Tissue.Value;
        var scaled = law with { Law = "tissue-x3", Predictions = [.. law.Predictions.Select(p => p with { Predicted = 3 * p.Predicted })] };
        foreach (var rule in new[] { EnsembleRule.ScaleFreeMean, EnsembleRule.Borda })
            SameRanking(law, EnsembleGrid.Combine("ensemble", [law, scaled], rule));
        // Its loss is the plain mean of the members' (here twice the law's).
        var mean = EnsembleGrid.Combine("ensemble", [law, scaled], EnsembleRule.ScaleFreeMean);
        Assert.All(law.Predictions.Zip(mean.Predictions), x => Assert.Equal(2 * x.First.Predicted, x.Second.Predicted, 1e-12));
    }

    [Fact]
    public void TheAxisEnsembleOfOneLawRanksEachLrsSetsAsThatLawAndItsLossIsTheMembersMean()
    {
        var law = Tissue.Value;
        var scaled = law with { Law = "tissue-x3", Predictions = [.. law.Predictions.Select(p => p with { Predicted = 3 * p.Predicted })] };
        // The level's scale changes nothing, nor does the pooled member's; its loss is the members' mean (not the level's).
        var axes = EnsembleGrid.CombineAxes(EnsembleGrid.Axes, [law, scaled], scaled);
        Assert.Equal(law.ByGroup, axes.ByGroup);
        Assert.Equal(law.Groups.Where(g => g.Key.Contains("lr=", StringComparison.Ordinal)).Select(g => (g.Key, g.PredictedRankOfBest)),
            axes.Groups.Where(g => g.Key.Contains("lr=", StringComparison.Ordinal)).Select(g => (g.Key, g.PredictedRankOfBest)));
        Assert.All(law.Predictions.Zip(axes.Predictions), x => Assert.Equal(2 * x.First.Predicted, x.Second.Predicted, 1e-12));
        Assert.Throws<ArgumentException>(() => EnsembleGrid.CombineAxes(EnsembleGrid.Axes, [law], law));
    }

    [Fact]
    public void TheAxisEnsemblesOrderAcrossLrsIsTheLevelLawsNotTheMembers()
    {
        var law = Tissue.Value;
        // A level law that puts each horizon's best LR (by the actual losses) far below the others, and one that puts it far above:
        // the members (the law, per LR and pooled) are the same in both, so only the level can move the across-LR order.
        var bestLr = law.HeldOut.GroupBy(p => p.Run.Horizon).ToDictionary(g => g.Key, g => g.MinBy(p => p.Actual)!.Run.Lr);
        LawGridResult Level(string name, double atBest, double elsewhere) => law with
        {
            Law = name,
            Predictions = [.. law.Predictions.Select(p => p with { Predicted = bestLr.GetValueOrDefault(p.Run.Horizon, double.NaN) == p.Run.Lr ? atBest : elsewhere })],
        };
        var toBest = EnsembleGrid.CombineAxes(EnsembleGrid.Axes, [law, law], Level("level-best", 3.0, 6.0));
        var away = EnsembleGrid.CombineAxes(EnsembleGrid.Axes, [law, law], Level("level-away", 6.0, 3.0));
        // Within an LR nothing changes; across LRs the level's best LR comes first, its candidates in the members' order there.
        Assert.Equal(law.ByGroup, toBest.ByGroup);
        Assert.Equal(law.ByGroup, away.ByGroup);
        Assert.True(toBest.AcrossLrs.Groups > 0);
        Assert.Equal((toBest.AtBestLr.Top1Hits, toBest.AtBestLr.Top2Hits), (toBest.AcrossLrs.Top1Hits, toBest.AcrossLrs.Top2Hits));
        Assert.Equal(0, away.AcrossLrs.Top1Hits);
        Assert.True(toBest.AcrossLrs.Top1Hits > 0, "the members order the best LR's candidates right at least once");
    }

    [Fact]
    public void MembersOverDifferentRunsAreRefused()
    {
        var law = Tissue.Value;
        var fewer = law with { Law = "short", Predictions = [.. law.Predictions.Skip(1)] };
        var e = Assert.Throws<ArgumentException>(() => EnsembleGrid.Combine("ensemble", [law, fewer], EnsembleRule.Borda));
        Assert.Contains("short", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => EnsembleGrid.Combine("ensemble", [], EnsembleRule.Borda));
    }

    [Fact]
    public void HeldOutTailsCoverTheTrainingRunsOnlyAndWeightsKeepOneLawsRanking()
    {
        var runs = ScheduleGridTests.Grid();
        var options = new GridOptions { TrainFraction = 0.5 };
        var (train, heldOut, _) = ScheduleGrid.Split(ScheduleGrid.Order(runs), 0.5);
        var tails = ScheduleGrid.HeldOutTailErrors(runs, "tissue", options);
        Assert.Equal(train.OrderBy(r => r.Name, StringComparer.Ordinal), tails.Keys.OrderBy(r => r.Name, StringComparer.Ordinal));
        Assert.DoesNotContain(heldOut, tails.ContainsKey);
        Assert.All(tails.Values, e => Assert.True(double.IsFinite(e) && e >= 0 && e < 0.05, $"tail error {e}"));

        // The weights of a set: the inverse square of the mean error at the set's LRs.
        double lr = train[0].Lr;
        var atLr = tails.Where(kv => kv.Key.Lr == lr).Select(kv => kv.Value).ToList();
        Assert.Equal(HeldOutTail.Weight(atLr.Average()), Assert.Single(EnsembleGrid.Weights([tails], [lr])), 1e-9);

        var law = Tissue.Value;
        SameRanking(law, EnsembleGrid.CombineWeighted("w", [law], [tails]));
        // A second member whose tails failed (weight 0) changes nothing; a map per member is required.
        var reversed = law with { Law = "reversed", Predictions = [.. law.Predictions.Select(p => p with { Predicted = 10 - p.Predicted })] };
        var failed = tails.ToDictionary(kv => kv.Key, _ => double.PositiveInfinity);
        SameRanking(law, EnsembleGrid.CombineWeighted("w", [law, reversed], [tails, failed]));
        Assert.Throws<ArgumentException>(() => EnsembleGrid.CombineWeighted("w", [law, reversed], [tails]));
        Assert.Throws<ArgumentException>(() => ScheduleGrid.HeldOutTailErrors(runs, "tissue", options with { MplWideStarts = true }));
    }
}
