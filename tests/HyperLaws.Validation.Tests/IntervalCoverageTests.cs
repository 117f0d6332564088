using HyperLaws.Laws;
using HyperLaws.SizeLaws;
using HyperLaws.Tests;
using Xunit;

namespace HyperLaws.Validation.Tests;

/// <summary>Protocol 9's machinery on real curves, kept to seconds: the tissue law on protocol 1's 25M split.</summary>
public sealed class IntervalCoverageTests
{
    [Fact]
    public void Calibrated_intervals_on_the_MPL_split_widen_with_the_horizon_ratio()
    {
        var train = MplSplit.Targets(DataFolders.Repo, "25", MplSplit.Train);
        var test = MplSplit.Targets(DataFolders.Repo, "25", MplSplit.Test);
        var r = IntervalCoverage.Run("1", "tissue", () => LawCatalog.Create("tissue"), train, test);
        // 3 leave-one-out residuals + 3 from the first halves (each curve's own final loss, horizon ratio 2).
        Assert.Equal(6, r.Residuals.Count);
        Assert.Equal(3, r.Residuals.Count(x => x.Split == "first 0.5"));
        // Horizon ratios against the longest cut curve: 2 for the longest curves, less for wsdcon_9 (shorter than 24,000 steps).
        var cut = r.Residuals.Where(x => x.Split == "first 0.5").ToList();
        Assert.InRange(cut.Max(x => x.Distance.HorizonRatio), 2, 2.05);
        Assert.All(cut, x => Assert.True(x.Distance.HorizonRatio > 1));
        Assert.False(r.Interval.Exact); // 6 residuals cannot give the 90% rank ceil(7 x 0.9) = 7: flagged
        Assert.Equal(6, r.HeldOut.Count);
        foreach (var h in r.HeldOut)
        {
            Assert.True(h.Lower < h.Predicted && h.Predicted < h.Upper);
            Assert.Equal(h.Actual >= h.Lower && h.Actual <= h.Upper, h.Inside);
            Assert.Equal(2 * r.Interval.HalfWidth(h.Distance.Value), h.RelativeWidth, 9);
        }
        // The 72,000-step curves reach 3x the longest training curve: the widest intervals.
        var far = r.HeldOut.Where(h => h.Run.Contains("72000", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, far.Count);
        Assert.All(far, h => Assert.InRange(h.Distance.HorizonRatio, 3, 3.01)); // the training curves end a logging interval before 24,000
        Assert.True(far.Min(h => h.RelativeWidth) > r.HeldOut.Except(far).Max(h => h.RelativeWidth));
    }

    [Fact]
    public void Protocol_2_adds_a_given_size_term_in_quadrature_to_the_same_predictions()
    {
        // A size term from two made-up extrapolations (scores 0.02 and 0.04 per unit ln S): with 2 residuals the 90% rank is the largest.
        var residuals = new[] { new SizeExtrapolationResidual("t", 1e8, 4e8, 1e10, 3.0, 3.0 * (1 + 0.02 * Math.Log(4))), new SizeExtrapolationResidual("t", 1e8, 4e8, 1e10, 3.0, 3.0 * (1 - 0.04 * Math.Log(4))) };
        double q = Evaluation.ConformalCalibration.SizeQuantile([.. residuals.Select(r => (Math.Abs(r.Relative), r.LogSizeRatio))]);
        Assert.Equal(0.04, q, 12);
        var prior = new SizeTermPrior("test", q, 0.9, residuals);
        var results = IntervalCoverage.Protocol2(DataFolders.Repo, "tissue", sizeTerms: [prior]);
        Assert.Equal(["2", "2 (shape)", "2 (size term, test)", "2, signed", "2 (shape), signed", "2 (size term, test), signed",
            "2, finite-sample", "2 (shape), finite-sample", "2 (size term, test), finite-sample",
            "2, shape-width", "2 (size term, test), shape-width", "2, size-width"], results.Select(r => r.Protocol));
        // Variant N's row (docs/VALIDATION.md "Intervals widened by the size-extrapolation distance"): two training sizes give no fit of two
        // sizes below another, so the residuals are the plain row's and g_N its prior 1; the width at 400M is the finite-sample tails x
        // (1 + g (ln H + ln L) + ln 4), the scores those of the plain residuals (all at S = 1).
        var width = results[^1];
        Assert.Equal(results[0].Residuals, width.Residuals);
        Assert.True(width.Interval.SizeSeparate);
        Assert.False(width.Interval.SizeGrowthFitted);
        Assert.Equal(Evaluation.ConformalCalibration.PriorGrowth, width.Interval.SizeGrowth);
        Assert.Null(width.SizeTerm);
        var widthTails = Evaluation.ConformalCalibration.FiniteSampleTails([.. width.Residuals.Select(r => r.Relative / (1 + width.Interval.Growth * Math.Max(0, r.Distance.Value)))]);
        Assert.Equal((widthTails.Lower, widthTails.Upper), (width.Interval.LowerQuantile, width.Interval.UpperQuantile));
        foreach (var h in width.HeldOut)
        {
            double w = 1 + width.Interval.Growth * Math.Max(0, Math.Log(h.Distance.HorizonRatio) + Math.Log(h.Distance.LrRatio)) + Math.Log(4);
            Assert.Equal((widthTails.Upper - widthTails.Lower) * w, h.RelativeWidth, 9);
        }
        // The finite-sample twins: the same residuals and growths, the tails of the finite-sample tiers (docs/VALIDATION.md "The planner's
        // interval with few residuals"); the size term's two scores are too few for any exact rank: the normal fallback.
        for (int k = 0; k < 3; k++)
        {
            var (basis, twin) = (results[k], results[k + 6]);
            Assert.Same(basis.Residuals, twin.Residuals);
            Assert.Equal(basis.Interval.Growth, twin.Interval.Growth);
            var tails = Evaluation.ConformalCalibration.FiniteSampleTails([.. basis.Residuals.Select(r =>
                r.Relative / (1 + basis.Interval.Growth * Math.Max(0, r.Distance.Value) + basis.Interval.ShapeGrowth * Math.Max(0, r.Distance.Shape)))]);
            Assert.Equal(tails.Lower, twin.Interval.LowerQuantile, 12);
            Assert.Equal(tails.Upper, twin.Interval.UpperQuantile, 12);
            Assert.Equal(tails.Tier, twin.Interval.Tier);
        }
        var sizeTails = Evaluation.ConformalCalibration.FiniteSampleTails([.. residuals.Select(r => r.Relative / r.LogSizeRatio)]);
        Assert.Equal(Evaluation.FiniteSampleTier.NormalFallback, sizeTails.Tier);
        Assert.Equal(sizeTails.Upper, results[8].Interval.SizeUpperQuantile, 12);
        var (plain, shaped, sized) = (results[0], results[1], results[2]);
        // The shape row: the same residuals and predictions, the width growing with the schedule-shape distance too.
        Assert.Equal(plain.Residuals, shaped.Residuals);
        Assert.True(shaped.Interval.ShapeGrowth >= 0);
        Assert.Contains(shaped.Residuals, r => r.Distance.Shape > 0.02); // leaving a schedule out leaves its shape out: D > 0
        foreach (var h in shaped.HeldOut) Assert.Equal(2 * shaped.Interval.HalfWidth(h.Distance), h.RelativeWidth, 9);
        Assert.Null(plain.SizeTerm);
        Assert.Same(prior, sized.SizeTerm);
        Assert.Equal(9, sized.HeldOut.Count);
        for (int i = 0; i < 9; i++)
        {
            var (p, s) = (plain.HeldOut[i], sized.HeldOut[i]);
            Assert.Equal(p.Predicted, s.Predicted);
            Assert.Equal(4, s.Distance.SizeRatio, 6); // 400M beyond 100M
            double within = plain.Interval.HalfWidth(Math.Log(s.Distance.HorizonRatio) + Math.Log(s.Distance.LrRatio));
            Assert.Equal(2 * Math.Sqrt(within * within + Math.Pow(0.04 * Math.Log(4), 2)), s.RelativeWidth, 9);
            Assert.True(s.RelativeWidth > p.RelativeWidth);
        }
        Assert.True(sized.Coverage >= plain.Coverage);
        // The signed twins (fourth round): the same residuals and predictions, two tails of the signed scores, the size term's too.
        for (int k = 0; k < 3; k++)
        {
            var (basis, twin) = (results[k], results[k + 3]);
            Assert.Same(basis.Residuals, twin.Residuals);
            Assert.True(twin.Interval.Signed && twin.Interval.LowerQuantile <= 0 && twin.Interval.UpperQuantile >= 0);
            Assert.Equal(basis.Interval.Growth, twin.Interval.Growth);
            Assert.Equal(basis.Interval.ShapeGrowth, twin.Interval.ShapeGrowth);
            var tails = Evaluation.ConformalCalibration.SignedTails([.. basis.Residuals.Select(r =>
                r.Relative / (1 + basis.Interval.Growth * Math.Max(0, r.Distance.Value) + basis.Interval.ShapeGrowth * Math.Max(0, r.Distance.Shape)))]);
            Assert.Equal(tails.Lower, twin.Interval.LowerQuantile, 12);
            Assert.Equal(tails.Upper, twin.Interval.UpperQuantile, 12);
            for (int i = 0; i < 9; i++)
            {
                var (b, t) = (basis.HeldOut[i], twin.HeldOut[i]);
                Assert.Equal(b.Predicted, t.Predicted);
                Assert.True(t.Lower <= t.Predicted && t.Predicted <= t.Upper);
                var (lo, hi) = twin.Interval.RelativeBounds(t.Distance);
                Assert.Equal(t.Predicted * (1 + lo), t.Lower, 9);
                Assert.Equal(t.Predicted * (1 + hi), t.Upper, 9);
            }
        }
        Assert.Equal(-0.04, results[5].Interval.SizeLowerQuantile, 12); // two size scores: the extremes, -0.04 and +0.02
        Assert.Equal(0.02, results[5].Interval.SizeUpperQuantile, 12);
    }

    [Theory]
    [InlineData("chinchilla", true)]
    [InlineData("porian rw/base/short/chinchilla/standard/val", true)]
    [InlineData("porian owt2/base/short/chinchilla/standard/train", true)]
    [InlineData("porian rw/base/short/chinchilla/attention/val", false)]
    [InlineData("porian rw/base/long/kaplan/kaplan/train", false)]
    [InlineData("porian rw/tuned/short/const/standard/val", false)]
    public void The_matched_size_term_keeps_Chinchilla_and_Porians_matched_decay_standard_count_configurations(string table, bool matched) =>
        Assert.Equal(matched, IntervalCoverage.MatchedTable(table));
}
