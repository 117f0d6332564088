using HyperLaws.Evaluation;
using HyperLaws.Laws.Joint;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>
/// <see cref="LrEnsemble.Fit"/> (the fit <c>rank --ranker ensemble-lr</c> uses) against protocol 3's own path (<see cref="ScheduleGrid"/>
/// anchored per LR and pooled, <see cref="EnsembleGrid.CombineAxes"/>) on the synthetic grid of <see cref="ScheduleGridTests"/>: the
/// same member predictions of every held-out run, and the same ensemble-lr order of every candidate set.
/// </summary>
public sealed class LrEnsembleTests
{
    private const double Fraction = 0.5;

    private sealed record Both(IReadOnlyList<LawGridResult> PerLr, IReadOnlyList<LawGridResult> Pooled, List<GridRun> HeldOut, LrEnsembleFit Fit);

    private static readonly Lazy<Both> Result = new(() =>
    {
        var runs = ScheduleGridTests.Grid();
        var options = new GridOptions { TrainFraction = Fraction, Anchored = true };
        // As EnsembleGrid.Run fits them: the per-LR members anchored, the joint law pooled with p fitted, anchored.
        var perLr = ScheduleGrid.Run(runs, LrEnsemble.PerLrMembers, options).Laws;
        var pooled = ScheduleGrid.Run(runs, ["joint"], options with { Pooled = true, Joint = new JointFitOptions { FitNoisePower = true } }).Laws;
        var (train, heldOut, _) = ScheduleGrid.Split(ScheduleGrid.Order(runs), Fraction);
        var final = train.ToDictionary(g => g.Run, g => g.FinalLoss);
        var fit = LrEnsemble.Fit([.. train.Select(g => g.Run)], r => final[r], LossSplit.Validation);
        return new Both(perLr, pooled, heldOut, fit);
    });

    private static LawGridResult Law(IReadOnlyList<LawGridResult> laws, string name) => laws.Single(l => l.Law == name);

    [Fact]
    public void Every_member_predicts_each_held_out_run_as_protocol_3_does()
    {
        var (perLr, pooled, heldOut, fit) = Result.Value;
        Assert.Equal([1e-3, 2e-3], fit.Lrs);
        foreach (var run in heldOut)
        {
            var p = fit.Predict(run.Run.LearningRates);
            for (int l = 0; l < LrEnsemble.PerLrMembers.Count; l++)
            {
                var expected = Law(perLr, LrEnsemble.PerLrMembers[l] + ScheduleGrid.AnchoredSuffix).Predictions.Single(q => q.Run == run).Predicted;
                Assert.Equal(expected, p.PerLr[l], 12);
            }
            Assert.Equal(Law(pooled, "joint" + ScheduleGrid.AnchoredSuffix).Predictions.Single(q => q.Run == run).Predicted, p.Pooled, 12);
            Assert.Equal(Law(pooled, "joint").Predictions.Single(q => q.Run == run).Predicted, p.Level, 12);
        }
    }

    [Fact]
    public void The_order_of_every_candidate_set_is_validates_ensemble_lr_order()
    {
        var (perLr, pooled, heldOut, fit) = Result.Value;
        var anchored = LrEnsemble.PerLrMembers.Select(m => Law(perLr, m + ScheduleGrid.AnchoredSuffix) with { Law = m + ScheduleGrid.AnchoredSuffix })
            .Append(Law(pooled, "joint" + ScheduleGrid.AnchoredSuffix)).ToList();
        var axes = EnsembleGrid.CombineAxes(EnsembleGrid.Axes, anchored, Law(pooled, "joint"));
        // Protocol 3's (horizon, LR) groups: the ranker's key is each candidate's position in ensemble-lr's order of the group.
        Assert.Equal(4, axes.Groups.Count);
        foreach (var group in axes.Groups)
        {
            var validate = group.Candidates.OrderBy(c => c.Predicted).Select(c => c.Name).ToList();
            Assert.Equal(validate, RankOrder(fit, [.. heldOut.Where(r => group.Candidates.Any(c => c.Name == r.Name))]));
        }
        // The sets across LRs (each horizon's held-out runs at both LRs): rank's order is EnsembleRanking.AxisOrder over protocol 3's values.
        foreach (var set in heldOut.GroupBy(r => r.Horizon))
        {
            var runs = set.ToList();
            var names = runs.Select(r => r.Name).ToList();
            IReadOnlyList<double> Values(LawGridResult law) => [.. runs.Select(r => law.Predictions.Single(q => q.Run == r).Predicted)];
            var order = EnsembleRanking.AxisOrder([.. anchored.Take(3).Select(Values)], Values(anchored[3]), Values(Law(pooled, "joint")), [.. runs.Select(r => r.Lr)], names);
            Assert.Equal(order.Select(i => names[i]), RankOrder(fit, runs));
            Assert.Equal(2, runs.Select(r => r.Lr).Distinct().Count());
        }
    }

    [Fact]
    public void The_predicted_loss_is_the_level_plus_the_within_lr_part_and_follows_the_order()
    {
        var (_, _, heldOut, fit) = Result.Value;
        var runs = heldOut.Where(r => r.Horizon == 1200).ToList();
        var ranked = fit.Rank([.. runs.Select(r => fit.Predict(r.Run.LearningRates))], [.. runs.Select(r => r.Name)]);
        var losses = ranked.Select(x => x.PredictedLoss).ToList();
        Assert.Equal(losses.Order(), losses);
        double meanJ = ranked.Average(x => x.Prediction.Level);
        foreach (var x in ranked)
        {
            Assert.Equal(meanJ * (1 + x.Score), x.PredictedLoss, 12);
            Assert.Equal(ranked.Where(y => y.Prediction.Lr == x.Prediction.Lr).Average(y => y.Prediction.Level), x.LevelLoss, 12);
            Assert.Equal(x.PredictedLoss - x.LevelLoss, x.WithinLr, 15);
        }
    }

    /// <summary>A candidate's predictions: the per-LR members optlaw, mpl-g1, tissue (anchored), the pooled one anchored, its own level.</summary>
    private static LrEnsemblePrediction Made(double lr, double optlaw, double mpl, double tissue, double q) =>
        new(lr, [optlaw, mpl, tissue], q, 3.0, [0, 0, 0, 0], 0);

    [Fact]
    public void A_member_with_an_unphysical_prediction_is_left_out_of_every_candidate_of_that_lr_only()
    {
        // At 1e-3, mpl-g1 predicts -5 for the third candidate (not a loss); at 2e-3 every member is physical.
        LrEnsemblePrediction[] made =
        [
            Made(1e-3, 3.00, 3.10, 3.02, 3.01), Made(1e-3, 3.05, 2.90, 3.04, 3.03), Made(1e-3, 2.95, -5, 2.97, 2.96),
            Made(2e-3, 3.00, 3.10, 3.02, 3.01), Made(2e-3, 3.05, 2.90, 3.04, 3.03),
        ];
        var kept = LrEnsemble.DropUnphysical(made, v => v > 0, out var dropped);
        Assert.Equal([new LrEnsembleDrop("mpl-g1-a", 1e-3, 1, 3)], dropped);
        // mpl-g1 is NaN for all three candidates at 1e-3 and untouched at 2e-3; every other value as given.
        Assert.All(kept.Take(3), p => Assert.True(double.IsNaN(p.PerLr[1])));
        Assert.Equal([3.10, 2.90], kept.Skip(3).Select(p => p.PerLr[1]));
        for (int c = 0; c < made.Length; c++)
        {
            Assert.Equal(made[c].PerLr[0], kept[c].PerLr[0]);
            Assert.Equal(made[c].PerLr[2], kept[c].PerLr[2]);
            Assert.Equal(made[c].Pooled, kept[c].Pooled);
            Assert.Equal(made[c].Level, kept[c].Level);
        }
        // Ranked: no candidate is sent last by mpl-g1; at 1e-3 the per-LR family is the mean of optlaw and tissue (renormalised), so
        // the third candidate, lowest of both and of Q, ranks first there.
        string[] names = ["a", "b", "c", "d", "e"];
        var rows = Enumerable.Range(0, 3).Select(l => (IReadOnlyList<double>)[.. kept.Select(p => p.PerLr[l])]).ToList();
        var score = EnsembleRanking.AxisScores(rows, [.. kept.Select(p => p.Pooled)], [.. kept.Select(p => p.Level)], [.. kept.Select(p => p.Lr)], names);
        Assert.All(score, v => Assert.True(double.IsFinite(v)));
        double Contrast(int l, int c) => rows[l][c] / new[] { 0, 1, 2 }.Average(k => rows[l][k]) - 1;
        double Own(int c) => kept[c].Pooled / new[] { 0, 1, 2 }.Average(k => kept[k].Pooled) - 1;
        for (int c = 0; c < 3; c++)
            Assert.Equal(0.5 * (Contrast(0, c) + Contrast(2, c)) / 2 + 0.5 * Own(c), score[c], 12);
        Assert.True(score[2] < score[0] && score[2] < score[1]);
    }

    [Fact]
    public void With_every_member_unphysical_at_an_lr_none_is_left_there()
    {
        LrEnsemblePrediction[] made = [Made(1e-3, 3.0, -1, 3.0, 9.0), Made(1e-3, double.NaN, 3.0, -2, 3.0), Made(2e-3, 3.0, 3.0, 3.0, 3.0)];
        // Physical: in (0, 5]; optlaw is not finite for the second candidate, Q is 9 for the first.
        var kept = LrEnsemble.DropUnphysical(made, v => v > 0 && v <= 5, out var dropped);
        Assert.Equal(["optlaw-a", "mpl-g1-a", "tissue-a", "joint-pooled-p-a"], dropped.Select(d => d.Member));
        Assert.All(dropped, d => Assert.Equal((1e-3, 1, 2), (d.Lr, d.Unphysical, d.Candidates)));
        Assert.All(kept.Take(2), p => Assert.True(p.PerLr.Append(p.Pooled).All(double.IsNaN)));
        Assert.Equal([3.0, 3.0, 3.0, 3.0], kept[2].PerLr.Append(kept[2].Pooled));
    }

    private static List<string> RankOrder(LrEnsembleFit fit, IReadOnlyList<GridRun> runs) =>
        [.. fit.Rank([.. runs.Select(r => fit.Predict(r.Run.LearningRates))], [.. runs.Select(r => r.Name)]).Select(x => runs[x.Index].Name)];
}
