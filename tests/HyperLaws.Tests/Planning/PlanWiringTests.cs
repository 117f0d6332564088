using HyperLaws.Divergence;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Planning;
using HyperLaws.Runs;
using System.Globalization;
using HyperLaws.Schedules;
using HyperLaws.Tests.Schedules;
using CsCheck;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// Issue 10's pieces in the planner: the joint law as a plan law (<see cref="JointPlanLaw"/>), the conformal interval
/// (<see cref="ConformalIntervalProvider"/>) and the closed-form critical-LR guard (<see cref="CriticalLrGuard"/>).
/// </summary>
public sealed class PlanWiringTests
{
    /// <summary>Runs of the annealing law at three peaks (5e-4, 1e-3, 2e-3) and two sizes, batch known; the 2,000-step ones are the longest.</summary>
    private static List<TrainingRun> ThreePeaks()
    {
        var runs = new List<TrainingRun>();
        foreach (double n in new[] { 5e7, 1e8 })
            foreach (double peak in new[] { 5e-4, 1e-3, 2e-3 })
            {
                string tag = $"{n:G2}-{peak:G2}";
                runs.Add(SyntheticRuns.Curve("cosine-1000-" + tag, new CosineSchedule(peak, 1000, 20, peak / 10), n));
                runs.Add(SyntheticRuns.Curve("wsd-1000-" + tag, new WsdSchedule(peak, 1000, 20, cooldown: 0.2, floor: peak / 10), n));
            }
        runs.Add(SyntheticRuns.Curve("cosine-2000", new CosineSchedule(1e-3, 2000, 20, 1e-4)));
        runs.Add(SyntheticRuns.Curve("wsd-2000", new WsdSchedule(1e-3, 2000, 20, cooldown: 0.2, floor: 1e-4)));
        return runs;
    }

    private static readonly Lazy<JointPlanLaw> Joint = new(() => JointPlanLaw.FitOn(ThreePeaks()));

    [Fact]
    public void The_joint_plan_law_predicts_what_the_joint_law_predicts_at_the_target_size_and_batch()
    {
        var law = Joint.Value;
        Assert.True(law.UseSize);
        Assert.True(law.UseBatch);
        Assert.Equal("joint", law.Name);
        var target = new PlanTarget(2e8, 3000 * 131072.0, 131072, 3000);
        Property.ForAll(Property.LogUniform(1e-4, 1e-2), peak =>
        {
            var schedule = new WsdSchedule(peak, 3000, 30, cooldown: 0.3, floor: 0);
            var y = new double[1];
            law.Predict(schedule, target, [3000], y);
            double expected = law.Law.PredictFinal(law.Fit.Parameters, new ScheduleHistory(schedule.Evaluate()), 2e8, 131072);
            Assert.Equal(expected, y[0], 12);
        }, iterations: 20);
        // The support is the runs' peak LRs as they are (absolute: no scaling rule in between).
        var support = law.Support(target);
        Assert.Equal(5e-4, support.Low, 12);
        Assert.Equal(2e-3, support.High, 12);
        Assert.Equal(1, support.RunUnitsPerTarget);
    }

    [Fact]
    public void Runs_without_a_batch_leave_the_batch_out_for_the_target_too()
    {
        var runs = ThreePeaks().Select(r => r with { Metadata = r.Metadata with { TokensPerStep = null } }).ToList();
        Assert.False(JointPlanLaw.UsesBatch(runs, null));
        Assert.True(JointPlanLaw.UsesBatch(runs, 65536));
        Assert.All(JointPlanLaw.Curves(runs), c => Assert.True(double.IsNaN(c.BatchTokens)));
        Assert.All(JointPlanLaw.Curves(runs, runsTokensPerStep: 65536), c => Assert.Equal(65536, c.BatchTokens));
    }

    [Fact]
    public void The_conformal_interval_matches_the_calibration_and_widens_with_the_extrapolation()
    {
        var rng = new Random(3);
        var residuals = Enumerable.Range(0, 12).Select(i => new CalibrationResidual("r" + i, "s", 3.0, 3.0 * (1 + 0.01 * (rng.NextDouble() - 0.5) * (1 + i % 3)),
            new ExtrapolationDistance(1 + (i % 3) * 0.5, 1, 1))).ToList();
        var provider = ConformalIntervalProvider.TryCalibrate(residuals, "test")!;
        var c = ConformalCalibration.Calibrate(residuals, ConformalIntervalProvider.Level);
        Assert.Equal(c, provider.Calibration);
        Assert.Equal(IntervalKind.Conformal, provider.Kind);
        Property.ForAll(Property.LogUniform(1, 8).SelectMany(h => Property.LogUniform(1, 8).SelectMany(s => Property.LogUniform(1, 8).Select(l => (h, s, l)))), x =>
        {
            var e = new PlanExtrapolation(x.h, x.s, x.l);
            double d = Math.Log(x.h) + Math.Log(x.s) + Math.Log(x.l);
            var iv = provider.Interval(2.5, e);
            var (lo, hi) = c.Bounds(2.5, d);
            Assert.Equal(lo, iv.Lower, 12);
            Assert.Equal(hi, iv.Upper, 12);
            Assert.Equal(ConformalIntervalProvider.Level, iv.Level);
            // Wider when any ratio grows (the growth is >= 0, here > 0).
            var wider = provider.Interval(2.5, new PlanExtrapolation(x.h * 1.5, x.s, x.l));
            Assert.True(wider.Upper - wider.Lower > iv.Upper - iv.Lower);
        }, iterations: 50);
        Assert.True(provider.Calibration.Growth > 0);
        // Unknown ratios (NaN) count as no extrapolation; too few residuals give no provider (the plan falls back).
        Assert.Equal(provider.Interval(2.5, new PlanExtrapolation(1, 1, 1)), provider.Interval(2.5, new PlanExtrapolation(double.NaN, double.NaN, 1)));
        Assert.Null(ConformalIntervalProvider.TryCalibrate(residuals.Take(2).ToList(), "test"));
    }

    [Fact]
    public void The_plan_residuals_are_held_out_ones_plus_one_half_horizon_fit()
    {
        var training = Planner.Targets(SyntheticRuns.Plannable());
        int fits = 0;
        Func<IReadOnlyList<FitTarget>, Func<FitTarget, double>> fit = train =>
        {
            fits++;
            Assert.All(train, t => Assert.True(t.Steps[^1] <= 0.5 * training.Single(u => u.Name == t.Name).Steps[^1]));
            return t => t.Loss[^1] * 1.01;
        };
        var fitOn = training.Where(t => t.Steps[^1] < 2000).ToList();
        var held = training.Where(t => t.Steps[^1] == 2000).Select(t => (t, t.Loss[^1] * 0.98)).ToList();
        var residuals = ConformalIntervalProvider.Residuals(training, fit, fitOn, held);
        Assert.Equal(1, fits);
        Assert.Equal(held.Count + training.Count, residuals.Count);
        // The held-out ones reach twice the horizon of what they were fitted on: distance ln 2.
        Assert.All(residuals.Where(r => r.Split == "held-out"), r => Assert.Equal(Math.Log(2), r.Distance.Value, 9));
    }

    /// <summary>A model whose eta_crit moves with N, batch, tokens and warmup.</summary>
    private static readonly DivergenceModel Model = new(new CriticalLrRule(Math.Log(3e-3), -0.3, 0.2, -0.1, 0.15, 4));

    [Fact]
    public void The_closed_form_highest_safe_peak_equals_bisection_on_the_screen()
    {
        var closed = new CriticalLrGuard(Model, "t");
        var bisect = new ScreenDivergenceGuard(Model, "t");
        var gen = Property.LogUniform(1e7, 1e10).SelectMany(n => Property.LogUniform(1e5, 1e7).SelectMany(b =>
            Gen.Int[200, 5000].SelectMany(steps => Gen.Int[0, 3].Select(f => (n, b, steps, f)))));
        Property.ForAll(gen, x =>
        {
            var target = new PlanTarget(x.n, x.steps * x.b, x.b, x.steps);
            var family = CandidateGrid.Buildable[x.f];
            LrSchedule? Shape(double peak) => Planner.Build(family, peak, x.steps, Math.Max(1, x.steps / 50), family == ScheduleFamily.Wsd ? 0.3 : double.NaN, 0);
            double a = closed.HighestSafePeak(Shape, target, 1e-6, 10), b = bisect.HighestSafePeak(Shape, target, 1e-6, 10);
            Assert.True(double.IsFinite(a) && double.IsFinite(b));
            // Bisection stops within its resolution below the boundary; the closed form is at it (3 significant digits).
            Assert.InRange(a / b, 0.999, ScreenDivergenceGuard.Resolution * 1.001);
            Assert.False(closed.Check(Shape(a)!, target).Diverges);
            Assert.True(closed.Check(Shape(a * 1.01)!, target).Diverges);
            // A range wholly below the boundary: its top; wholly above: NaN.
            Assert.Equal(1e-6, closed.HighestSafePeak(Shape, target, 1e-7, 1e-6));
            Assert.True(double.IsNaN(closed.HighestSafePeak(Shape, target, 20, 40)));
        }, iterations: 40);
    }

    [Fact]
    public void A_plan_with_the_joint_law_gives_an_interior_or_guarded_peak_with_its_reason_and_a_conformal_interval()
    {
        var runs = ThreePeaks();
        var request = new PlanRequest(1e8, 4e8, TrainingOptimizer.AdamW);
        // The law's own search is checked here (ObservedBest off: the schedule-regret rule is tested in ObservedBestTests).
        var plan = Planner.Make(request, runs, new PlanOptions { Laws = ["joint"], Divergence = Model, DivergenceSource = "test", ObservedBest = false });
        Assert.Equal("joint", plan.Law);
        var joint = Assert.IsType<JointPlanLaw>(plan.Model);
        // The plan's loss is the joint law's at the target, times the horizon-bias correction (on by default).
        var y = new double[1];
        joint.Predict(plan.Best.Schedule, plan.Target!, [plan.Best.Schedule.Steps], y);
        Assert.Equal(y[0] * plan.Correction.Factor, plan.Best.PredictedLoss, 9);
        var peak = plan.Decision(PlanAxis.PeakLr)!;
        if (peak.Guard is { } g)
        {
            Assert.Contains(plan.Warnings, w => w.Kind == WarningKind.PeakGuarded && w.Labels[0] == g.Kind.ToString());
            if (g.Kind != GuardKind.Divergence) Assert.InRange(peak.Chosen, 5e-4 * 0.999, 2e-3 * 1.001);
        }
        else
        {
            Assert.Equal(AxisBound.Interior, peak.Bound);
        }
        Assert.Contains(plan.Reasons, r => r.Kind == ReasonKind.PeakLr && PlanExplainer.Reason(r).Text.Length > 0);
        // The divergence reason speaks of the critical peak LR and P(diverge), not an area criterion.
        var div = Assert.Single(plan.Reasons, r => r.Kind == ReasonKind.Divergence);
        string text = PlanExplainer.Reason(div).Text;
        Assert.Contains("eta_crit", text, StringComparison.Ordinal);
        Assert.DoesNotContain("area", text, StringComparison.OrdinalIgnoreCase);
        Assert.False(plan.Best.Diverges);
        // The interval is calibrated (the runs give held-out and half-horizon residuals) and holds the predicted loss.
        Assert.Equal(IntervalKind.Conformal, plan.Interval);
        Assert.True(plan.Best.Lower < plan.Best.PredictedLoss && plan.Best.PredictedLoss < plan.Best.Upper);
        Assert.Contains("split-conformal", PlanExplainer.Interval(plan), StringComparison.Ordinal);
        // The axis searches ran on the law's own losses; the plan's are those x the horizon-bias correction's factor.
        Assert.Equal(plan.Best.Upper - plan.Best.PredictedLoss, peak.Tolerance * plan.Correction.Factor, 9);
    }

    /// <summary>The six 25M Multi-Power-Law curves that run their full schedule (one peak LR, 3e-4): 24k and 72k steps.</summary>
    private static List<TrainingRun> Mpl25()
    {
        var runs = new List<TrainingRun>();
        foreach (var row in MultiPowerLawLrTests.Files)
        {
            var (file, spec) = row.Data;
            if (file.StartsWith("wsdcon", StringComparison.Ordinal)) continue; // logged to step 14144 of 24000: not a full run
            var lr = LrSchedule.Parse(spec).Evaluate();
            var points = File.ReadAllLines(TestData.File("MultiPowerLaw", "loss_curve_repo", "csv_25", file)).Skip(1)
                .Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Split(','))
                .Select(c => new LossObservation(int.Parse(c[0], CultureInfo.InvariantCulture), double.Parse(c[2], CultureInfo.InvariantCulture))).ToList();
            runs.Add(new TrainingRun(new RunMetadata(file) { Parameters = 25e6 }, lr, points));
        }
        return runs;
    }

    [Fact]
    public void On_real_curves_the_joint_plan_holds_its_peak_to_the_runs_single_LR_and_says_why()
    {
        var runs = Mpl25();
        Assert.Equal(6, runs.Count);
        var plan = Planner.Make(new PlanRequest(25e6, 10 * 72000 * 0.5e6, TrainingOptimizer.AdamW), runs,
            new PlanOptions { Laws = ["joint"], Divergence = Model, DivergenceSource = "test" });
        Assert.Equal("joint", plan.Law);
        var joint = Assert.IsType<JointPlanLaw>(plan.Model);
        Assert.False(joint.UseSize); // one size: N tells the law nothing
        Assert.False(joint.UseBatch); // the files give no batch
        var support = joint.Support(plan.Target!);
        Assert.Equal(3e-4, support.Low, 12);
        Assert.Equal(3e-4, support.High, 12);
        var peak = plan.Decision(PlanAxis.PeakLr)!;
        // One peak LR in the runs: either the law's optimum is there (interior, at 3e-4) or the guard holds the plan there and
        // says which side the optimum lies on, with the sweep that would settle it.
        if (peak.Guard is { } g)
        {
            Assert.Contains(g.Kind, new[] { GuardKind.AboveRuns, GuardKind.BelowRuns, GuardKind.Divergence });
            if (g.Kind != GuardKind.Divergence)
            {
                Assert.Equal(3e-4, peak.Chosen, 9);
                Assert.Equal(4, g.SweepPeaks.Count);
            }
            Assert.Contains(plan.Warnings, w => w.Kind == WarningKind.PeakGuarded);
        }
        else
        {
            Assert.Equal(AxisBound.Interior, peak.Bound);
        }
        var reason = plan.Reasons.Single(r => r.Kind == ReasonKind.PeakLr);
        Assert.Equal("joint", reason.Source);
        Assert.Contains("optimum", PlanExplainer.Reason(reason).Text, StringComparison.Ordinal);
        // The held-out check ran for the joint law (fit on the four 24k runs, predict the two 72k ones) and a conformal interval followed.
        var accuracy = Assert.Single(plan.Accuracy);
        Assert.Equal("joint", accuracy.Law);
        Assert.Equal(2, accuracy.Curves.Count);
        Assert.True(accuracy.FinalError < 0.05, $"final error {accuracy.FinalError}");
        Assert.Equal(IntervalKind.Conformal, plan.Interval);
    }
}
