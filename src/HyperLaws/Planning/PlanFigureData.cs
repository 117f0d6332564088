using HyperLaws.Laws;
using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// The data of a plan's figures that cost law evaluations: the predicted loss curves of the planned schedules, the warmup x
/// peak-LR contour and the divergence margin. Computed from the decision record (<see cref="Compute"/>) only when a
/// report is written.
/// </summary>
/// <param name="Curves">The best schedule's curve, then the runner-ups', in the plan's order.</param>
/// <param name="Contour">The contour (null: the plan's schedule has no warmup, or the plan holds no law).</param>
/// <param name="Divergence">The divergence margin (null without a divergence model).</param>
public sealed record PlanFigureData(IReadOnlyList<PlannedCurve> Curves, ContourFigureData? Contour, DivergenceFigureData? Divergence)
{
    /// <summary>Points of each predicted loss curve.</summary>
    public const int CurvePoints = PlanEvaluator.CurvePoints;

    /// <summary>Peaks of the contour's filling grid and its rows (warmups, besides the plan's).</summary>
    public const int ContourPeaks = 9, ContourWarmups = 4;

    /// <summary>
    /// <paramref name="preferred"/> values first (in their order), then <paramref name="fill"/> values, each kept only when at least
    /// <paramref name="ratio"/> away (in log) from every value kept; sorted.
    /// </summary>
    internal static double[] Thin(IEnumerable<double> preferred, IEnumerable<double> fill, double ratio)
    {
        var kept = new List<double>();
        foreach (double x in preferred.Where(x => x > 0).Concat(fill))
            if (kept.All(k => Math.Abs(Math.Log(x / k)) >= Math.Log(ratio) || x == k) && !kept.Contains(x)) kept.Add(x);
        return [.. kept.Order()];
    }

    /// <summary>Peaks of the divergence margin.</summary>
    public const int MarginPeaks = 25;

    /// <summary>No figure data (a plan made without its law).</summary>
    public static PlanFigureData Empty { get; } = new([], null, null);

    /// <summary>
    /// The figure data of <paramref name="plan"/>, from its law and target: the curves at <see cref="CurvePoints"/> steps (those the
    /// planner's evaluator kept for the schedules it evaluated, <see cref="PlanEvaluator.Curve"/>, else predicted here); the
    /// contour of the plan's shape over peaks spanning the plan's peak and the law's optimum (x4 beyond each, log spaced, both
    /// on the grid) and warmups over the warmup search's range, reusing every schedule the planner already evaluated; the
    /// margin over peaks x1/16..x64 of the plan's.
    /// </summary>
    public static PlanFigureData Compute(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Model is not { } law || plan.Target is not { } target) return Empty;
        var evaluator = plan.Evaluator ?? new PlanEvaluator(law, target);
        var schedules = new[] { plan.Best }.Concat(plan.RunnerUps).Select(s => s.Schedule).ToList();
        var curves = new PlannedCurve[schedules.Count];
        Parallel.For(0, schedules.Count, i =>
        {
            var s = schedules[i];
            var steps = PlanEvaluator.CurveSteps(s.Steps);
            var y = evaluator.Curve(s) is { } kept ? (double[])kept.Clone() : Predict(law, s, target, steps);
            curves[i] = new PlannedCurve(s.ToSpec(), [.. steps.Select(t => (double)t)], y);
        });
        return new PlanFigureData(curves, BuildContour(plan, evaluator), BuildMargin(plan));
    }

    /// <summary>The law's losses of <paramref name="schedule"/> at <paramref name="steps"/>, predicted anew.</summary>
    internal static double[] Predict(IPlanLaw law, LrSchedule schedule, PlanTarget target, int[] steps)
    {
        var y = new double[steps.Length];
        law.Predict(schedule, target, steps, y);
        return y;
    }

    private static (ScheduleFamily Family, int Warmup, double Cooldown, double Floor)? Shape(LrSchedule s) => s switch
    {
        WsdSchedule w => (ScheduleFamily.Wsd, w.Warmup, w.Cooldown ?? (double)w.CooldownLength / w.Steps, w.Peak > 0 ? Math.Round(w.Floor / w.Peak, 9) : 0),
        CosineSchedule c => (ScheduleFamily.Cosine, c.Warmup, double.NaN, c.Peak > 0 ? Math.Round(c.Floor / c.Peak, 9) : 0),
        LinearSchedule l => (ScheduleFamily.Linear, l.Warmup, double.NaN, l.Peak > 0 ? Math.Round(l.Floor / l.Peak, 9) : 0),
        ConstantSchedule k => (ScheduleFamily.Constant, k.Warmup, double.NaN, double.NaN),
        _ => null,
    };

    private static ContourFigureData? BuildContour(TrainingPlan plan, PlanEvaluator evaluator)
    {
        if (Shape(plan.Best.Schedule) is not { } shape || plan.Best.Schedule is not WarmupSchedule best) return null;
        int steps = best.Steps;
        var peak = plan.Decision(PlanAxis.PeakLr);
        double optimum = peak is { Bound: AxisBound.Interior } ? peak.Optimum : double.NaN;
        // Peaks: from /4 of the lower of (plan, optimum) to x4 of the higher; the peaks the planner's peak search evaluated (at
        // the plan's shape: the plan's warmup row) are taken first, so that row costs nothing; gaps filled from a log grid.
        double low = Math.Min(best.Peak, double.IsFinite(optimum) ? optimum : best.Peak) / 4, high = Math.Max(best.Peak, double.IsFinite(optimum) ? optimum : best.Peak) * 4;
        var searched = (peak?.Points ?? []).Select(p => p.Value).Where(x => x >= low * 0.999 && x <= high * 1.001);
        // Each column at the peak its schedules have (3 significant digits, as the planner builds them).
        var peaks = Thin(new[] { best.Peak }.Concat(double.IsFinite(optimum) ? [optimum] : []).Concat(searched.Order()), Planner.Grid(low, high, ContourPeaks), 1.25)
            .Select(x => Numerics.Significant.Round(x)).Distinct().Order().ToArray();
        var warmAxis = plan.Decision(PlanAxis.Warmup);
        double wLow = warmAxis?.SearchLow ?? Math.Max(1, 0.001 * steps), wHigh = warmAxis?.SearchHigh ?? Math.Max(1, 0.3 * steps);
        var warmups = Planner.Grid(wLow, wHigh, ContourWarmups).Select(w => (double)Math.Clamp((int)Math.Round(w), 1, steps - 1)).Concat([best.Warmup]).Distinct().Order().ToArray();
        if (warmups.Length < 2 || peaks.Length < 2) return null;
        var cells = warmups.SelectMany(w => peaks.Select(p => Planner.Build(shape.Family, p, steps, (int)w, shape.Cooldown, shape.Floor))).ToList();
        var loss = evaluator.Final(cells, curves: false);
        var z = new double[warmups.Length, peaks.Length];
        var guard = plan.Guard;
        var target = plan.Target!;
        Parallel.For(0, cells.Count, k =>
        {
            int i = k / peaks.Length, j = k % peaks.Length;
            z[i, j] = cells[k] is { } s && (guard is null ? null : evaluator.Check(guard, s))?.Diverges != true ? loss[k] : double.NaN;
        });
        var support = plan.Model!.Support(target);
        return new ContourFigureData(shape.Family.Name, peaks, warmups, z, best.Peak, best.Warmup)
        {
            DataLimitPeak = support.High,
            LawOptimumPeak = double.IsFinite(optimum) && Math.Abs(Math.Log(optimum / best.Peak)) > 0.01 ? optimum : double.NaN,
        };
    }

    private static DivergenceFigureData? BuildMargin(TrainingPlan plan)
    {
        if (plan.Target is not { } target || plan.Best.Schedule is not WarmupSchedule w) return null;
        if (plan.Guard is not ModelDivergenceGuard guard) return null;
        var screen = guard.Screen(target);
        var multiples = Enumerable.Range(0, MarginPeaks).Select(i => Math.Pow(2, -4 + 10.0 * i / (MarginPeaks - 1))).ToArray();
        var peaks = new double[multiples.Length];
        var ratio = new double[multiples.Length];
        var probability = new double[multiples.Length];
        double etaL = double.NaN;
        var lr = w.Evaluate();   // once; each peak is these LRs times its multiple, as ScheduleHistory.Of(w, multiple) makes them
        Parallel.For(0, multiples.Length, i =>
        {
            var scaled = (double[])lr.Clone();
            if (multiples[i] != 1)
                for (int t = 0; t < scaled.Length; t++) scaled[t] *= multiples[i];
            var p = screen.Predict(scaled);
            peaks[i] = w.Peak * multiples[i];
            ratio[i] = p.Ratio;
            probability[i] = p.Probability;
            if (i == 0) etaL = p.EtaL;
        });
        return new DivergenceFigureData(peaks, ratio, probability, etaL, w.Peak, screen.DefaultPredictor == HyperLaws.Divergence.DivergencePredictorKind.Area ? "screen: area criterion" : "screen: critical-LR boundary eta_crit");
    }
}
