using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// Protocols 3h and 17h (<see cref="LrHoldOut"/>): the pairs counted around the held-out LR, the fold's fit (<see cref="LrEnsemble.Fit"/>
/// with the per-LR fits shared) on the synthetic grid of <see cref="ScheduleGridTests"/>, and <c>rank</c>'s ranking with the member drop
/// (<see cref="LrEnsemble.RankPhysical"/>), which the protocols and <c>rank</c> share.
/// </summary>
public sealed class LrHoldOutTests
{
    private const double Fraction = 0.5;

    private sealed record Folds(LrEnsembleFit Full, LrEnsembleFit Fold, LrEnsembleFit Fresh, List<GridRun> HeldOut, Dictionary<(string Member, double Lr), LawFit> Cache);

    // The full fit (both LRs) with a shared cache of per-LR fits, the fold without 2e-3 from that cache, and the same fold fitted afresh.
    private static readonly Lazy<Folds> Fitted = new(() =>
    {
        var (train, heldOut, _) = ScheduleGrid.Split(ScheduleGrid.Order(ScheduleGridTests.Grid()), Fraction);
        var final = train.ToDictionary(g => g.Run, g => g.FinalLoss);
        var cache = new Dictionary<(string Member, double Lr), LawFit>();
        var full = LrEnsemble.Fit([.. train.Select(g => g.Run)], r => final[r], LossSplit.Validation, perLrFits: cache);
        var kept = train.Where(g => g.Lr != 2e-3).Select(g => g.Run).ToList();
        var fold = LrEnsemble.Fit(kept, r => final[r], LossSplit.Validation, perLrFits: cache);
        var fresh = LrEnsemble.Fit(kept, r => final[r], LossSplit.Validation);
        return new Folds(full, fold, fresh, heldOut, cache);
    });

    [Fact]
    public void Pairs_are_counted_only_where_a_candidate_is_at_the_held_out_lr()
    {
        // a, b at 1e-3 (held out), c, d at 2e-3. Actual: a 3.0 < c 3.1 < b 3.2 < d 3.3 (c and e tie at 3.1).
        RankedCandidate[] candidates = [new("a", 3.0, 0), new("b", 3.2, 0), new("c", 3.1, 0), new("d", 3.3, 0), new("e", 3.1, 0)];
        double[] lrs = [1e-3, 1e-3, 2e-3, 2e-3, 2e-3];
        // Keys order b, a, c, d, e: within (a, b) wrong; across a-c, a-d, a-e right, b-c wrong, b-d right, b-e wrong; c-d-e not counted.
        var p = LrHoldOut.Count("r", 0.5, 1e-3, "set", candidates, lrs, [2, 1, 3, 4, 5]);
        Assert.Equal((0, 1, 4, 6), (p.WithinCorrect, p.WithinPairs, p.AcrossCorrect, p.AcrossPairs));
        Assert.Equal((4, 7), (p.Correct, p.Pairs));
        // A non-finite key is last: order b, c, d, e, a; within b-a wrong; across b-d right, b-c, b-e, c-a, d-a, e-a wrong.
        var q = LrHoldOut.Count("r", 0.5, 1e-3, "set", candidates, lrs, [double.NaN, 1, 2, 3, 4]);
        Assert.Equal((0, 1, 1, 6), (q.WithinCorrect, q.WithinPairs, q.AcrossCorrect, q.AcrossPairs));
        Assert.Equal((0, 0), (q.AcrossSameShapeCorrect, q.AcrossSameShapePairs));
        // Shapes: a and c "x", b and d "y", e "z": the across pairs of one shape are a-c (right) and b-d (right), not a-b (within).
        var s = LrHoldOut.Count("r", 0.5, 1e-3, "set", candidates, lrs, [2, 1, 3, 4, 5], ["x", "y", "x", "y", "z"]);
        Assert.Equal((0, 1, 4, 6, 2, 2), (s.WithinCorrect, s.WithinPairs, s.AcrossCorrect, s.AcrossPairs, s.AcrossSameShapeCorrect, s.AcrossSameShapePairs));
        // Keys that put c before a (order b, c, a, d, e): the x pair c-a wrong, the y pair b-d right.
        var t = LrHoldOut.Count("r", 0.5, 1e-3, "set", candidates, lrs, [3, 1, 2, 4, 5], ["x", "y", "x", "y", "z"]);
        Assert.Equal((1, 2), (t.AcrossSameShapeCorrect, t.AcrossSameShapePairs));
    }

    [Fact]
    public void The_neighbours_bracket_the_lr_in_log_lr_and_the_nearer_one_is_joined_a_tie_the_lower()
    {
        double[] seen = [2e-3, 1e-4, 1e-3];
        var mid = LrEnsemble.Neighbours(5e-4, seen);
        Assert.Equal((1e-4, 1e-3, 1e-3), (mid.Lower, mid.Upper, mid.Joined));
        Assert.Equal(Math.Log(5) / Math.Log(10), mid.UpperWeight, 12);
        Assert.Equal((1 - mid.UpperWeight) * 4 + mid.UpperWeight * 3, mid.Interpolate(4, 3), 12);
        var tie = LrEnsemble.Neighbours(Math.Sqrt(1e-3 * 2e-3), seen);
        Assert.Equal((1e-3, 2e-3, 1e-3), (tie.Lower, tie.Upper, tie.Joined));
        Assert.Equal(0.5, tie.UpperWeight, 12);
        var nearUpper = LrEnsemble.Neighbours(1.9e-3, seen);
        Assert.Equal(2e-3, nearUpper.Joined);
        Assert.Equal(new LrEnsembleNeighbours(2e-3, 2e-3, 0, 2e-3), LrEnsemble.Neighbours(5e-3, seen));
        Assert.Equal(new LrEnsembleNeighbours(1e-4, 1e-4, 0, 1e-4), LrEnsemble.Neighbours(1e-5, seen));
        // Outside the seen range the nearest LR's value alone, even where the other side would be NaN.
        Assert.Equal(4.0, LrEnsemble.Neighbours(5e-3, seen).Interpolate(4, double.NaN));
        Assert.True(double.IsNaN(mid.Interpolate(4, double.NaN)));
        Assert.Throws<ArgumentException>(() => LrEnsemble.Neighbours(1e-3, []));
        Assert.Throws<ArgumentException>(() => LrEnsemble.Neighbours(0, seen));
    }

    [Fact]
    public void Predict_near_is_predict_at_seen_lrs_and_takes_the_nearest_lrs_members_at_an_lr_without_runs()
    {
        var (full, fold, _, heldOut, _) = Fitted.Value;
        int transferred = 0;
        foreach (var g in heldOut)
        {
            // The full fit has every LR: the same record, member by member.
            var (a, b) = (full.Predict(g.Run.LearningRates), full.PredictNear(g.Run.LearningRates));
            Assert.Equal(a.Lr, b.Lr);
            Assert.Equal(a.PerLr, b.PerLr);
            Assert.Equal((a.Pooled, a.Level, a.AnchoredSteps), (b.Pooled, b.Level, b.AnchoredSteps));
            Assert.Equal(a.Residuals, b.Residuals);
            var (p, n) = (fold.Predict(g.Run.LearningRates), fold.PredictNear(g.Run.LearningRates));
            Assert.Equal((p.Pooled, p.Level), (n.Pooled, n.Level));
            if (g.Lr != 2e-3)
            {
                Assert.Equal(p.PerLr, n.PerLr);
                continue;
            }
            // 2e-3 is above the fold's only LR, 1e-3: its members' plain values of the candidate's schedule plus their anchored offsets.
            transferred++;
            Assert.Equal(1e-3, n.Lr);
            var history = new ScheduleHistory(g.Run.LearningRates);
            for (int l = 0; l < LrEnsemble.PerLrMembers.Count; l++)
            {
                var m = fold.PerLr[LrEnsemble.PerLrMembers[l]][1e-3];
                Assert.Equal(m.Fit.Predict(history, [g.Run.LearningRates.Length])[0] + m.AnchoredOffset, n.PerLr[l], 12);
            }
        }
        Assert.True(transferred > 0, "no held-out run at 2e-3: the transfer was not checked");
    }

    [Fact]
    public void Near_interpolates_each_member_in_log_lr_between_the_two_seen_lrs_that_bracket_it()
    {
        // Three seen LRs; a candidate at 2.5e-3 lies between 2e-3 and 4e-3, w = ln 1.25 / ln 2 = 0.32 of the way in log LR: each member's
        // value (1 - w) v(2e-3) + w v(4e-3), ranked in the nearer 2e-3's class; at 3.5e-3 (w = 0.81) in 4e-3's. PredictNear and 17h share it.
        double[] seen = [1e-3, 2e-3, 4e-3];
        var plain = Made(2.5e-3, 9, 9, 9, 9, 2.5);
        static double Value(int member, double lr) => 3 + member + 100 * lr;
        var near = LrEnsemble.Near(plain, 2.5e-3, seen, Value);
        double w = Math.Log(1.25) / Math.Log(2);
        Assert.Equal(2e-3, near.Lr);
        Assert.Equal(LrEnsemble.PerLrMembers.Count, near.PerLr.Count);
        for (int l = 0; l < near.PerLr.Count; l++)
        {
            Assert.Equal((1 - w) * Value(l, 2e-3) + w * Value(l, 4e-3), near.PerLr[l], 12);
            Assert.InRange(near.PerLr[l], Value(l, 2e-3) + 1e-9, Value(l, 4e-3) - 1e-9);
        }
        Assert.Equal((plain.Pooled, plain.Level, plain.Residuals, plain.AnchoredSteps), (near.Pooled, near.Level, near.Residuals, near.AnchoredSteps));
        Assert.Equal(4e-3, LrEnsemble.Near(plain, 3.5e-3, seen, Value).Lr);
        // Outside the seen LRs: the nearest alone.
        Assert.Equal([.. Enumerable.Range(0, 3).Select(l => Value(l, 4e-3))], LrEnsemble.Near(plain, 8e-3, seen, Value).PerLr);
    }

    [Fact]
    public void Near_ranks_a_transferred_candidate_in_the_joined_class_by_both_families()
    {
        // Two candidates at 1e-3 (seen) and one moved there from 2e-3: one class, no LR axis; the score is the families' contrast.
        LrEnsemblePrediction[] p = [Made(1e-3, 3.0, 3.0, 3.0, 3.0, 3.5), Made(1e-3, 3.2, 3.2, 3.2, 3.2, 3.0), Made(1e-3, 3.1, 3.1, 3.1, 3.1, 2.0)];
        var ranked = LrEnsemble.Rank(p, ["a", "b", "t"]);
        Assert.Equal(["a", "t", "b"], ranked.Select(x => new[] { "a", "b", "t" }[x.Index]));
        // Kept at its own LR (2e-3), J alone orders it against the others: its lower J puts it first.
        var own = LrEnsemble.Rank([p[0], p[1], p[2] with { Lr = 2e-3 }], ["a", "b", "t"]);
        Assert.Equal("t", new[] { "a", "b", "t" }[own[0].Index]);
    }

    [Fact]
    public void The_fold_reuses_the_per_lr_fits_and_predicts_as_a_fresh_fit_without_the_held_out_lr()
    {
        var (full, fold, fresh, heldOut, cache) = Fitted.Value;
        Assert.Equal([1e-3, 2e-3], full.Lrs);
        Assert.Equal([1e-3], fold.Lrs);
        Assert.Equal(2 * LrEnsemble.PerLrMembers.Count, cache.Count);
        foreach (string m in LrEnsemble.PerLrMembers) Assert.Same(full.PerLr[m][1e-3].Fit, fold.PerLr[m][1e-3].Fit);
        foreach (var g in heldOut)
        {
            var (a, b) = (fold.Predict(g.Run.LearningRates), fresh.Predict(g.Run.LearningRates));
            Assert.Equal(b.PerLr, a.PerLr);
            Assert.Equal(b.Pooled, a.Pooled, 12);
            Assert.Equal(b.Level, a.Level, 12);
            if (g.Lr != 2e-3) continue;
            // At the held-out LR: no per-LR member, no anchor; Q is the pooled law's value with its anchored offset.
            Assert.All(a.PerLr, v => Assert.True(double.IsNaN(v)));
            Assert.All(a.Residuals, r => Assert.Equal(0.0, r));
            Assert.Equal(a.Level - fold.PooledMember.Offset + fold.PooledMember.AnchoredOffset, a.Pooled, 12);
        }
    }

    [Fact]
    public void At_the_held_out_lr_ensemble_lr_orders_within_it_as_the_pooled_law_does()
    {
        var (_, fold, _, heldOut, _) = Fitted.Value;
        foreach (var set in heldOut.GroupBy(g => g.Horizon))
        {
            var c = set.ToList();
            var ranked = LrEnsemble.Rank([.. c.Select(g => fold.Predict(g.Run.LearningRates))], [.. c.Select(g => g.Name)]);
            var atHeld = ranked.Where(x => c[x.Index].Lr == 2e-3).Select(x => c[x.Index].Name).ToList();
            var byLevel = c.Where(g => g.Lr == 2e-3).OrderBy(g => fold.Predict(g.Run.LearningRates).Level).ThenBy(g => g.Name, StringComparer.Ordinal).Select(g => g.Name).ToList();
            Assert.True(atHeld.Count >= 2);
            Assert.Equal(byLevel, atHeld);
        }
    }

    /// <summary>A candidate's predictions: optlaw, mpl-g1, tissue (anchored), the pooled one anchored (Q), its own level (J).</summary>
    private static LrEnsemblePrediction Made(double lr, double optlaw, double mpl, double tissue, double q, double j = 3.0) =>
        new(lr, [optlaw, mpl, tissue], q, j, [0, 0, 0, 0], 0);

    [Fact]
    public void Rank_physical_drops_a_member_per_lr_sends_an_lr_without_members_last_and_sets_unphysical_levels_aside()
    {
        // At 1e-3 every member gives some candidate a loss of -1 (not physical): no member is left there. At 2e-3 mpl-g1 does only.
        LrEnsemblePrediction[] made =
        [
            Made(1e-3, -1, 3.0, 3.0, 3.0), Made(1e-3, 3.0, -1, -1, -1),
            Made(2e-3, 3.00, 3.10, 3.02, 3.01), Made(2e-3, 3.05, -1, 3.04, 3.03),
        ];
        string[] names = ["a", "b", "c", "d"];
        static bool Physical(double v) => v > 0;
        var screened = LrEnsemble.RankPhysical(made, names, Physical);
        Assert.Equal(2, screened.NoMember);
        Assert.Equal(0, screened.LevelsSetAside);
        Assert.Equal(["c", "d", "a", "b"], screened.Ranked.Select(x => names[x.Index]));
        Assert.All(screened.Ranked.Skip(2), x => Assert.True(double.IsPositiveInfinity(x.Score) && double.IsNaN(x.PredictedLoss)));
        Assert.Contains(new LrEnsembleDrop("mpl-g1-a", 2e-3, 1, 2), screened.Dropped);
        // The order at 2e-3 is that of LrEnsemble.Rank on the predictions with mpl-g1 left out there.
        var kept = LrEnsemble.DropUnphysical(made, Physical, out _);
        Assert.Equal(LrEnsemble.Rank(kept, names).Where(x => x.Index >= 2).Select(x => x.Index), screened.Ranked.Take(2).Select(x => x.Index));

        // A level (J) that is not physical is set aside: the set takes the declared fallback, with no predicted loss.
        LrEnsemblePrediction[] levels = [Made(1e-3, 3.0, 3.0, 3.0, 3.0), Made(2e-3, 3.1, 3.1, 3.1, 3.1, j: -2)];
        var fallback = LrEnsemble.RankPhysical(levels, ["x", "y"], Physical);
        Assert.Equal(1, fallback.LevelsSetAside);
        Assert.All(fallback.Ranked, x => Assert.True(double.IsNaN(x.PredictedLoss)));
    }
}
