using System.Globalization;
using HyperLaws.Evaluation;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// <see cref="AnchoredLoss"/>, the plan's loss anchored on a run of its shape: the formula (an exact law gives its own answer, a constant
/// error of the law cancels), the choice of the anchor run, the anchored predictor's residuals within the runs, and the planner using
/// the anchored loss only where the runs hold a run of the plan's shape.
/// </summary>
public sealed class AnchoredLossTests
{
    private static TrainingRun Run(string name, LrSchedule s, double finalLoss, double? finalEval = null, double? parameters = 1e8)
    {
        var tags = new Dictionary<string, string>();
        if (finalEval is { } v)
        {
            tags["finalValLoss"] = v.ToString(CultureInfo.InvariantCulture);
            tags["finalValStep"] = s.Steps.ToString(CultureInfo.InvariantCulture);
        }
        var meta = new RunMetadata(name) { Parameters = parameters, Tags = tags };
        return new TrainingRun(meta, s.Evaluate(), [new LossObservation(s.Steps / 2, finalLoss + 0.5), new LossObservation(s.Steps, finalLoss)]);
    }

    private static WsdSchedule Wsd(double cooldown, int steps = 1000, double peak = 2e-3) => new(peak, steps, 10, cooldown: cooldown);

    private static CosineSchedule Cosine(int steps = 1000, double peak = 2e-3, double floor = 0.1) => new(peak, steps, 10, floor * peak);

    [Fact]
    public void An_exact_law_gives_its_own_prediction_and_a_constant_shape_error_cancels()
    {
        var run = Cosine(steps: 1000).Evaluate();
        var target = Cosine(steps: 3000).Evaluate();
        double truthRun = SyntheticRuns.TrueFinalLoss(run), truthTarget = SyntheticRuns.TrueFinalLoss(target);
        // Exact law: the run's observed loss is the law's on it, so the anchored loss is the law's at the target.
        Assert.Equal(truthTarget, AnchoredLoss.Predict(truthRun, truthTarget, truthRun), 12);
        // A law off by one factor on this shape (here 7% high at both points): the anchored loss is the truth, not the law's.
        foreach (double e in new[] { 0.07, -0.04 })
            Assert.Equal(truthTarget, AnchoredLoss.Predict(truthRun, (1 + e) * truthTarget, (1 + e) * truthRun), 12);
        Assert.True(double.IsNaN(AnchoredLoss.Predict(double.NaN, 3, 3)));
        Assert.True(double.IsNaN(AnchoredLoss.Predict(3, 3, 0)));
    }

    [Fact]
    public void The_anchor_is_the_nearest_run_of_the_plans_shape_at_the_nearest_size_and_a_peak_within_a_factor_2()
    {
        var runs = new List<TrainingRun>
        {
            Run("wsd-0.6-short", Wsd(0.6, steps: 500), 3.2),
            Run("wsd-0.6", Wsd(0.6), 3.0, finalEval: 3.05),
            Run("wsd-0.2", Wsd(0.2), 3.02),
            Run("cos-10", Cosine(), 3.1),
            Run("wsd-0.6-far-peak", Wsd(0.6, steps: 2000, peak: 5e-3), 2.9),    // the target's horizon, but 2.5x the peak: not an anchor
            Run("wsd-0.6-big", Wsd(0.6, steps: 2000), 2.5, parameters: 1e9),     // another size
        };
        var plan = ObservedBest.ShapeOf(Wsd(0.62, steps: 2000, peak: 1.5e-3));
        var a = AnchoredLoss.Find(plan, 1.5e-3, 2000, 1.2e8, runs, LossSplit.Train);
        Assert.NotNull(a);
        Assert.Equal("wsd-0.6", a.Run.Name);                 // nearer in horizon than the 500-step one; 0.62 is within 5% of 0.6
        Assert.Equal(3.05, a.Observed, 12);                  // its final evaluation
        Assert.True(a.FinalEvaluation);
        Assert.Equal("wsd-0.6-big", AnchoredLoss.Find(plan, 1.5e-3, 2000, 2e9, runs, LossSplit.Train)!.Run.Name);
        // Cosine to 10% has a run; cosine to 0, a 40% cooldown and the constant have none.
        Assert.Equal("cos-10", AnchoredLoss.Find(ObservedBest.ShapeOf(Cosine(steps: 2000)), 2e-3, 2000, 1e8, runs, LossSplit.Train)!.Run.Name);
        Assert.Null(AnchoredLoss.Find(ObservedBest.ShapeOf(Cosine(steps: 2000, floor: 0)), 2e-3, 2000, 1e8, runs, LossSplit.Train));
        Assert.Null(AnchoredLoss.Find(ObservedBest.ShapeOf(Wsd(0.4, steps: 2000)), 2e-3, 2000, 1e8, runs, LossSplit.Train));
        Assert.Null(AnchoredLoss.Find(ObservedBest.ShapeOf(new ConstantSchedule(2e-3, 2000, 10)), 2e-3, 2000, 1e8, runs, LossSplit.Train));
        // A peak more than 2x from every run of the shape: none.
        Assert.Null(AnchoredLoss.Find(plan, 8e-3, 2000, 1.2e8, runs.Where(r => r.Name != "wsd-0.6-far-peak"), LossSplit.Train));
    }

    /// <summary>Runs that follow the annealing law exactly: a cosine at 1000, 2000 and 4000 steps, a WSD at 1000 and 2000, a constant at 2000.</summary>
    private static List<TrainingRun> ThreeHorizonRuns()
    {
        var schedules = new (string Name, LrSchedule S)[]
        {
            ("cos-1000", Cosine(1000)), ("wsd-1000", Wsd(0.2, 1000)),
            ("cos-2000", Cosine(2000)), ("wsd-2000", Wsd(0.2, 2000)), ("const-2000", new ConstantSchedule(2e-3, 2000, 10)),
            ("cos-4000", Cosine(4000)),
        };
        return [.. schedules.Select(x => Run(x.Name, x.S, SyntheticRuns.TrueFinalLoss(x.S.Evaluate())))];
    }

    [Fact]
    public void The_anchored_residuals_pair_each_run_with_its_shape_one_horizon_back_and_a_constant_law_error_leaves_none()
    {
        // Runs that follow the annealing law exactly; the "refitted" law is the truth x 1.06: a constant error, which the anchor cancels.
        var runs = ThreeHorizonRuns();
        var fitted = new List<int>();
        var residuals = AnchoredLoss.Residuals(runs, LossSplit.Train, below =>
        {
            fitted.Add(below.Max(r => r.Steps));
            return r => 1.06 * SyntheticRuns.TrueFinalLoss(r.LearningRates);
        });
        // 2000: cosine and wsd anchored on their 1000-step runs (the constant has none); 4000: the cosine on its 2000-step run.
        Assert.Equal(["cos-2000", "wsd-2000", "cos-4000"], residuals.Select(r => r.Run));
        Assert.All(residuals, r => Assert.Equal(0, r.Relative, 12));
        Assert.All(residuals, r => Assert.Equal(AnchoredLoss.Split, r.Split));
        Assert.Equal(Math.Log(2), residuals[0].Distance.Value, 9);
        Assert.Equal([1000, 2000], fitted);
        // The pairs, without a fit: the plan's reason counts these when it finds no anchor (and makes no refit).
        Assert.Equal(residuals.Select(r => r.Run), AnchoredLoss.Pairs(runs, LossSplit.Train).Select(p => p.Run.Name));
        // A law whose error grows with the horizon leaves it in the residuals: the anchored predictor's own error.
        var drift = AnchoredLoss.Residuals(runs, LossSplit.Train, below => r => (1 + 1e-5 * r.Steps) * SyntheticRuns.TrueFinalLoss(r.LearningRates));
        Assert.All(drift, r => Assert.True(r.Relative < 0));
    }

    [Fact]
    public void Every_horizon_pair_gives_a_residual_fitted_on_the_runs_up_to_its_anchors_horizon()
    {
        // Three horizons of one cosine, a WSD at the first two: pairs 2000<-1000 (cos, wsd), 4000<-1000 (cos), 4000<-2000 (cos).
        var runs = ThreeHorizonRuns();
        var fitted = new List<int>();
        // A law whose error grows with the horizon (1e-5 per step): each pair's residual is the drift between its run and its anchor.
        var residuals = AnchoredLoss.AllPairResiduals(runs, LossSplit.Train, below =>
        {
            fitted.Add(below.Max(r => r.Steps));
            return r => (1 + 1e-5 * r.Steps) * SyntheticRuns.TrueFinalLoss(r.LearningRates);
        });
        Assert.Equal(["cos-2000", "wsd-2000", "cos-4000", "cos-4000"], residuals.Select(r => r.Run));
        // Fitted once per anchor horizon, on the runs up to it (1000: the 1000-step runs; 2000: the runs up to 2000 steps).
        Assert.Equal([1000, 2000], fitted);
        double[] distances = [Math.Log(2), Math.Log(2), Math.Log(4), Math.Log(2)];
        Assert.All(distances.Zip(residuals), x => Assert.Equal(x.First, x.Second.Distance.Value, 9));
        // r = (1 + 1e-5 h') / (1 + 1e-5 h) - 1: the larger the horizon ratio, the larger the drift.
        Assert.Equal(1.01 / 1.02 - 1, residuals[0].Relative, 9);
        Assert.Equal(1.01 / 1.04 - 1, residuals[2].Relative, 9);
        Assert.Equal(1.02 / 1.04 - 1, residuals[3].Relative, 9);
        // The default keeps the nearest anchor only (one residual per run), with the same fits.
        var nearest = AnchoredLoss.Residuals(runs, LossSplit.Train, below => r => (1 + 1e-5 * r.Steps) * SyntheticRuns.TrueFinalLoss(r.LearningRates));
        Assert.Equal(["cos-2000", "wsd-2000", "cos-4000"], nearest.Select(r => r.Run));
        Assert.Equal(residuals[3].Relative, nearest[2].Relative, 12);
    }

    [Fact]
    public void Every_horizon_pair_keeps_the_nearest_rules_size()
    {
        // 1e8 at 1000 and 4000 steps, 1e9 at 2000 only. At h' = 2000 the only run is 1e9: Find among it alone would anchor the 1e8
        // 4000-step run on another size, which the nearest rule never does (1e8 has a run up to 2000): skipped. The 1e9 run's size has
        // no run up to 1000: its pair with the 1e8 1000-step run is the nearest rule's own and stays.
        var runs = new List<TrainingRun>
        {
            Run("cos-1000", Cosine(1000), SyntheticRuns.TrueFinalLoss(Cosine(1000).Evaluate())),
            Run("cos-2000-big", Cosine(2000), SyntheticRuns.TrueFinalLoss(Cosine(2000).Evaluate()), parameters: 1e9),
            Run("cos-4000", Cosine(4000), SyntheticRuns.TrueFinalLoss(Cosine(4000).Evaluate())),
        };
        var residuals = AnchoredLoss.AllPairResiduals(runs, LossSplit.Train, below => r => SyntheticRuns.TrueFinalLoss(r.LearningRates));
        Assert.Equal(["cos-2000-big", "cos-4000"], residuals.Select(r => r.Run));
        Assert.Equal(Math.Log(4), residuals[1].Distance.Value, 9);                    // 4000 <- 1000, the same size
        Assert.Equal(Math.Log(2) + Math.Log(10), residuals[0].Distance.Value, 9);    // 2000 (1e9) <- 1000 (1e8)
        Assert.Equal(residuals.Count, AnchoredLoss.PairCount(runs, LossSplit.Train, allPairs: true));
        Assert.Equal(["cos-2000-big", "cos-4000"], AnchoredLoss.Pairs(runs, LossSplit.Train).Select(p => p.Run.Name));
    }

    [Fact]
    public void The_pairs_interval_is_read_no_nearer_than_its_residuals()
    {
        static CalibrationResidual R(double relative, double horizonRatio) => new("r", AnchoredLoss.Split, 3, 3 * (1 + relative), new ExtrapolationDistance(horizonRatio, 1, 1));
        // Ten residuals one horizon step back (ratio 25/15): r = -0.1% .. -1.0%.
        var residuals = Enumerable.Range(1, 10).Select(i => R(-0.001 * i, 25.0 / 15)).ToList();
        double d = Math.Log(35.0 / 25), dMin = Math.Log(25.0 / 15);
        Assert.Equal(dMin, AnchoredLoss.IntervalDistance(d, residuals), 12);
        Assert.Equal(Math.Log(50.0 / 15), AnchoredLoss.IntervalDistance(Math.Log(50.0 / 15), residuals), 12);
        Assert.Equal(d, AnchoredLoss.IntervalDistance(d, []), 12);
        // Read at d*: the half-width is the residuals' own conformal quantile (k = ceil(11 x 0.9) = 10: the largest, 1.0%), where at the
        // target's shorter step the prior growth would scale it by (1 + d) / (1 + d_min).
        var interval = ConformalCalibration.FiniteSampleSymmetric(ConformalCalibration.Calibrate(residuals), residuals);
        Assert.Equal(ConformalCalibration.PriorGrowth, interval.Growth);
        Assert.Equal(0.010, interval.HalfWidth(AnchoredLoss.IntervalDistance(d, residuals)), 9);
        Assert.Equal(0.010 * (1 + d) / (1 + dMin), interval.HalfWidth(d), 9);
    }

    [Fact]
    public void The_planner_uses_the_anchored_loss_only_where_a_run_of_its_shape_exists()
    {
        var request = new PlanRequest(SyntheticRuns.N, 4e8, TrainingOptimizer.AdamW);
        // The guard holds these plans' peak at the runs' highest LR (2e-3): a WSD run there too, so that the kept shape (cosine or WSD 20%) has a run within x2.
        var runs = SyntheticRuns.Plannable();
        runs.Insert(4, SyntheticRuns.Curve("wsd-1000-high", new WsdSchedule(2e-3, 1000, 20, cooldown: 0.2, floor: 2e-4)));
        var on = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"], AnchoredLoss = true });
        var off = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"], AnchoredLoss = false });
        // The anchor changes the number, never the choice.
        Assert.Equal(off.Best.Schedule.ToSpec(), on.Best.Schedule.ToSpec());
        Assert.Equal(off.RunnerUps.Select(r => (r.Schedule.ToSpec(), r.PredictedLoss)), on.RunnerUps.Select(r => (r.Schedule.ToSpec(), r.PredictedLoss)));
        var d = on.Anchored!;
        Assert.NotEqual("", d.Run);                               // these runs hold the plan's shape (the schedule-regret rule keeps a run's)
        Assert.True(d.Anchored);
        var run = runs.Single(r => r.Name == d.Run);
        Assert.True(ObservedBest.OneShape(AnchoredLoss.ShapeOf(run)!, ObservedBest.ShapeOf(on.Best.Schedule)));
        Assert.Equal(d.Observed * d.LawAtTarget / d.LawOnRun, on.Best.PredictedLoss, 12);
        Assert.Equal((d.Lower, d.Upper), (on.Best.Lower, on.Best.Upper));
        // Two horizons, two anchored pairs: fewer than ConformalIntervalProvider.MinimumResiduals, so no refit (none travel with the
        // decision; the reason counts the pairs) and the interval is the law's moved to the anchored loss.
        Assert.Equal(2, d.Residuals);
        Assert.Empty(d.CalibrationResiduals);
        Assert.False(d.Calibrated);
        Assert.Equal((off.Best.PredictedLoss, off.Best.Lower, off.Best.Upper), (d.WithoutLoss, d.WithoutLower, d.WithoutUpper));
        var reason = Assert.Single(on.Reasons, r => r.Kind == ReasonKind.AnchoredLoss);
        Assert.Equal(d.Run, reason.ChosenLabel);
        Assert.Contains(d.Run, PlanExplainer.Reasons(on).Single(l => l.Decides == "predicted loss (anchored)").Text, StringComparison.Ordinal);
        // Off: reported, not applied.
        Assert.False(off.Anchored!.Anchored);
        Assert.Equal(d.Predicted, off.Anchored.Predicted, 9);
        Assert.Contains("not applied", PlanExplainer.Reasons(off).Single(l => l.Decides == "predicted loss (anchored)").Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Was (hostile audit, a toy run planned far beyond it): the law predicted -67 with no interval, and the reason read
    /// "the predicted loss is the law's, -67.1 (NaN-NaN)". A loss that is not positive anchors nothing (<see cref="AnchoredLoss.Predict"/>
    /// is NaN), and the words print what is known, never NaN.
    /// </summary>
    [Fact]
    public void A_law_loss_that_is_not_positive_anchors_nothing_and_the_words_print_no_nan()
    {
        Assert.True(double.IsNaN(AnchoredLoss.Predict(3.2, -67.1, 3.1)));
        Assert.True(double.IsNaN(AnchoredLoss.Predict(3.2, 3.0, -1)));
        static string Text(AnchoredLossDecision d) => PlanExplainer.Reason(AnchoredLoss.Reason(d)).Text;

        string none = Text(AnchoredLossDecision.None(-67.1, double.NaN, double.NaN, 0, applied: true));
        Assert.Contains("the predicted loss is the law's, -67.1 (interval undefined).", none, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", none, StringComparison.Ordinal);

        var notPositive = new AnchoredLossDecision("tiny", 3.2, false, 3.1, -67.1, AnchoredLoss.Predict(3.2, -67.1, 3.1), double.NaN, double.NaN, 0, false,
            200, 1e-3, 1.5, -67.1, double.NaN, double.NaN, Applied: true);
        Assert.False(notPositive.Anchored);
        string text = Text(notPositive);
        Assert.Contains("cannot be anchored: the law predicts -67.1 at the target and 3.1 on the run, not all positive: the predicted loss is the law's, -67.1 (interval undefined).", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);

        // An anchored loss whose moved interval is undefined (the law's own loss not positive) says so.
        var noInterval = notPositive with { LawAtTarget = 3.0, Predicted = AnchoredLoss.Predict(3.2, 3.0, 3.1) };
        Assert.True(noInterval.Anchored);
        Assert.Contains("its interval is undefined", Text(noInterval), StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", Text(noInterval), StringComparison.Ordinal);
    }

    [Fact]
    public void The_planners_anchored_interval_comes_from_every_horizon_pair_read_no_nearer_than_its_residuals()
    {
        // Three horizons (1000, 2000, 4000 steps) of cosine and WSD 20% at both peaks the plan is held between; the plan (4e8 tokens,
        // 6104 steps) is anchored on a 4000-step run, nearer than any residual's pair (a horizon ratio of 2 or more).
        var request = new PlanRequest(SyntheticRuns.N, 4e8, TrainingOptimizer.AdamW);
        var runs = SyntheticRuns.Plannable();
        runs.Insert(4, SyntheticRuns.Curve("wsd-1000-high", new WsdSchedule(2e-3, 1000, 20, cooldown: 0.2, floor: 2e-4)));
        runs.Add(SyntheticRuns.Curve("cosine-4000", new CosineSchedule(1e-3, 4000, 20, 1e-4)));
        runs.Add(SyntheticRuns.Curve("wsd-4000", new WsdSchedule(1e-3, 4000, 20, cooldown: 0.2, floor: 1e-4)));
        runs.Add(SyntheticRuns.Curve("cosine-4000-high", new CosineSchedule(2e-3, 4000, 20, 2e-4)));
        runs.Add(SyntheticRuns.Curve("wsd-4000-high", new WsdSchedule(2e-3, 4000, 20, cooldown: 0.2, floor: 2e-4)));
        // A fixed offset per run (up to +-0.3%, as a seed's) so that the law fits no run exactly and the residuals are not all 0.
        runs = [.. runs.Select((r, i) => new TrainingRun(r.Metadata, r.LearningRates, [.. r.Observations.Select(o => o with { Loss = o.Loss * (1 + 0.003 * Math.Sin(3.0 * i)) })]))];
        var pairsPlan = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"] });
        var nearestPlan = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"], AnchoredIntervalPairs = false });
        AnchoredLossDecision pairs = pairsPlan.Anchored!, nearest = nearestPlan.Anchored!;
        Assert.True(pairs.Anchored && pairs.Calibrated && nearest.Calibrated);
        Assert.Contains("-4000", pairs.Run, StringComparison.Ordinal);
        Assert.Equal(pairs.Predicted, nearest.Predicted, 12);          // only the interval differs
        // The pairs reaching two horizons back (4000 <- 1000) are added.
        Assert.True(pairs.Residuals > nearest.Residuals);
        Assert.Equal(pairs.Residuals, pairs.CalibrationResiduals.Count);
        Assert.Contains(pairs.CalibrationResiduals, r => r.Distance.HorizonRatio == 4);
        Assert.DoesNotContain(nearest.CalibrationResiduals, r => r.Distance.HorizonRatio == 4);
        // The target is nearer than the residuals: the width is read at d* = the residuals' nearest distance, not at d.
        double dStar = AnchoredLoss.IntervalDistance(pairs.Distance, pairs.CalibrationResiduals);
        Assert.True(pairs.Distance < dStar);
        Assert.Equal(dStar, pairs.IntervalDistance, 12);
        Assert.Equal(nearest.Distance, nearest.IntervalDistance, 12);
        var calibration = ConformalIntervalProvider.TryCalibrate(pairs.CalibrationResiduals, "pairs", aboutCorrected: true)!.Calibration;
        Assert.Equal(calibration.Bounds(pairs.Predicted, dStar), (pairs.Lower, pairs.Upper));
        Assert.Equal((pairs.Lower, pairs.Upper), (pairsPlan.Best.Lower, pairsPlan.Best.Upper));
        Assert.NotEqual((nearest.Lower, nearest.Upper), (pairs.Lower, pairs.Upper));
        var nearestCalibration = ConformalIntervalProvider.TryCalibrate(nearest.CalibrationResiduals, "nearest", aboutCorrected: true)!.Calibration;
        Assert.Equal(nearestCalibration.Bounds(nearest.Predicted, nearest.Distance), (nearest.Lower, nearest.Upper));
        // The explainer says which.
        Assert.Contains("every horizon pair", PlanExplainer.Reasons(pairsPlan).Single(l => l.Decides == "predicted loss (anchored)").Text, StringComparison.Ordinal);
        Assert.Contains("one horizon step back", PlanExplainer.Reasons(nearestPlan).Single(l => l.Decides == "predicted loss (anchored)").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_explainer_says_which_residuals_calibrate_the_interval_and_where_its_width_is_read()
    {
        static string Text(bool pairs, double intervalDistance) => PlanExplainer.Reason(AnchoredLoss.Reason(
            new AnchoredLossDecision("wsd-25k", 3.3, true, 3.4, 3.2, 3.1, 3.05, 3.15, 12, true, 25000, 2e-3, Math.Log(35.0 / 25), 3.2, 3.1, 3.3, true)
            { Pairs = pairs, IntervalDistance = intervalDistance })).Text;
        string pairs = Text(true, Math.Log(25.0 / 15)), nearest = Text(false, Math.Log(35.0 / 25));
        Assert.Contains("from 12 residuals of the same anchored prediction from every horizon pair within the runs, its width read at distance 0.511 (the target's 0.336", pairs, StringComparison.Ordinal);
        Assert.DoesNotContain("one horizon step back", pairs, StringComparison.Ordinal);
        Assert.Contains("from 12 residuals of the same anchored prediction one horizon step back within the runs, at the target's distance 0.336", nearest, StringComparison.Ordinal);
        Assert.DoesNotContain("every horizon pair", nearest, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_run_of_the_plans_shape_the_plan_keeps_the_laws_loss()
    {
        // Runs whose LRs no planner schedule reads (a saw-tooth): no anchor for any plan.
        static LrSchedule Saw(int steps, double peak) => new TableSchedule([.. Enumerable.Range(0, steps).Select(i => (i / 100) % 2 == 0 ? peak : 0.4 * peak)]);
        var runs = new List<TrainingRun>
        {
            SyntheticRuns.Curve("saw-1000-a", Saw(1000, 1e-3)), SyntheticRuns.Curve("saw-1000-b", Saw(1000, 5e-4)),
            SyntheticRuns.Curve("saw-2000-a", Saw(2000, 1e-3)), SyntheticRuns.Curve("saw-2000-b", Saw(2000, 5e-4)),
        };
        var request = new PlanRequest(SyntheticRuns.N, 4e8, TrainingOptimizer.AdamW);
        var on = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"], AnchoredLoss = true });
        var off = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"], AnchoredLoss = false });
        Assert.Equal("", on.Anchored!.Run);
        Assert.False(on.Anchored.Anchored);
        Assert.Equal((off.Best.Schedule.ToSpec(), off.Best.PredictedLoss, off.Best.Lower, off.Best.Upper), (on.Best.Schedule.ToSpec(), on.Best.PredictedLoss, on.Best.Lower, on.Best.Upper));
        Assert.Contains("no run of the plan's schedule shape", PlanExplainer.Reasons(on).Single(l => l.Decides == "predicted loss (anchored)").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Across_peak_LR_the_anchor_is_the_nearest_run_of_the_shape_beyond_x2_and_within_x8()
    {
        var runs = new List<TrainingRun>
        {
            Run("wsd-0.6", Wsd(0.6), 3.0),                                   // peak 2e-3
            Run("wsd-0.6-5e-3", Wsd(0.6, steps: 2000, peak: 5e-3), 2.9),    // peak 5e-3, the target's horizon
            Run("cos-10", Cosine(), 3.1),
        };
        var plan = ObservedBest.ShapeOf(Wsd(0.6, steps: 2000, peak: 1.5e-2));
        // 1.5e-2 is x7.5 and x3 from the two WSD runs: no anchor within x2, both within x8; the nearer in |ln steps| + |ln peak| wins.
        Assert.Null(AnchoredLoss.Find(plan, 1.5e-2, 2000, 1e8, runs, LossSplit.Train));
        Assert.Equal("wsd-0.6-5e-3", AnchoredLoss.FindAcrossLr(plan, 1.5e-2, 2000, 1e8, runs, LossSplit.Train)!.Run.Name);
        Assert.Equal("wsd-0.6", AnchoredLoss.FindAcrossLr(plan, 1.5e-2, 2000, 1e8, runs.Where(r => r.Name != "wsd-0.6-5e-3"), LossSplit.Train)!.Run.Name);
        // Within x2 of a run: that run is the same-peak anchor, never a cross-LR one; beyond x8 of every run: none.
        Assert.Null(AnchoredLoss.FindAcrossLr(plan, 8e-3, 2000, 1e8, runs.Where(r => r.Name != "wsd-0.6"), LossSplit.Train));
        Assert.Equal("wsd-0.6-5e-3", AnchoredLoss.Find(plan, 8e-3, 2000, 1e8, runs, LossSplit.Train)!.Run.Name);
        Assert.Null(AnchoredLoss.FindAcrossLr(plan, 5e-2, 2000, 1e8, runs, LossSplit.Train));
        // Only the plan's shape: the cosine run is never an anchor of a WSD plan.
        Assert.Null(AnchoredLoss.FindAcrossLr(ObservedBest.ShapeOf(Cosine(steps: 2000, floor: 0)), 1.5e-2, 2000, 1e8, runs, LossSplit.Train));
    }

    [Fact]
    public void Across_peak_LR_the_law_gives_the_shape_at_the_runs_peak_and_the_LR_law_the_peak_move()
    {
        // L = O(a) x [M(p_a) / M(a)] x [J(p) / J(p_a)].
        Assert.Equal(3.0 * (2.9 / 3.1) * (2.8 / 2.85), AnchoredLoss.PredictAcrossLr(3.0, 2.9, 3.1, 2.8, 2.85), 12);
        // M = J (the plan's law models the LR): the same-peak formula O(a) M(p) / M(a), whatever M(p_a).
        foreach (double atRunPeak in new[] { 2.9, 3.3 })
            Assert.Equal(AnchoredLoss.Predict(3.0, 2.7, 3.1), AnchoredLoss.PredictAcrossLr(3.0, atRunPeak, 3.1, 2.7, atRunPeak), 12);
        // M off by one factor at the run's peak and J off by another in the LR move: both cancel.
        double truthRun = 3.1, truthAtPeak = 2.95, truthTarget = 2.9;
        Assert.Equal(truthTarget, AnchoredLoss.PredictAcrossLr(truthRun, 1.07 * truthAtPeak, 1.07 * truthRun, 0.96 * truthTarget, 0.96 * truthAtPeak), 12);
        Assert.True(double.IsNaN(AnchoredLoss.PredictAcrossLr(3, 3, 3, 3, 0)));
        Assert.True(double.IsNaN(AnchoredLoss.PredictAcrossLr(3, double.NaN, 3, 3, 3)));
        // The interval's half-widths grow with |ln r| / ln 2: x2 at 4x either way, x3 at 8x, none within x2 or for an unknown ratio.
        Assert.Equal(2, AnchoredLoss.LrWidening(4), 12);
        Assert.Equal(2, AnchoredLoss.LrWidening(0.25), 12);
        Assert.Equal(3, AnchoredLoss.LrWidening(8), 12);
        Assert.Equal(1, AnchoredLoss.LrWidening(1.5));
        Assert.Equal(1, AnchoredLoss.LrWidening(double.NaN));
        Assert.Equal((2.8, 3.2), AnchoredLoss.Widen(3.0, 2.9, 3.1, 2) is var (lo, hi) ? (Math.Round(lo, 12), Math.Round(hi, 12)) : default);
        Assert.Equal(0, AnchoredLoss.Widen(1.0, 0.4, 1.2, 3).Lower);
    }

    [Fact]
    public void The_planner_anchors_across_peak_LR_with_the_joint_laws_LR_part_when_no_run_of_its_shape_is_within_x2()
    {
        var request = new PlanRequest(SyntheticRuns.N, 4e8, TrainingOptimizer.AdamW);
        // Runs of the kept shapes (cosine and WSD 20%) at 4e-4 too: x2.5-x5 from the plan's peak (held at the runs' 1e-3-2e-3).
        var runs = SyntheticRuns.Plannable();
        runs.Add(SyntheticRuns.Curve("cosine-1000-low", new CosineSchedule(4e-4, 1000, 20, 4e-5)));
        runs.Add(SyntheticRuns.Curve("wsd-1000-low", new WsdSchedule(4e-4, 1000, 20, cooldown: 0.2, floor: 4e-5)));
        // Forced (protocol 6's cross-LR variant): the runs within x2 of the plan's peak never anchor it.
        var lrLaw = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"], AnchorAcrossLr = AcrossLrAnchor.LrLaw, ForceAnchorAcrossLr = true });
        var d = lrLaw.Anchored!;
        Assert.True(d.Anchored);
        Assert.True(d.AcrossLr);
        Assert.Equal("joint", d.LrLaw);                                                   // tissue has no LR axis: the joint law fitted on the runs
        Assert.EndsWith("-low", d.Run, StringComparison.Ordinal);
        Assert.InRange(d.LrRatio, 2, 8);
        Assert.Equal(AnchoredLoss.PredictAcrossLr(d.Observed, d.LawAtRunPeak, d.LawOnRun, d.LrLawAtTarget, d.LrLawAtRunPeak), lrLaw.Best.PredictedLoss, 12);
        Assert.Equal(AnchoredLoss.LrWidening(d.LrRatio), d.Widening, 12);
        Assert.True(d.Widening > 1);
        Assert.True(lrLaw.Best.Lower < d.Predicted && d.Predicted < lrLaw.Best.Upper);
        // The plan's law's ratio alone (AcrossLrAnchor.PlanLaw, protocol 6's arm b) is recorded beside it: O(a) x M(p) / M(a).
        Assert.Equal(d.Observed * d.LawAtTarget / d.LawOnRun, d.LawRatioPredicted, 12);
        Assert.NotEqual(d.LawRatioPredicted, d.Predicted);
        // The reason carries the numbers; the explainer the words.
        var reason = Assert.Single(lrLaw.Reasons, r => r.Kind == ReasonKind.AnchoredLoss);
        Assert.Equal([d.Run, "joint"], reason.Labels);
        Assert.Equal((1.0, d.LrRatio, d.LrLawAtTarget, d.Widening), (reason.Q("acrossLr"), reason.Q("lrRatio"), reason.Q("lrLawAtTarget"), reason.Q("widening")));
        string text = PlanExplainer.Reasons(lrLaw).Single(l => l.Decides == "predicted loss (anchored)").Text;
        Assert.Contains("no run of the plan's shape within x2 of its peak", text, StringComparison.Ordinal);
        Assert.Contains("the joint law fitted on the runs", text, StringComparison.Ordinal);
    }
}
