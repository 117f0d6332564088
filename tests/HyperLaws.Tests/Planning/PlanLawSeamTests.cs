using CsCheck;
using HyperLaws.Planning;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// The planner's seams with a law whose optimum is known in closed form (<see cref="Bowl"/>): the peak, warmup and cooldown
/// are the law's optimum, their intervals where the loss is within tolerance, the guard when the runs do not reach the
/// optimum, a divergence guard's boundary, and the contour holding the optimum.
/// </summary>
public sealed class PlanLawSeamTests
{
    /// <summary>
    /// Final loss L = 2 + a ln(peak/p*)^2 + b ln(warmup/w*)^2 + c (cooldown - c*)^2 for wsd; other families 0.05 higher.
    /// Supported peaks [supportLow, supportHigh] (NaN: unknown).
    /// </summary>
    private sealed class Bowl(double pStar, double supportLow = double.NaN, double supportHigh = double.NaN) : IPlanLaw
    {
        public const double A = 0.05, B = 0.01, C = 0.2, WarmupFraction = 0.02, CooldownStar = 0.35;

        public string Name => "bowl";

        public int Calls;

        public static double Loss(LrSchedule s, double pStar)
        {
            var w = (WarmupSchedule)s;
            double wStar = WarmupFraction * s.Steps;
            double loss = 2 + A * Math.Pow(Math.Log(w.Peak / pStar), 2) + B * Math.Pow(Math.Log(Math.Max(1, w.Warmup) / wStar), 2);
            return s is WsdSchedule wsd ? loss + C * Math.Pow((double)wsd.CooldownLength / s.Steps - CooldownStar, 2) : loss + 0.05;
        }

        public void Predict(LrSchedule schedule, PlanTarget target, ReadOnlySpan<int> steps, Span<double> output)
        {
            Interlocked.Increment(ref Calls);
            double final = Loss(schedule, pStar);
            // A curve that reaches the final loss at the last step.
            for (int i = 0; i < steps.Length; i++) output[i] = final + 1.0 * (1 - (double)steps[i] / schedule.Steps);
        }

        public PeakSupport Support(PlanTarget target) => new(supportLow, supportHigh, 0.5);
    }

    /// <summary>Diverges at peaks above <paramref name="boundary"/>.</summary>
    private sealed class Boundary(double boundary) : IDivergenceGuard
    {
        public string Source => "boundary";

        public DivergenceCheck Check(LrSchedule schedule, PlanTarget target)
        {
            double peak = ((WarmupSchedule)schedule).Peak;
            return new DivergenceCheck(peak > boundary, peak > boundary ? 1 : 0, boundary, peak / boundary);
        }

        public double HighestSafePeak(Func<double, LrSchedule?> shape, PlanTarget target, double low, double high) =>
            high <= boundary ? high : low > boundary ? double.NaN : boundary;
    }

    private static readonly PlanRequest Request = new(SyntheticRuns.N, 4e8, TrainingOptimizer.AdamW) { RunnerUps = 3 };

    private static TrainingPlan Plan(IPlanLaw law, IDivergenceGuard? guard = null, double relativeError = 0.01) =>
        Planner.Make(Request, SyntheticRuns.Plannable(), new PlanOptions { Law = law, Intervals = new HeldOutInterval(relativeError), Guard = guard });

    [Fact]
    public void An_interior_optimum_is_the_plans_peak_warmup_and_cooldown_with_intervals_from_the_closed_form()
    {
        double rule = Plan(new Bowl(1e-3)).Hyperparameters.RuleLearningRate;
        double pStar = 3.7 * rule; // inside the search range, away from the coarse grid's points
        var law = new Bowl(pStar);
        var plan = Plan(law);
        Assert.Equal("bowl", plan.Law);
        Assert.Same(ScheduleFamily.Wsd, plan.Best.Schedule.Family);
        var peak = plan.Decision(PlanAxis.PeakLr)!;
        Assert.Equal(AxisBound.Interior, peak.Bound);
        Assert.Null(peak.Guard);
        Assert.Equal(peak.Optimum, peak.Chosen);
        // Bracket halving to ~2%, then the parabola's vertex (exact for a quadratic in ln peak), then 3 digits.
        Property.Near(pStar, ((WarmupSchedule)plan.Best.Schedule).Peak, 0.006, "peak");
        Property.Near(Bowl.CooldownStar, (double)((WsdSchedule)plan.Best.Schedule).CooldownLength / plan.Hyperparameters.Steps, 0.01, "cooldown");
        Property.Near(Bowl.WarmupFraction * plan.Hyperparameters.Steps, ((WarmupSchedule)plan.Best.Schedule).Warmup, 0.03, "warmup");
        // The LR interval: a ln(x/p*)^2 = tolerance, each end to one bisection step of the bracket it was found in.
        double tol = plan.Best.Upper - plan.Best.PredictedLoss;
        Assert.Equal(0.01 * plan.Best.PredictedLoss, tol, 12);
        Assert.Equal(tol, peak.Tolerance, 12);
        // The ends are the last evaluated peaks inside: at most the crossing, and within the last bisection step (< 0.2 in ln) of it.
        double half = Math.Sqrt(tol / Bowl.A);
        Assert.InRange(Math.Log(peak.Upper / pStar), half - 0.2, half + 0.01);
        Assert.InRange(Math.Log(pStar / peak.Lower), half - 0.2, half + 0.01);
        Assert.False(peak.LowerOpen || peak.UpperOpen);
        // The contour holds the optimum inside its range, and its cells are the law's losses.
        var c = PlanFigureData.Compute(plan).Contour!;
        Assert.InRange(pStar, c.Peaks[0], c.Peaks[^1]);
        for (int i = 0; i < c.Warmups.Length; i++)
            for (int j = 0; j < c.Peaks.Length; j++)
                Assert.Equal(Bowl.Loss(new WsdSchedule(Schedules(c.Peaks[j]), plan.Hyperparameters.Steps, (int)c.Warmups[i],
                    cooldown: Math.Round((double)((WsdSchedule)plan.Best.Schedule).Cooldown!.Value, 3)), pStar), c.Loss[i, j], 9);
        // The words give the optimum and its interval.
        string text = PlanExplainer.AxisText(peak, plan.Law);
        Assert.Contains("optimum", text, StringComparison.Ordinal);
        Assert.Contains("within the loss interval", text, StringComparison.Ordinal);
    }

    private static double Schedules(double peak) => HyperLaws.Numerics.Significant.Round(peak);

    [Fact]
    public void An_optimum_above_the_runs_is_guarded_at_their_highest_lr_with_a_sweep_that_brackets_it()
    {
        double rule = Plan(new Bowl(1e-3)).Hyperparameters.RuleLearningRate;
        double pStar = 6 * rule, cap = 1.5 * rule;
        var plan = Plan(new Bowl(pStar, 0.5 * rule, cap));
        var peak = plan.Decision(PlanAxis.PeakLr)!;
        Assert.Equal(AxisBound.Interior, peak.Bound);
        Property.Near(pStar, peak.Optimum, 0.01, "optimum");
        Assert.Equal(cap, peak.Chosen, 12);
        Assert.Equal(HyperLaws.Numerics.Significant.Round(cap), ((WarmupSchedule)plan.Best.Schedule).Peak);
        var guard = peak.Guard!;
        Assert.Equal(GuardKind.AboveRuns, guard.Kind);
        // Four peaks from the cap, evenly in log, the last one sqrt(2) past the optimum; in the runs' units x0.5.
        Assert.Equal(4, guard.SweepPeaks.Count);
        Assert.True(guard.SweepPeaks.Zip(guard.SweepPeaks.Skip(1)).All(p => p.Second > p.First));
        Property.Near(peak.Optimum * Math.Sqrt(2), guard.SweepPeaks[^1], 0.006, "last sweep peak");
        Assert.Equal(guard.SweepPeaks.Select(x => x * 0.5), guard.SweepPeaksInRunUnits);
        var warning = Assert.Single(plan.Warnings, w => w.Kind == WarningKind.PeakGuarded);
        Assert.Equal(0, warning.Q("atEdge"));
        Assert.Contains("outside what the runs support", PlanExplainer.Warning(warning), StringComparison.Ordinal);
        // The runner-ups stay within the supported peaks.
        Assert.All(plan.RunnerUps, s => Assert.True(((WarmupSchedule)s.Schedule).Peak <= cap * 1.005));
        // The contour shows both the plan's peak and the law's optimum.
        var c = PlanFigureData.Compute(plan).Contour!;
        Assert.InRange(pStar, c.Peaks[0], c.Peaks[^1]);
        Property.Near(peak.Optimum, c.LawOptimumPeak, 1e-12, "optimum marked");
    }

    [Fact]
    public void A_divergence_boundary_below_the_optimum_holds_the_peak_at_the_boundary()
    {
        double rule = Plan(new Bowl(1e-3)).Hyperparameters.RuleLearningRate;
        double pStar = 4 * rule, boundary = HyperLaws.Numerics.Significant.Round(2 * rule); // a peak the schedules can have exactly
        var plan = Plan(new Bowl(pStar), new Boundary(boundary));
        var peak = plan.Decision(PlanAxis.PeakLr)!;
        Assert.Equal(GuardKind.Divergence, peak.Guard!.Kind);
        Assert.Equal(boundary, peak.Chosen, 12);
        Assert.Equal(boundary, peak.Guard.DivergenceBoundary, 12);
        Assert.Empty(peak.Guard.SweepPeaks);
        Assert.False(plan.Best.Diverges);
        var reason = Assert.Single(plan.Reasons, r => r.Kind == ReasonKind.Divergence);
        Assert.Equal("boundary", reason.Source);
        Assert.Equal(boundary, reason.Q("safePeak"), 12);
    }

    [Fact]
    public void The_lr_interval_stops_at_the_divergence_boundary()
    {
        double rule = Plan(new Bowl(1e-3)).Hyperparameters.RuleLearningRate;
        double pStar = 2 * rule, boundary = HyperLaws.Numerics.Significant.Round(2.5 * rule);
        var peak = Plan(new Bowl(pStar), new Boundary(boundary)).Decision(PlanAxis.PeakLr)!;
        // The optimum trains, so it is the plan's peak; the loss stays within tolerance to ~x1.9 above it, but the schedule diverges above x1.25.
        Assert.Null(peak.Guard);
        Property.Near(pStar, peak.Chosen, 0.01, "peak");
        Assert.Equal(boundary, peak.Upper, 12);
        Assert.True(peak.UpperAtDivergence);
        Assert.False(peak.UpperOpen);
        Assert.Contains("divergence guard's limit", PlanExplainer.AxisText(peak), StringComparison.Ordinal);
        // Without the guard the interval reaches further.
        Assert.True(Plan(new Bowl(pStar)).Decision(PlanAxis.PeakLr)!.Upper > 1.3 * boundary);
    }

    [Fact]
    public void Each_schedule_is_evaluated_once_and_the_report_data_reuse_the_search()
    {
        var law = new Bowl(1e-3);
        var plan = Plan(law);
        int made = law.Calls;
        Assert.InRange(made, 40, 150);
        // The contour's plan row and the curves: the curves cost one call each, the contour only cells not yet evaluated.
        var data = PlanFigureData.Compute(plan);
        var c = data.Contour!;
        Assert.True(law.Calls - made - data.Curves.Count < c.Loss.Length, $"{law.Calls - made} calls for {c.Loss.Length} cells and {data.Curves.Count} curves");
    }

    [Fact]
    public void The_axis_search_finds_the_vertex_of_a_bowl_on_a_log_axis()
    {
        var cases = from lnStar in Gen.Double[-2.5, 2.5]
                    from width in Gen.Double[0.05, 3]
                    select (lnStar, width);
        Property.ForAll(cases, x =>
        {
            var search = new AxisSearch(v => [.. v.Select(p => x.width * Math.Pow(Math.Log(p) - x.lnStar, 2))], log: true);
            var (value, loss, bound) = search.Minimize(Planner.Grid(Math.Exp(-3), Math.Exp(3), 7), 6);
            Assert.Equal(AxisBound.Interior, bound);
            // The parabola through the last bracket is the function itself: the vertex is exact.
            Assert.InRange(Math.Abs(Math.Log(value) - x.lnStar), 0, 1e-6);
            Assert.InRange(loss, 0, 1e-9);
            var (lower, upper, lowerOpen, upperOpen) = search.Interval(value, x.width * 0.25, 12);
            Assert.False(lowerOpen || upperOpen);
            Assert.InRange(Math.Abs(Math.Log(lower) - (x.lnStar - 0.5)), 0, 1e-3);
            Assert.InRange(Math.Abs(Math.Log(upper) - (x.lnStar + 0.5)), 0, 1e-3);
        }, iterations: 60);
        // A monotone function: the optimum is the edge, and the interval is open there.
        var edge = new AxisSearch(v => [.. v.Select(p => -Math.Log(p))], log: true);
        var (ev, _, eb) = edge.Minimize(Planner.Grid(1, 100, 7), 6);
        Assert.Equal(AxisBound.AtHigh, eb);
        Assert.Equal(100, ev, 9);
        Assert.True(edge.Interval(ev, 0.1, 4).UpperOpen);
    }
}
