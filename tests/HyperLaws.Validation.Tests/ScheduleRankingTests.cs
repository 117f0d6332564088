using Xunit;

namespace HyperLaws.Validation.Tests;

public sealed class ScheduleRankingTests
{
    private static RankedCandidate C(string name, double actual, double predicted) => new(name, actual, predicted);

    [Fact]
    public void HitRatesOnAHandBuiltExample()
    {
        RankingGroup[] groups =
        [
            // Predicted order a3, a2, a1; the best is a2: a top-2 hit, not a top-1 hit.
            new("A", [C("a1", 3.0, 3.10), C("a2", 2.9, 3.05), C("a3", 3.1, 3.00)]),
            // Predicted order b1, b2; the best is b1: both.
            new("B", [C("b1", 2.5, 2.4), C("b2", 2.6, 2.5)]),
            // One candidate: not counted.
            new("C", [C("c1", 1.0, 9.0)]),
            // Predicted order d3, d2, d1; the best is d1, predicted worst: neither.
            new("D", [C("d1", 1.0, 2.0), C("d2", 1.1, 1.5), C("d3", 1.2, 1.0)]),
        ];
        Assert.Equal([2, 1, 1, 3], groups.Select(g => g.PredictedRankOfBest));
        var h = ScheduleRanking.Score(groups);
        Assert.Equal(new HitRates(Groups: 3, Top1Hits: 1, Top2Hits: 2, Skipped: 1), h);
        Assert.Equal(1 / 3.0, h.Top1, 12);
        Assert.Equal(2 / 3.0, h.Top2, 12);
        Assert.Equal("a2", groups[0].ActualBest.Name);
        Assert.Equal("a3", groups[0].PredictedBest.Name);
    }

    [Fact]
    public void PairwiseCountsThePairsOrderedAsTheirActualLossesAndSkipsTies()
    {
        RankingGroup[] groups =
        [
            // Predicted order a3, a2, a1; actual a2 < a1 < a3: (a2, a1) right, (a3, a2) and (a3, a1) wrong.
            new("A", [C("a1", 3.0, 3.10), C("a2", 2.9, 3.05), C("a3", 3.1, 3.00)]),
            // One pair, right.
            new("B", [C("b1", 2.5, 2.4), C("b2", 2.6, 2.5)]),
            // Equal actual losses: not counted.
            new("C", [C("c1", 1.0, 1.0), C("c2", 1.0, 2.0)]),
            // A non-finite prediction ranks last: d1 (actually best) is wrong against d2.
            new("D", [C("d1", 1.0, double.NaN), C("d2", 1.1, 5.0)]),
            // One candidate: no pair.
            new("E", [C("e1", 1.0, 9.0)]),
        ];
        Assert.Equal((2, 5), ScheduleRanking.Pairwise(groups));
        Assert.Equal((0, 0), ScheduleRanking.Pairwise([]));
    }

    [Fact]
    public void NoCountedGroupGivesNaNRates()
    {
        var h = ScheduleRanking.Score([new RankingGroup("only", [C("x", 1, 1)])]);
        Assert.Equal(0, h.Groups);
        Assert.Equal(1, h.Skipped);
        Assert.True(double.IsNaN(h.Top1) && double.IsNaN(h.Top2));
    }

    [Fact]
    public void ANonFinitePredictionRanksLast_AndTiesGoByName()
    {
        var failed = new RankingGroup("g", [C("best", 1.0, double.NaN), C("other", 1.1, 5.0), C("third", 1.2, 6.0)]);
        Assert.Equal(3, failed.PredictedRankOfBest);
        Assert.Equal("other", failed.PredictedBest.Name);
        var tie = new RankingGroup("t", [C("b", 1.0, 2.0), C("a", 1.1, 2.0)]);
        Assert.Equal("a", tie.PredictedBest.Name);
        Assert.Equal(2, tie.PredictedRankOfBest);
        Assert.Throws<ArgumentException>(() => ScheduleRanking.Score([new RankingGroup("bad", [C("x", double.NaN, 1), C("y", 1, 1)])]));
    }

    [Fact]
    public void GroupKeepsTheOrderOfFirstAppearance()
    {
        var items = new[] { ("S=2 lr=1", "r1", 3.0), ("S=1 lr=1", "r2", 2.0), ("S=2 lr=1", "r3", 1.0) };
        var groups = ScheduleRanking.Group(items, i => i.Item1, i => C(i.Item2, i.Item3, i.Item3));
        Assert.Equal(["S=2 lr=1", "S=1 lr=1"], groups.Select(g => g.Key));
        Assert.Equal(["r1", "r3"], groups[0].Candidates.Select(c => c.Name));
    }
}
