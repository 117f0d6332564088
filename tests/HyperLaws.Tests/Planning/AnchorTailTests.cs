using System.Globalization;
using HyperLaws.Planning;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// The plan's anchor without a final evaluation (<see cref="AnchoredLoss.TailEstimate"/>, <see cref="PlanOptions.AnchorTail"/>;
/// docs/VALIDATION.md "The plan's anchor without a final evaluation"): the estimate from the run's last tenth carried by the law's
/// shape, and the planner using it only where the anchor has no final evaluation.
/// </summary>
public sealed class AnchorTailTests
{
    /// <summary>A law F(s) = 3 + 1000 / s, given at ascending steps.</summary>
    private static double F(int s) => 3 + 1000.0 / s;

    private static double[] Law(int[] steps) => [.. steps.Select(F)];

    private static TrainingRun Run(int steps, IEnumerable<LossObservation> points, IReadOnlyDictionary<string, string>? tags = null) =>
        new(new RunMetadata("r") { Tags = tags ?? new Dictionary<string, string>() }, Enumerable.Repeat(1e-3, steps).ToArray(), [.. points]);

    [Fact]
    public void The_tail_estimate_is_the_runs_mean_level_against_the_laws_shape_over_its_last_tenth_carried_to_its_end()
    {
        // Train points every 10 steps at 1.02 x F with the last tenth's points alternately x1.03 and x0.97 (the last x1.03), and an
        // outlier before the tail, which is not read.
        var points = Enumerable.Range(1, 100).Select(i => i * 10).Select(s =>
        {
            double noise = s < 900 ? (s == 500 ? 1.5 : 1) : (1000 - s) / 10 % 2 == 0 ? 1.03 : 0.97;
            return new LossObservation(s, 1.02 * F(s) * noise);
        }).ToList();
        var run = Run(1000, points);
        var tail = AnchoredLoss.TailPoints(run, LossSplit.Train);
        Assert.Equal(Enumerable.Range(90, 11).Select(i => i * 10), tail.Select(o => o.Step));
        // 6 points at x1.03 and 5 at x0.97: exp(mean ln) = (1.03^6 0.97^5)^(1/11).
        double expected = 1.02 * F(1000) * Math.Pow(Math.Pow(1.03, 6) * Math.Pow(0.97, 5), 1.0 / 11);
        double estimate = AnchoredLoss.TailEstimate(run, LossSplit.Train, Law);
        Assert.Equal(expected, estimate, 12);
        // The last minibatch is 3% high; the estimate is within 0.3% of the level the run follows (1.02 F(S)).
        Assert.Equal(1.03, run.Final()!.Value.Loss / (1.02 * F(1000)), 12);
        Assert.InRange(estimate / (1.02 * F(1000)) - 1, 0, 0.003);
        // A validation point logged before the end, and nothing in the last tenth: that point carried to S by the law's ratio.
        var early = Run(1000, [new LossObservation(800, 3.5, LossSplit.Validation)]);
        Assert.Equal(3.5 * F(1000) / F(800), AnchoredLoss.TailEstimate(early, LossSplit.Validation, Law), 12);
        // No point of the split, or a law that is not positive: NaN.
        Assert.True(double.IsNaN(AnchoredLoss.TailEstimate(early, LossSplit.Train, Law)));
        Assert.True(double.IsNaN(AnchoredLoss.TailEstimate(run, LossSplit.Train, steps => [.. steps.Select(_ => -1.0)])));
    }

    /// <summary>The tissue law (L0 3.15, A 0.51, alpha 0.51, C 0.40) as a plan law; stretched: counting steps at a runs' batch of 2^17 tokens.</summary>
    private static FittedScheduleLaw Tissue(bool stretched)
    {
        var law = HyperLaws.Laws.LawCatalog.Create("tissue");
        var values = new Dictionary<string, double> { ["L0"] = 3.15, ["A"] = 0.51, ["alpha"] = 0.51, ["C"] = 0.40 };
        double[] p = [.. law.ParameterNames.Select(n => values[n])];
        var fit = new HyperLaws.Laws.LawFit(law, p, 0, 0, 0, true, "given");
        return new FittedScheduleLaw(fit, double.NaN, 1, 1e-4, 1e-2) { RunsBatchTokens = stretched ? 131072 : null };
    }

    /// <summary>The joint law with a few terms set (E 2.4, A 0.6, alpha 0.49, s_w 0.03, kappa 4, C 0.1, noise weights) as a plan law.</summary>
    private static JointPlanLaw Joint()
    {
        var law = new HyperLaws.Laws.Joint.JointLaw();
        var p = new double[law.ParameterNames.Count];
        p[HyperLaws.Laws.Joint.JointLaw.E] = 2.4; p[HyperLaws.Laws.Joint.JointLaw.A] = 0.6; p[HyperLaws.Laws.Joint.JointLaw.Alpha] = 0.49;
        p[HyperLaws.Laws.Joint.JointLaw.Sw] = 0.03; p[HyperLaws.Laws.Joint.JointLaw.Kappa] = 4; p[HyperLaws.Laws.Joint.JointLaw.C] = 0.1;
        foreach (int m in new[] { 2, 3, 6, 8 }) p[HyperLaws.Laws.Joint.JointLaw.FirstNoise + m] = 10 + m;
        return new JointPlanLaw(new HyperLaws.Laws.LawFit(law, p, 0, 0, 0, true, "given"), useSize: false, useBatch: false, 1e-4, 1e-2);
    }

    [Theory]
    [InlineData("joint")]
    [InlineData("lr-axis")]
    [InlineData("stretched")]
    public void The_estimates_law_at_the_last_step_is_the_law_asked_there_alone_bit_for_bit(string kind)
    {
        // The invariant TailEstimateWithEnd rests on: a plan law's value at a step does not depend on the other steps asked with it.
        IPlanLaw model = kind switch
        {
            "joint" => Joint(),
            "lr-axis" => new LrAxisPlanLaw(Tissue(stretched: false), Joint(), 1e-3, 1e-4, 1e-2),
            _ => Tissue(stretched: true),
        };
        const int S = 3000;
        var schedule = new CosineSchedule(1e-3, S, 300, 1e-4);
        var target = new PlanTarget(1e8, 4 * 131072.0 * S, 4 * 131072.0, S);   // a batch 4x the stretched law's runs' batch
        if (model is FittedScheduleLaw counted) Assert.NotEqual(1, counted.StepFactor(target));
        double[] On(int[] steps)
        {
            var y = new double[steps.Length];
            model.Predict(schedule, target, steps, y);
            return y;
        }
        // Train points every 7 steps (none at S, so S is asked with the last tenth's steps, as the planner's anchor asks it).
        var run = Run(S, Enumerable.Range(1, S / 7).Select(i => new LossObservation(7 * i, 3.2 + 1.0 / i)));
        double estimate = AnchoredLoss.TailEstimateWithEnd(run, LossSplit.Train, On, out double? atEnd, out int from);
        Assert.True(double.IsFinite(estimate), $"{kind}: {estimate}");
        Assert.True(from > 0.9 * S && from < S);
        Assert.Equal(BitConverter.DoubleToInt64Bits(On([S])[0]), BitConverter.DoubleToInt64Bits(atEnd!.Value));
    }

    /// <summary>The synthetic runs with the last tenth of every run's train curve alternately 3% high and 3% low, its last point high.</summary>
    private static List<TrainingRun> NoisyEnds() =>
        [.. SyntheticRuns.Plannable().Select(r => r with
        {
            Observations = [.. r.Observations.Select(o => o.Step < 0.9 * r.Steps ? o : o with { Loss = o.Loss * ((r.Steps - o.Step) / 10 % 2 == 0 ? 1.03 : 0.97) })],
        })];

    [Fact]
    public void Without_a_final_evaluation_the_plans_anchor_is_the_tail_estimate_not_the_last_minibatch()
    {
        var request = new PlanRequest(SyntheticRuns.N, 4e8, TrainingOptimizer.AdamW);
        var runs = NoisyEnds();
        var on = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"] });
        var d = on.Anchored!;
        Assert.True(d.Anchored);
        Assert.False(d.FinalEvaluation);
        Assert.True(d.Tail);
        var run = runs.Single(r => r.Name == d.Run);
        double last = run.Final()!.Value.Loss, truth = SyntheticRuns.TrueFinalLoss(run.LearningRates);
        Assert.Equal(last, d.LastLogged, 12);
        Assert.Equal(AnchoredLoss.TailEstimate(run, LossSplit.Train, s => Planner.LawOnRun(on.Model!, on.Target!, run, s, null)), d.Observed, 12);
        // L_law(a) read from the tail estimate's own request of the law is bit for bit the law asked at the run's last step alone.
        Assert.Equal(BitConverter.DoubleToInt64Bits(Planner.LawOnRun(on.Model!, on.Target!, run, [run.Steps], null)[0]), BitConverter.DoubleToInt64Bits(d.LawOnRun));
        Assert.Equal(AnchoredLoss.TailPoints(run, LossSplit.Train)[0].Step, d.TailFrom);
        Assert.Equal(d.Predicted, on.Best.PredictedLoss, 12);
        // The last minibatch is 3% off the run's true loss; the estimate much less.
        Assert.InRange(Math.Abs(last / truth - 1), 0.029, 0.031);
        Assert.True(Math.Abs(d.Observed / truth - 1) < 0.01, $"tail {d.Observed} against the truth {truth}");
        // The reason gives the estimate as the run's loss, where it came from, and the last logged loss it replaced.
        Assert.Matches(@"its loss \d\.\d+, estimated from its last 10% of steps by the law's shape \(last logged \d\.\d+; no final evaluation\), x the law's ratio ",
            PlanExplainer.Reasons(on).Single(l => l.Decides == "predicted loss (anchored)").Text);
        // Off: the last logged point, as before.
        var off = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"], AnchorTail = AnchorTailSplits.None }).Anchored!;
        Assert.Equal(d.Run, off.Run);
        Assert.False(off.Tail);
        Assert.Equal(last, off.Observed, 12);
        Assert.True(double.IsNaN(off.LastLogged));
        // Only O(a) changes: the law's part of the anchored loss (the same fit, within or across peak LR) is the same.
        Assert.Equal(off.Predicted / off.Observed, d.Predicted / d.Observed, 12);
    }

    [Fact]
    public void The_tail_estimate_is_for_train_fitted_plans_by_default()
    {
        Assert.True(new PlanOptions().TailFor(LossSplit.Train));
        Assert.False(new PlanOptions().TailFor(LossSplit.Validation));
        Assert.True(new PlanOptions { AnchorTail = AnchorTailSplits.TrainAndValidation }.TailFor(LossSplit.Validation));
        Assert.False(new PlanOptions { AnchorTail = AnchorTailSplits.None }.TailFor(LossSplit.Train));
    }

    [Fact]
    public void With_a_final_evaluation_the_plan_is_unchanged_bit_for_bit()
    {
        var request = new PlanRequest(SyntheticRuns.N, 4e8, TrainingOptimizer.AdamW);
        // Each run's final evaluation: the true loss at its last step (the finalValLoss tag).
        var runs = NoisyEnds().Select(r => r with
        {
            Metadata = r.Metadata with
            {
                Tags = new Dictionary<string, string>
                {
                    ["finalValLoss"] = SyntheticRuns.TrueFinalLoss(r.LearningRates).ToString("R", CultureInfo.InvariantCulture),
                    ["finalValStep"] = r.Steps.ToString(CultureInfo.InvariantCulture),
                },
            },
        }).ToList();
        var on = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"] });
        var off = Planner.Make(request, runs, new PlanOptions { Laws = ["tissue"], AnchorTail = AnchorTailSplits.None });
        var d = on.Anchored!;
        Assert.True(d.Anchored);
        Assert.True(d.FinalEvaluation);
        Assert.False(d.Tail);
        double final = HorizonBias.FinalEvaluationOf(runs.Single(r => r.Name == d.Run));
        Assert.Equal(final, d.Observed);
        // The plan's loss is the anchored formula on the final evaluation (as before the tail estimate existed), and on and off agree.
        Assert.Equal(d.AcrossLr ? AnchoredLoss.PredictAcrossLr(final, d.LawAtRunPeak, d.LawOnRun, d.LrLawAtTarget, d.LrLawAtRunPeak) : AnchoredLoss.Predict(final, d.LawAtTarget, d.LawOnRun), d.Predicted);
        Assert.Equal(d.Predicted, on.Best.PredictedLoss);
        Assert.Equal((off.Best.PredictedLoss, off.Best.Lower, off.Best.Upper), (on.Best.PredictedLoss, on.Best.Lower, on.Best.Upper));
        Assert.Equal(off.Anchored!.Observed, d.Observed);
    }

    [Fact]
    public void Without_points_in_the_last_tenth_the_reason_names_the_earlier_point_the_estimate_read()
    {
        // Every run's train curve stops at 80% of its steps: the tail estimate reads its last point, before the last tenth.
        var runs = SyntheticRuns.Plannable().Select(r => r with { Observations = [.. r.Observations.Where(o => o.Step <= 0.8 * r.Steps)] }).ToList();
        var plan = Planner.Make(new PlanRequest(SyntheticRuns.N, 4e8, TrainingOptimizer.AdamW), runs, new PlanOptions { Laws = ["tissue"] });
        var d = plan.Anchored!;
        Assert.True(d.Tail);
        var run = runs.Single(r => r.Name == d.Run);
        int last = run.Final()!.Value.Step;
        Assert.Equal(last, d.TailFrom);
        Assert.True(last < 0.9 * run.Steps);
        string text = PlanExplainer.Reasons(plan).Single(l => l.Decides == "predicted loss (anchored)").Text;
        Assert.Contains(FormattableString.Invariant($"estimated from its last logged point, at step {last} (none in its last 10% of steps) by the law's shape"), text, StringComparison.Ordinal);
        Assert.DoesNotContain("from its last 10% of steps", text, StringComparison.Ordinal);
    }
}
