using HyperLaws.Evaluation;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>
/// The ensemble ranker of docs/VALIDATION.md "Protocol 3: ranking by a declared ensemble of laws": one law gives that law's own
/// order (lowest prediction first, ties by name, non-finite last), the scale-free mean ignores a law's scale and the Borda count
/// any increasing transform of a law, and every tie is broken the same way whatever the input order.
/// </summary>
public sealed class EnsembleRankingTests
{
    private static readonly EnsembleRule[] Rules = [EnsembleRule.ScaleFreeMean, EnsembleRule.Borda];

    /// <summary>A single law's order as protocol 3 ranks it (ScheduleRanking.ByPredicted): by prediction, non-finite last, then by name.</summary>
    private static int[] LawOrder(IReadOnlyList<double> p, IReadOnlyList<string> names) =>
        [.. Enumerable.Range(0, names.Count).OrderBy(c => double.IsFinite(p[c]) ? p[c] : double.PositiveInfinity).ThenBy(c => names[c], StringComparer.Ordinal)];

    private static string[] Named(IReadOnlyList<string> names, int[] order) => [.. order.Select(c => names[c])];

    [Fact]
    public void OneLawGivesThatLawsOrder()
    {
        string[] names = ["wsd-0.8", "wsd-0.2", "cos", "sqrt-0.2", "wsd-0.4", "wsd-0.6", "nan"];
        double[] p = [3.301, 3.299, 3.305, 3.299, 3.297, double.NaN, double.PositiveInfinity];   // a tie at 3.299, two non-finite
        foreach (var rule in Rules)
            Assert.Equal(Named(names, LawOrder(p, names)), Named(names, EnsembleRanking.Order([p], names, rule)));
        Assert.Equal(["wsd-0.4", "sqrt-0.2", "wsd-0.2", "wsd-0.8", "cos", "nan", "wsd-0.6"], Named(names, EnsembleRanking.Order([p], names, EnsembleRule.ScaleFreeMean)));
    }

    [Fact]
    public void OneLawGivesThatLawsOrderOnRandomSets()
    {
        var random = new Random(20261206);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = random.Next(2, 9);
            string[] names = [.. Enumerable.Range(0, n).Select(i => $"run{random.Next(100):D2}-{i}")];
            double[] p = [.. Enumerable.Range(0, n).Select(_ => 3.2 + 0.01 * random.Next(5))];   // ties on purpose
            foreach (var rule in Rules)
                Assert.Equal(LawOrder(p, names), EnsembleRanking.Order([p], names, rule));
        }
    }

    [Fact]
    public void TheScaleFreeMeanIgnoresALawsScaleAndBordaAnyIncreasingTransform()
    {
        string[] names = ["a", "b", "c", "d", "e"];
        double[] tissue = [3.300, 3.296, 3.298, 3.303, 3.297];
        double[] mpl = [3.310, 3.320, 3.305, 3.301, 3.330];
        double[] optlaw = [3.281, 3.279, 3.284, 3.280, 3.286];
        var before = EnsembleRanking.Order([tissue, mpl, optlaw], names, EnsembleRule.ScaleFreeMean);
        double[] scaled = [.. mpl.Select(v => 7.3 * v)];
        Assert.Equal(before, EnsembleRanking.Order([tissue, scaled, optlaw], names, EnsembleRule.ScaleFreeMean));
        // Multiplying every law by one constant changes no score at all.
        Assert.Equal(EnsembleRanking.ScaleFreeScores([tissue, mpl, optlaw], names),
            EnsembleRanking.ScaleFreeScores([[.. tissue.Select(v => 0.5 * v)], [.. mpl.Select(v => 0.5 * v)], [.. optlaw.Select(v => 0.5 * v)]], names));

        var borda = EnsembleRanking.Order([tissue, mpl, optlaw], names, EnsembleRule.Borda);
        double[] transformed = [.. mpl.Select(v => Math.Exp(40 * (v - 3.3)))];
        Assert.Equal(EnsembleRanking.BordaPoints([tissue, mpl, optlaw], names), EnsembleRanking.BordaPoints([tissue, transformed, optlaw], names));
        Assert.Equal(borda.Length, names.Length);
    }

    [Fact]
    public void TheRulesCombineAsStated()
    {
        // Law 1 ranks a < b < c, law 2 (ten times the spread) c < b < a: the scale-free mean follows the law with the larger
        // relative spread, Borda gives each law one vote per rank.
        string[] names = ["a", "b", "c"];
        double[] one = [3.00, 3.01, 3.02];
        double[] two = [3.30, 3.20, 3.10];
        double[] score = EnsembleRanking.ScaleFreeScores([one, two], names);
        Assert.Equal((3.00 / 3.01 + 3.30 / 3.20) / 2, score[0], 1e-14);
        Assert.Equal(["c", "b", "a"], Named(names, EnsembleRanking.Order([one, two], names, EnsembleRule.ScaleFreeMean)));
        Assert.Equal([4.0, 4.0, 4.0], EnsembleRanking.BordaPoints([one, two], names));
        // All three tie on points: the scale-free score decides.
        Assert.Equal(["c", "b", "a"], Named(names, EnsembleRanking.Order([one, two], names, EnsembleRule.Borda)));
        Assert.Equal([3, 2, 1], EnsembleRanking.Positions([one, two], names, EnsembleRule.Borda));
    }

    [Fact]
    public void TiesAreBrokenByNameWhateverTheInputOrder()
    {
        string[] names = ["wsd-0.4", "wsd-0.2", "cos", "wsd-0.6"];
        double[] one = [3.3, 3.3, 3.4, 3.3];
        double[] two = [3.1, 3.1, 3.0, 3.1];
        int[] permutation = [2, 3, 0, 1];
        foreach (var rule in Rules)
        {
            var order = Named(names, EnsembleRanking.Order([one, two], names, rule));
            string[] shuffledNames = [.. permutation.Select(i => names[i])];
            var shuffled = Named(shuffledNames, EnsembleRanking.Order([permutation.Select(i => one[i]).ToArray(), permutation.Select(i => two[i]).ToArray()], shuffledNames, rule));
            Assert.Equal(order, shuffled);
            Assert.Equal(["wsd-0.2", "wsd-0.4", "wsd-0.6"], order.Where(n => n != "cos"));
        }
    }

    [Fact]
    public void ANonFiniteMemberRanksItsCandidateLastAndALawWithNothingIsLeftOut()
    {
        string[] names = ["a", "b", "c"];
        double[] one = [3.0, 3.1, 3.2];
        double[] broken = [3.5, double.NaN, 3.4];
        double[] silent = [double.NaN, double.NaN, double.NaN];
        foreach (var rule in Rules)
        {
            Assert.Equal("b", names[EnsembleRanking.Order([one, broken], names, rule)[^1]]);
            Assert.Equal(EnsembleRanking.Order([one], names, rule), EnsembleRanking.Order([one, silent], names, rule));
            Assert.Equal([0, 1, 2], EnsembleRanking.Order([silent], names, rule));   // nothing known: by name
        }
    }

    [Fact]
    public void BadInputIsRefused()
    {
        string[] names = ["a", "b"];
        Assert.Throws<ArgumentException>(() => EnsembleRanking.Order([], names, EnsembleRule.ScaleFreeMean));
        Assert.Throws<ArgumentException>(() => EnsembleRanking.Order([[3.0]], names, EnsembleRule.Borda));
        var e = Assert.Throws<ArgumentException>(() => EnsembleRanking.Order([[-1.0, 0.5]], names, EnsembleRule.ScaleFreeMean));
        Assert.Contains("positive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EqualWeightsGiveTheScaleFreeMeanAndAZeroWeightLeavesALawOut()
    {
        string[] names = ["a", "b", "c", "d", "e"];
        double[] tissue = [3.300, 3.296, 3.298, 3.303, 3.297];
        double[] mpl = [3.310, 3.320, 3.305, 3.301, 3.330];
        double[] optlaw = [3.281, 3.279, 3.284, 3.280, 3.286];
        IReadOnlyList<double>[] laws = [tissue, mpl, optlaw];
        Assert.Equal(EnsembleRanking.ScaleFreeScores(laws, names), EnsembleRanking.WeightedScores(laws, names, [1.0, 1.0, 1.0]));
        Assert.Equal(EnsembleRanking.Order(laws, names, EnsembleRule.ScaleFreeMean), EnsembleRanking.WeightedOrder(laws, names, [2.5, 2.5, 2.5]));
        // Weight 0 for two laws: the third's own order.
        Assert.Equal(EnsembleRanking.Order([mpl], names, EnsembleRule.ScaleFreeMean), EnsembleRanking.WeightedOrder(laws, names, [0, 1e4, 0]));
        // No positive weight: every law counts equally.
        Assert.Equal(EnsembleRanking.Order(laws, names, EnsembleRule.ScaleFreeMean), EnsembleRanking.WeightedOrder(laws, names, [0, 0, 0]));
        // A law with a hundred times the weight of the others decides where they disagree.
        Assert.Equal("d", names[EnsembleRanking.WeightedOrder(laws, names, [1, 100, 1])[0]]);
        Assert.Equal([3, 4, 2, 1, 5], EnsembleRanking.WeightedPositions([mpl, tissue], names, [1, 0]));
    }

    [Fact]
    public void WeightsMustBeOnePerLawFiniteAndNotNegative()
    {
        string[] names = ["a", "b"];
        IReadOnlyList<double>[] laws = [[3.0, 3.1], [3.2, 3.1]];
        Assert.Throws<ArgumentException>(() => EnsembleRanking.WeightedScores(laws, names, [1.0]));
        Assert.Throws<ArgumentException>(() => EnsembleRanking.WeightedScores(laws, names, [1.0, -1.0]));
        Assert.Throws<ArgumentException>(() => EnsembleRanking.WeightedScores(laws, names, [1.0, double.PositiveInfinity]));
        // A law without a finite prediction in the set is left out whatever its weight.
        Assert.Equal([1, 2], EnsembleRanking.WeightedPositions([[3.0, 3.1], [double.NaN, double.NaN]], names, [1, 1e6]));
    }
    [Fact]
    public void AxisScoresAtOneLrAreTheTwoFamiliesHalfEach()
    {
        string[] names = ["a", "b", "c"];
        double[] lrs = [1e-3, 1e-3, 1e-3];
        IReadOnlyList<double>[] perLr = [[3.0, 3.3, 3.6], [3.2, 3.2, 2.6]];
        double[] pooled = [4.0, 3.0, 5.0];
        var score = EnsembleRanking.AxisScores(perLr, pooled, [double.NaN, double.NaN, double.NaN], lrs, names);
        // family: ((3.0/3.3 - 1) + (3.2/3.0 - 1)) / 2 for "a"; pooled 4/4 - 1 = 0; half each; no LR axis at one LR (the level ignored).
        double family = ((3.0 / 3.3 - 1) + (3.2 / 3.0 - 1)) / 2;
        Assert.Equal(0.5 * family, score[0], 12);
        Assert.Equal(0.5 * (((3.6 / 3.3 - 1) + (2.6 / 3.0 - 1)) / 2) + 0.5 * (5.0 / 4.0 - 1), score[2], 12);
        // The pooled member weighs as much as the whole per-LR family, not as one of four: three per-LR members prefer x by 1%
        // each, the pooled one y by 2%; the equal mean of four picks x, the two families y.
        string[] two = ["x", "y"];
        IReadOnlyList<double>[] three = [[2.97, 3.03], [2.97, 3.03], [2.97, 3.03]];
        double[] other = [3.06, 2.94];
        Assert.Equal([2, 1], EnsembleRanking.AxisPositions(three, other, [1, 1], [1e-3, 1e-3], two));
        Assert.Equal([1, 2], EnsembleRanking.Positions([.. three, other], two, EnsembleRule.ScaleFreeMean));
    }

    [Fact]
    public void AcrossLrsOnlyThePooledLevelOrdersAndWithinAnLrTheFamiliesDo()
    {
        string[] names = ["cos", "wsd"];
        double[] lrs = [2e-3, 1e-3];
        // One candidate per LR: every within-LR contrast is 0, so the per-LR members (which prefer cos) say nothing; the pooled level does.
        IReadOnlyList<double>[] perLr = [[3.0, 3.5], [3.1, 3.4]];
        Assert.Equal([2, 1], EnsembleRanking.AxisPositions(perLr, [3.0, 3.6], [3.30, 3.29], lrs, names));
        Assert.Equal([1, 2], EnsembleRanking.AxisPositions(perLr, [3.0, 3.6], [3.29, 3.30], lrs, names));
        // Two LRs, two candidates at one: the level of each LR is its mean pooled level; within 1e-3 the families order const and wsd.
        string[] three = ["const", "cos", "wsd"];
        double[] lr3 = [1e-3, 2e-3, 1e-3 * (1 + 1e-12)];
        var s = EnsembleRanking.AxisScores([[3.4, 3.0, 3.2]], [3.5, 3.0, 3.3], [3.40, 3.20, 3.20], lr3, three);
        Assert.Equal(3.20 / (9.8 / 3) - 1, s[1], 12);
        Assert.Equal(3.30 / (9.8 / 3) - 1 + 0.5 * (3.4 / 3.3 - 1) + 0.5 * (3.5 / 3.4 - 1), s[0], 12);
        Assert.True(s[2] < s[0]);
        // No finite level at two LRs: the plain scale-free mean over the members (the LR axis is unknown).
        Assert.Equal(EnsembleRanking.ScaleFreeScores([[3.0, 3.5], [3.1, 3.4], [3.0, 3.6]], names),
            EnsembleRanking.AxisScores(perLr, [3.0, 3.6], [double.NaN, 3.3], lrs, names));
        // A level that is not a loss (zero or negative) is no level either: the same fallback.
        Assert.Equal(EnsembleRanking.ScaleFreeScores([[3.0, 3.5], [3.1, 3.4], [3.0, 3.6]], names),
            EnsembleRanking.AxisScores(perLr, [3.0, 3.6], [-0.5, 3.3], lrs, names));
        Assert.Equal(EnsembleRanking.ScaleFreeScores([[3.0, 3.5], [3.1, 3.4], [3.0, 3.6]], names),
            EnsembleRanking.AxisScores(perLr, [3.0, 3.6], [3.3, 0], lrs, names));
        // No candidates: no scores.
        Assert.Empty(EnsembleRanking.AxisScores([[]], [], [], [], []));
        Assert.Empty(EnsembleRanking.AxisPositions([], [], [], [], []));
    }

    [Fact]
    public void AxisScoresLeaveOutAMemberWithNothingAtAnLrAndRankItsGapsLast()
    {
        string[] names = ["a", "b", "c"];
        double[] lrs = [1e-3, 1e-3, 1e-3];
        // The first per-LR member has no finite prediction: the family is the second alone.
        var s = EnsembleRanking.AxisScores([[double.NaN, double.NaN, double.NaN], [3.0, 3.3, 3.6]], [3.3, 3.3, 3.3], [1, 1, 1], lrs, names);
        Assert.Equal(0.5 * (3.0 / 3.3 - 1), s[0], 12);
        // A member left in with one non-finite prediction ranks that candidate last.
        Assert.Equal([2, 1, 3], EnsembleRanking.AxisPositions([[3.0, 2.9, double.NaN]], [3.3, 3.2, 3.0], [1, 1, 1], lrs, names));
        // Neither family at the LR: 0 for every candidate, the names decide.
        Assert.Equal([1, 2, 3], EnsembleRanking.AxisPositions([[double.NaN, double.NaN, double.NaN]], [double.NaN, double.NaN, double.NaN], [1, 1, 1], lrs, names));
        Assert.Throws<ArgumentException>(() => EnsembleRanking.AxisScores([[3.0, 3.1]], [3.0, 3.1, 3.2], [1, 1, 1], lrs, names));
        Assert.Throws<ArgumentException>(() => EnsembleRanking.AxisScores([[-3.0, -3.1, -3.2]], [3.0, 3.1, 3.2], [1, 1, 1], lrs, names));
    }
}
