using HyperLaws.Divergence;
using HyperLaws.Laws.Joint;
using HyperLaws.Readers;
using HyperLaws.Runs;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>Protocol 24's prediction, bookkeeping and rule on a small hand-made sweep (two AdamW cells, one Muon cell) and hand-made rows.</summary>
public sealed class MarinChangesTests
{
    private static SweepPoint Point(string opt, double d, double lr, double loss, double batch = 64, int warmup = 200) =>
        new(1e8, d, lr, batch, batch * 4096, (int)(d / (batch * 4096)), loss, double.NaN, FormattableString.Invariant($"{opt}-d{d:G3}-lr{lr:G3}-b{batch}-w{warmup}"))
        { Configuration = opt, WarmupSteps = warmup, MinLrRatio = 0 };

    private static SweepTable Table() => new(
    [
        Point("adamw", 2e9, 0.004, 3.64), Point("adamw", 2e9, 0.002, 3.71), Point("adamw", 2e9, 0.008, 3.66),
        Point("adamw", 4e9, 0.004, 3.55), Point("adamw", 4e9, 0.008, 3.57),
        Point("muon", 2e9, 0.016, 3.62), Point("muon", 2e9, 0.008, 3.70), Point("muon", 2e9, 0.032, 3.65),
    ]);

    private static MarinSingleChange Change(MarinChange kind, SweepPoint baseline, double loss, int? warmup = null, double? batch = null, double? minLr = null)
    {
        double b = batch ?? baseline.BatchSizeSequences;
        var row = baseline with
        {
            WarmupSteps = warmup ?? baseline.WarmupSteps, MinLrRatio = minLr ?? baseline.MinLrRatio, BatchSizeSequences = b, BatchTokens = b * 4096,
            Iterations = (int)(baseline.D / (b * 4096)), Loss = loss, Name = baseline.Name + "-" + kind,
        };
        return new MarinSingleChange(kind, baseline, row);
    }

    private static IReadOnlyList<MarinSingleChange> Rows()
    {
        var t = Table().Points;
        return
        [
            Change(MarinChange.Warmup, t[0], 3.65, warmup: 800), Change(MarinChange.Warmup, t[0], 9.0, warmup: 10),
            Change(MarinChange.Batch, t[3], 3.60, batch: 128), Change(MarinChange.MinLr, t[3], 3.548, minLr: 0.1),
            Change(MarinChange.Batch, t[5], 3.66, batch: 128),
        ];
    }

    [Fact]
    public void A_row_is_the_baseline_plus_the_laws_change_and_the_batch_variant_scores_the_batch_rows_only()
    {
        var r = MarinChanges.Run(Table(), Rows());
        // AdamW first, then Muon; the default variant for every row, b_eta held for the batch rows of each optimizer.
        Assert.Equal(["adamw", "adamw", "adamw", "adamw", "adamw", "muon", "muon"], r.Rows.Select(x => x.Optimizer).ToList());
        Assert.Equal(5, r.Rows.Count(x => x.Variant == MarinChanges.Default));
        Assert.All(r.Rows.Where(x => x.Variant == MarinChanges.HeldBatch), x => Assert.Equal(MarinChange.Batch, x.Change));
        var warmup = r.Rows[0];
        Assert.Equal(("adamw 1E+08 1x", 800.0, 200.0, 3.64, 3.65), (warmup.Cell, warmup.Value, warmup.BaselineValue, warmup.BaselineLoss, warmup.Actual));
        Assert.True(double.IsFinite(warmup.Predicted) && Math.Abs(warmup.Predicted - 3.64) < 0.5);
        // A diverged row (above 2x the cell's best) is kept apart; a batch row's two variants predict differently (b_eta moves its LR units).
        Assert.True(r.Rows[1].Diverged);
        var batch = r.Rows.Where(x => x.Optimizer == "adamw" && x.Change == MarinChange.Batch).ToList();
        Assert.Equal(2, batch.Count);
        Assert.NotEqual(batch[0].Predicted, batch[1].Predicted);
        // A row that changes nothing is predicted as its baseline's loss exactly: the law's change is f(b) - f(b).
        var t = Table().Points;
        var same = MarinChanges.Run(Table(), [Change(MarinChange.Warmup, t[0], 3.70, warmup: 200)]).Rows.Single();
        Assert.Equal(3.64, same.Predicted, 12);
        Assert.False(same.SignAgrees);
    }

    [Fact]
    public void The_scores_name_every_kind_and_an_optimizer_without_rows_is_an_error()
    {
        var r = MarinChanges.Run(Table(), Rows(), "MUON");
        Assert.Equal([(MarinChange.Warmup, MarinChanges.Default, 0), (MarinChange.MinLr, MarinChanges.Default, 0), (MarinChange.Batch, MarinChanges.Default, 1), (MarinChange.Batch, MarinChanges.HeldBatch, 1)],
            r.Scores.Select(s => (s.Change, s.Variant, s.Rows.Count)).ToList());
        Assert.All(r.Scores, s => Assert.Null(s.Passes)); // under 3 finite rows: no verdict
        var e = Assert.Throws<ValidationDataException>(() => MarinChanges.Run(Table(), Rows(), "lion"));
        Assert.Equal("the optimizer 'lion' has no row that changes the warmup, the final LR ratio or the batch alone (those with such rows: adamw, muon).", e.Message);
        Assert.Throws<ValidationDataException>(() => MarinChanges.Run(Table(), []));
    }

    private static MarinChangeRow Row(double baseline, double actual, double predicted, bool diverged = false) =>
        new("adamw", "c", MarinChange.Batch, MarinChanges.Default, 256, 128, baseline, actual, predicted, diverged, "r");

    [Fact]
    public void The_rule_needs_three_finite_rows_a_lower_mean_error_and_two_thirds_of_the_signs()
    {
        static MarinChangeScore Score(params MarinChangeRow[] rows) => new("adamw", MarinChange.Batch, MarinChanges.Default, rows);
        // Three rows, the law nearer each and of the right sign: met.
        Assert.True(Score(Row(3.0, 3.1, 3.09), Row(3.0, 2.9, 2.95), Row(3.0, 3.2, 3.15)).Passes);
        // Two of three signs (the third wrong but the mean error still lower): met at exactly 2/3.
        Assert.True(Score(Row(3.0, 3.1, 3.09), Row(3.0, 3.2, 3.19), Row(3.0, 3.01, 2.999)).Passes);
        // One of three signs: not met, though the mean error is lower.
        Assert.False(Score(Row(3.0, 3.1, 3.09), Row(3.0, 3.01, 2.999), Row(3.0, 3.02, 2.999)).Passes);
        // Every sign right but the law's changes too large: the mean error above no change's, not met.
        Assert.False(Score(Row(3.0, 3.01, 3.3), Row(3.0, 3.02, 3.3), Row(3.0, 3.03, 3.3)).Passes);
        // A tie (within 0.001 of the baseline) has no sign and is left out of the count: 2 of 2 signed rows.
        var tie = Score(Row(3.0, 3.1, 3.09), Row(3.0, 3.2, 3.19), Row(3.0, 3.001, 2.9999));
        Assert.Equal((1, 2), (tie.Ties, tie.SignsAgreed));
        Assert.True(tie.Passes);
        // A diverged row is apart: two finite rows left, no verdict.
        var apart = Score(Row(3.0, 3.1, 3.09), Row(3.0, 3.2, 3.19), Row(3.0, double.PositiveInfinity, 3.0, diverged: true));
        Assert.Equal((2, 1), (apart.Finite.Count, apart.Diverged.Count));
        Assert.Null(apart.Passes);
        // Every finite row a tie: no sign to test, so no verdict (the 2/3 rule would pass vacuously).
        var ties = Score(Row(3.0, 3.001, 2.9), Row(3.0, 2.999, 2.9), Row(3.0, 3.0, 2.9));
        Assert.Equal((3, 0), (ties.Ties, ties.Finite.Count - ties.Ties));
        Assert.Null(ties.Passes);
        // 0.0011 from the baseline is past the tables' rounding: a signed row, not a tie.
        Assert.False(Row(3.0, 3.0011, 3.01).IsTie);
        Assert.True(Row(3.0, 3.0011, 3.01).SignAgrees);
        Assert.False(Row(3.0, 2.9989, 3.01).IsTie);
        // A change that is NaN (an infinite baseline) has no sign: false, not Math.Sign's ArithmeticException.
        Assert.False(Row(double.PositiveInfinity, 3.1, double.PositiveInfinity).SignAgrees);
        Assert.False(Row(3.0, 3.1, double.NaN).SignAgrees);
    }

    [Fact]
    public void A_diverged_baseline_is_refused_naming_its_source()
    {
        var t = Table().Points;
        var baseline = t[0] with { Loss = double.PositiveInfinity, Source = "t.tex:6" };
        var e = Assert.Throws<ValidationDataException>(() => MarinChanges.Run(Table(), [Change(MarinChange.Warmup, baseline, 3.65, warmup: 800)]));
        Assert.StartsWith("t.tex:6: the baseline's loss is not finite", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_prediction_is_the_baseline_plus_an_independent_refits_change()
    {
        // Refit the law here as protocol 24 declares (the finite baseline and LR runs of every cell of the optimizer, an offset per
        // cell) and check each default-variant row against L(b) + f(row) - f(b) of that fit.
        var assumption = new SweepScheduleAssumption();
        var cells = Table().Cells.Where(c => c.Configuration == "adamw").ToList();
        var curves = cells.SelectMany(c => SweepFinite.Of(c.Points, p => p.Loss, p => p.LearningRate, SweepDivergenceLabel.TwiceBest)
            .OrderBy(p => p.LearningRate).Select(p => StepLawJoint.Curve(p, assumption, p.Loss) with { Group = LrSweepHoldOut.Label(c) })).ToList();
        var fit = JointLawFitter.Fit(curves, LrSweepHoldOut.DefaultOptions);
        var law = (JointLaw)fit.Law;
        double[] p = [.. fit.Parameters];
        double F(SweepPoint x)
        {
            var c = StepLawJoint.Curve(x, assumption, 1);
            var y = new double[1];
            law.Predict(p, c.History, c.ModelSize, c.BatchTokens, c.Steps, y, c.Stride);
            return y[0];
        }
        var rows = Rows().Where(r => r.Baseline.Configuration == "adamw").ToList();
        var scored = MarinChanges.Run(Table(), Rows(), "adamw").Rows.Where(x => x.Variant == MarinChanges.Default).ToList();
        Assert.Equal(rows.Count, scored.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            double expected = rows[i].Baseline.Loss + F(rows[i].Row) - F(rows[i].Baseline);
            Assert.True(Math.Abs(scored[i].Predicted - expected) <= 1e-12, $"row {i}: {scored[i].Predicted:R} vs {expected:R}");
            Assert.NotEqual(scored[i].BaselineLoss, scored[i].Predicted); // the law moves each changed row
        }
    }
}
