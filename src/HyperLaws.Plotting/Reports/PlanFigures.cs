using System.Globalization;
using System.Text;
using HyperLaws.Planning;
using HyperLaws.Schedules;
using static HyperLaws.Plotting.Reports.ReportFormat;

namespace HyperLaws.Plotting.Reports;

/// <summary>
/// The figures of a <see cref="TrainingPlan"/>: the scaling rules with the plan and the runs marked, the predicted loss
/// curves and LR schedules of the best plan and its runner-ups, the warmup x peak-LR contour, the divergence margin, and
/// the law's held-out curves. A figure whose data are missing is skipped, with the reason in
/// <see cref="PlanFigureSet.Skipped"/>.
/// </summary>
public static class PlanFigures
{
    // Figure names: the base file name of each figure (PlanFigure.Name) and its key in the report.

    /// <summary>The peak-LR scaling rule(s) vs token budget T at the plan's model size, with the plan and the fitted runs marked.</summary>
    public const string ScalingLr = "scaling-lr";

    /// <summary>The batch-size scaling rule(s) (tokens per step) vs token budget T at the plan's model size, with the plan and the fitted runs marked.</summary>
    public const string ScalingBatch = "scaling-batch";

    /// <summary>The predicted loss curves of the best plan and its runner-ups.</summary>
    public const string LossCurves = "loss-curves";

    /// <summary>The LR schedules (learning rate per step) of the best plan and its runner-ups.</summary>
    public const string LrSchedules = "lr-schedules";

    /// <summary>The predicted final loss over the warmup x peak-LR grid.</summary>
    public const string Contour = "contour";

    /// <summary>The divergence model's margin peak / eta_crit vs peak LR (above 1: predicted to diverge).</summary>
    public const string DivergenceMargin = "divergence-margin";

    /// <summary>The divergence classifier's probability of divergence vs peak LR.</summary>
    public const string DivergenceProbability = "divergence-probability";

    /// <summary>Held-out figures are named <c>held-out-&lt;law&gt;</c>.</summary>
    public const string HeldOutPrefix = "held-out-";

    /// <summary>At most this many laws get a held-out figure (the report's accuracy table lists them all).</summary>
    public const int MaxHeldOutFigures = 3;

    /// <summary>At most this many held-out curves are drawn per law, to keep the legend readable.</summary>
    public const int MaxHeldOutCurves = 8;

    /// <summary>
    /// Loss curves (predicted and held-out) are drawn from this fraction of each curve's last step on: a law's loss at the
    /// first steps is large (it falls like a power of the LR area) and would squeeze the part that differs between
    /// schedules into a flat line. The CSV tables hold every point.
    /// </summary>
    public const double CurveStart = 0.1;

    /// <summary>About this many points of each LR schedule are drawn (plus its warmup and cooldown corners).</summary>
    public const int LrSchedulePoints = 1000;

    // Category10 without red, which marks the plan: rules, schedules and held-out runs take these in order.
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];
    private const string PlanColor = "#d62728";
    private const string RunColor = "#222222";
    private const string ReferenceColor = "#7f7f7f";

    /// <summary>Builds every figure the plan has data for, computing the figure data from the plan (<see cref="PlanFigureData.Compute"/>).</summary>
    public static PlanFigureSet Build(TrainingPlan plan) => Build(plan, PlanFigureData.Compute(plan ?? throw new ArgumentNullException(nameof(plan))));

    /// <summary>Builds every figure the plan and its figure data have data for.</summary>
    public static PlanFigureSet Build(TrainingPlan plan, PlanFigureData data)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(data);
        var figures = new List<PlanFigure>();
        var skipped = new List<string>();
        void Add(PlanFigure? figure, string name, string why)
        {
            if (figure is not null) figures.Add(figure);
            else skipped.Add($"{name}: {why}");
        }

        var scaling = plan.Scaling;
        Add(ScalingFigure(plan, ScalingLr, "peak learning rate", "Peak learning rate", scaling?.LearningRate, scaling?.LearningRatePoints, v => G(v, 3)),
            ScalingLr, "the plan has no learning-rate rules or points");
        Add(ScalingFigure(plan, ScalingBatch, "batch size (tokens per step)", "Batch size", scaling?.BatchTokens, scaling?.BatchPoints, v => Count(v) + " tokens"),
            ScalingBatch, "the plan has no batch-size rules or points");
        var schedules = Schedules(plan, data);
        Add(LossCurvesFigure(plan, schedules), LossCurves, "no predicted loss curve was given");
        Add(LrSchedulesFigure(schedules), LrSchedules, "the plan has no schedule");
        Add(data.Contour is { } c ? ContourFigure(plan, c) : null, Contour,
            data.Contour is null ? "the plan has no warmup x peak-LR grid" : "the warmup x peak-LR grid needs at least two peaks and two warmups");

        var d = data.Divergence;
        Add(d is null ? null : MarginFigure(d, ModelName(plan, d)), DivergenceMargin, d is null ? "no divergence model was given" : "the divergence margin has no finite critical peak LR");
        Add(d is null ? null : ProbabilityFigure(d, ModelName(plan, d), ModelDescription(plan)), DivergenceProbability,
            d is null ? "no divergence model was given" : "the divergence screen gave no classifier probability");
        var accuracy = (plan.Accuracy ?? []).Where(a => a.Curves is { Count: > 0 }).ToList();
        if (accuracy.Count == 0)
        {
            skipped.Add($"{HeldOutPrefix}*: no held-out curves were given");
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var law in accuracy.Take(MaxHeldOutFigures))
        {
            string name = HeldOutPrefix + Slug(law.Law);
            for (int k = 2; !used.Add(name); k++) name = HeldOutPrefix + Slug(law.Law) + "-" + k.ToString(CultureInfo.InvariantCulture);
            figures.Add(HeldOutFigure(name, law));
        }

        if (accuracy.Count > MaxHeldOutFigures)
        {
            skipped.Add($"{HeldOutPrefix}*: held-out curves drawn for the first {MaxHeldOutFigures} of {accuracy.Count} laws (the accuracy table lists all)");
        }

        return new PlanFigureSet(figures, skipped);
    }

    /// <summary>Builds and writes every figure into <paramref name="directory"/> (PNG, SVG, CSV each); returns the paths.</summary>
    public static IReadOnlyList<string> Write(TrainingPlan plan, string directory)
    {
        var set = Build(plan);
        Directory.CreateDirectory(directory);
        return [.. set.Figures.SelectMany(f => f.Write(directory))];
    }

    /// <summary>A short label of a schedule: "wsd, peak 3.2e-4, warmup 500, cooldown 2000".</summary>
    public static string ShortLabel(LrSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule is not WarmupSchedule w) return $"{schedule.Family}, {Integer(schedule.Steps)} steps";
        string text = $"{w.Family}, peak {G(w.Peak, 3)}, warmup {Integer(w.Warmup)}";
        return w is WsdSchedule wsd ? text + $", cooldown {Integer(wsd.CooldownLength)}" : text;
    }

    // ----- scaling rules -----

    private static PlanFigure? ScalingFigure(TrainingPlan plan, string name, string yLabel, string quantity, IReadOnlyList<RuleCurve>? rules, IReadOnlyList<ScalingPoint>? points, Func<double, string> format)
    {
        rules ??= [];
        points ??= [];
        var drawnRules = rules.Where(r => r.Tokens is { Length: > 0 } && r.Values is { Length: > 0 }).ToList();
        if (drawnRules.Count == 0 && points.Count == 0) return null;

        var series = new List<LineSeries>();
        // The rule the plan followed first (solid, "(used)"); the others dashed, for comparison.
        var ordered = drawnRules.Where(r => r.Chosen).Concat(drawnRules.Where(r => !r.Chosen)).ToList();
        for (int i = 0; i < ordered.Count; i++)
        {
            var rule = ordered[i];
            series.Add(new LineSeries(rule.Chosen ? rule.Name + " (used)" : rule.Name, rule.Tokens, rule.Values, Dashed: !rule.Chosen, ColorHex: Palette[i % Palette.Length]));
        }

        // Points are drawn one by one (a lone point gets a marker and no line); the plan's in red, the runs' in black
        // under one legend entry. Their labels are in Name.points.csv.
        var planPoints = points.Where(IsPlanPoint).ToList();
        var runPoints = points.Where(p => !IsPlanPoint(p)).ToList();
        foreach (var p in planPoints) series.Add(new LineSeries($"{p.Label}: {format(p.Value)} at {Count(p.Tokens)} tokens", [p.Tokens], [p.Value], Markers: true, ColorHex: PlanColor));
        string runLegend = runPoints.Select(p => p.Label).Distinct().Count() == 1 ? runPoints[0].Label : $"runs ({runPoints.Count})";
        for (int i = 0; i < runPoints.Count; i++)
            series.Add(new LineSeries(i == 0 ? runLegend : "", [runPoints[i].Tokens], [runPoints[i].Value], Markers: true, ColorHex: RunColor));

        var chart = new LineChart($"{quantity} vs token budget, N = {Count(plan.Request.Parameters)} parameters", "token budget T (tokens)", yLabel, true, true, series,
            VerticalMarkers: [new VerticalMarker(plan.Request.Tokens, $"target T = {Count(plan.Request.Tokens)}")]);
        var csv = new StringBuilder("label,tokens,value\n");
        foreach (var p in points) csv.Append(CultureInfo.InvariantCulture, $"{CsvField(p.Label)},{p.Tokens:R},{p.Value:R}\n");
        string chosen = ordered.FirstOrDefault(r => r.Chosen)?.Name ?? "none of the drawn rules";
        string caption = $"{quantity} against the token budget on log-log axes, at the plan's model size. Solid line: the rule the plan followed ({chosen}); "
            + "dashed lines: the other rules, for comparison. Red point: the plan"
            + (planPoints.Count > 0 ? $" ({format(planPoints[0].Value)})" : "") + "; black points: the runs the rules were calibrated or checked on. "
            + "The dashed vertical line marks the target budget; the gap between the curves there shows how much the rules disagree.";
        return new PlanFigure(name, caption, chart) { Tables = [new("points.csv", csv.ToString())] };
    }

    private static bool IsPlanPoint(ScalingPoint p) => p.Label.Contains("plan", StringComparison.OrdinalIgnoreCase);

    // ----- loss curves and LR schedules -----

    private static List<(string Label, string Color, bool Dashed, PlannedSchedule Plan, PlannedCurve? Curve)> Schedules(TrainingPlan plan, PlanFigureData data)
    {
        var list = new List<(string, string, bool, PlannedSchedule, PlannedCurve?)>();
        if (plan.Best is null) return list;
        PlannedCurve? CurveOf(PlannedSchedule s) => data.Curves.FirstOrDefault(c => c.Schedule == s.Schedule.ToSpec());
        list.Add(($"best: {ShortLabel(plan.Best.Schedule)}", Palette[0], false, plan.Best, CurveOf(plan.Best)));
        var runnerUps = plan.RunnerUps ?? [];
        for (int i = 0; i < runnerUps.Count; i++)
            list.Add(($"#{i + 2}: {ShortLabel(runnerUps[i].Schedule)}", Palette[(i + 1) % Palette.Length], true, runnerUps[i], CurveOf(runnerUps[i])));
        return list;
    }

    private static PlanFigure? LossCurvesFigure(TrainingPlan plan, List<(string Label, string Color, bool Dashed, PlannedSchedule Plan, PlannedCurve? Curve)> schedules)
    {
        var drawn = schedules.Where(s => s.Curve is { Steps.Length: > 0 } c && c.Loss?.Length == c.Steps.Length).ToList();
        if (drawn.Count == 0) return null;
        var series = new List<LineSeries>();
        var full = new StringBuilder("schedule,step,predicted_loss\n");
        foreach (var s in drawn)
        {
            var curve = s.Curve!;
            var (x, y) = FromStart(curve.Steps, curve.Loss);
            series.Add(new LineSeries($"{s.Label} → {Loss(s.Plan.PredictedLoss)}", x, y, Dashed: s.Dashed, ColorHex: s.Color));
            for (int i = 0; i < curve.Steps.Length; i++)
                full.Append(CultureInfo.InvariantCulture, $"{CsvField(s.Label)},{curve.Steps[i]:R},{curve.Loss[i]:R}\n");
        }

        // The best plan's interval as a band: the final loss's interval carried along the curve at the same relative width.
        var bands = new List<BandSeries>();
        var best = drawn[0];
        bool banded = ReferenceEquals(best.Plan, plan.Best) && double.IsFinite(best.Plan.Lower) && double.IsFinite(best.Plan.Upper) && best.Plan.PredictedLoss > 0;
        if (banded)
        {
            var (x, y) = FromStart(best.Curve!.Steps, best.Curve.Loss);
            double low = best.Plan.Lower / best.Plan.PredictedLoss, high = best.Plan.Upper / best.Plan.PredictedLoss;
            bands.Add(new BandSeries($"interval of the best: {Loss(best.Plan.Lower)} to {Loss(best.Plan.Upper)}", x, [.. y.Select(v => v * low)], [.. y.Select(v => v * high)], best.Color));
        }

        // The end of the fitted data, marked when it falls inside the drawn steps.
        double end = FittedEnd(plan);
        double last = drawn.Max(s => s.Curve!.Steps[^1]);
        bool marked = end >= CurveStart * last && end <= last;
        var chart = new LineChart($"Predicted loss curves ({plan.Law}), best plan and runner-ups", $"step (from {Percent(CurveStart, 0)} of the run)", "predicted loss", false, false, series,
            VerticalMarkers: marked ? [new VerticalMarker(end, $"end of the fitted data ({Integer((long)end)} steps)")] : null, Bands: bands);
        string caption = $"The loss the law ({plan.Law}) predicts along each candidate schedule, at the plan's batch size and step count, "
            + $"drawn from {Percent(CurveStart, 0)} of the run on (the full curves are in {LossCurves}.full.csv). "
            + "Solid: the best plan; dashed: the runner-ups, ranked by predicted final loss (the number after the arrow). "
            + (banded ? $"The shaded band is the interval of the best plan's final loss ({PlanExplainer.Interval(plan)}), drawn along the curve at the same relative width: it is an interval of the final loss, not calibrated step by step. " : "No interval of the loss was given, so no band is drawn. ")
            + (marked ? $"The dashed vertical line marks the end of the fitted data, the last step of the longest run the law was fitted on ({Integer((long)end)}): to its right the curve extrapolates. "
                : double.IsFinite(end) && end > last ? $"The whole curve lies within the fitted data (the longest run the law was fitted on has {Integer((long)end)} steps). "
                : double.IsFinite(end) ? $"The fitted data end at step {Integer((long)end)}, before the drawn part: the whole drawn curve extrapolates. " : "")
            + "The curves separate mostly during the decay at the end of training; a small gap at the last step means the choice matters little.";
        return new PlanFigure(LossCurves, caption, chart) { Tables = [new("full.csv", full.ToString())] };
    }

    /// <summary>
    /// The last step of the longest fitted run on the plan's step axis: <see cref="TrainingPlan.FittedSteps"/> (runs' steps) / <see cref="TrainingPlan.StepFactor"/>
    /// (the law counts a plan step as w runs' steps), else the horizon warning's longest x its plan steps / its runs' steps (NaN: unknown).
    /// </summary>
    internal static double FittedEnd(TrainingPlan plan)
    {
        if (double.IsFinite(plan.FittedSteps))
            return plan.StepFactor > 0 && double.IsFinite(plan.StepFactor) ? plan.FittedSteps / plan.StepFactor : plan.FittedSteps;
        if (plan.Warnings.FirstOrDefault(w => w.Kind == WarningKind.HorizonExtrapolated) is not { } h) return double.NaN;
        double longest = h.Quantities.GetValueOrDefault("longest", double.NaN), steps = h.Quantities.GetValueOrDefault("steps", double.NaN),
            planSteps = h.Quantities.GetValueOrDefault("planSteps", double.NaN);
        return steps > 0 && planSteps > 0 ? longest * planSteps / steps : longest;
    }

    private static PlanFigure? LrSchedulesFigure(List<(string Label, string Color, bool Dashed, PlannedSchedule Plan, PlannedCurve? Curve)> schedules)
    {
        if (schedules.Count == 0) return null;
        var series = new List<LineSeries>();
        foreach (var s in schedules)
        {
            var (steps, lr) = Sample(s.Plan.Schedule, LrSchedulePoints);
            series.Add(new LineSeries(s.Label, steps, lr, Dashed: s.Dashed, ColorHex: s.Color));
        }

        var chart = new LineChart("Learning-rate schedules of the best plan and runner-ups", "step", "learning rate", false, false, series);
        string caption = "The learning rate at each optimizer step of the same schedules as in the loss curves (same colours): the warmup ramp, "
            + "the peak, and the decay. The exact schedules are the specs in the plan and runner-up tables.";
        return new PlanFigure(LrSchedules, caption, chart);
    }

    /// <summary>
    /// About <paramref name="points"/> steps spread evenly over 1..S, plus the corners of a warmup schedule (end of the
    /// warmup, start of a wsd cooldown) so the drawn polyline has them exactly; the LR at each.
    /// </summary>
    internal static (double[] Steps, double[] Lr) Sample(LrSchedule schedule, int points)
    {
        int n = schedule.Steps;
        var steps = new SortedSet<int>();
        if (n <= points)
        {
            for (int t = 1; t <= n; t++) steps.Add(t);
        }
        else
        {
            for (int i = 0; i < points; i++) steps.Add(1 + (int)Math.Round((double)i * (n - 1) / (points - 1)));
        }

        if (schedule is WarmupSchedule w)
        {
            foreach (int t in new[] { w.Offset + w.Warmup, w.Offset + w.Warmup + 1 }) steps.Add(t);
            if (w is WsdSchedule wsd) foreach (int t in new[] { n - wsd.CooldownLength, n - wsd.CooldownLength + 1 }) steps.Add(t);
        }

        int[] chosen = [.. steps.Where(t => t >= 1 && t <= n)];
        return ([.. chosen.Select(t => (double)t)], [.. chosen.Select(schedule.At)]);
    }

    // ----- contour -----

    private static PlanFigure? ContourFigure(TrainingPlan plan, ContourFigureData c)
    {
        if (c.Peaks is not { Length: >= 2 } || c.Warmups is not { Length: >= 2 } || c.Loss is null) return null;
        bool warmupLog = c.Warmups.All(w => w > 0);
        bool fractions = c.Warmups.All(w => w <= 1);
        string warmupLabel = fractions ? "warmup (fraction of the run)" : "warmup steps";
        var overlays = OptimumMarker.Overlays($"best: peak {G(c.BestPeak, 3)}, warmup {G(c.BestWarmup, 4)}", c.BestPeak, c.BestWarmup, c.Peaks, c.Warmups).ToList();
        bool limitShown = double.IsFinite(c.DataLimitPeak) && c.DataLimitPeak > c.Peaks[0] && c.DataLimitPeak < c.Peaks[^1];
        bool optimumShown = double.IsFinite(c.LawOptimumPeak) && c.LawOptimumPeak >= c.Peaks[0] && c.LawOptimumPeak <= c.Peaks[^1];
        if (optimumShown)
            overlays.Add(new LineSeries($"the law's optimum peak ({G(c.LawOptimumPeak, 3)})", [c.LawOptimumPeak, c.LawOptimumPeak], [c.Warmups[0], c.Warmups[^1]],
                Dashed: true, ColorHex: "#ffdd00"));
        if (limitShown)
            overlays.Add(new LineSeries($"highest LR of the runs ({G(c.DataLimitPeak, 3)}): the law extrapolates to the right", [c.DataLimitPeak, c.DataLimitPeak], [c.Warmups[0], c.Warmups[^1]],
                Dashed: true, ColorHex: "#ffffff"));
        var chart = new ContourChart($"Predicted final loss over peak LR x warmup ({c.Family} schedule)", "peak learning rate", warmupLabel, "predicted final loss",
            c.Peaks, c.Warmups, c.Loss, LogX: true, LogY: warmupLog, LogZ: false, Levels: 12, Overlays: overlays);
        int cells = c.Loss.Length;
        int blank = c.Loss.Cast<double>().Count(double.IsNaN);
        string caption = $"The final loss the law ({plan.Law}) predicts for a {c.Family} schedule at each peak learning rate (x, log scale) and warmup length "
            + $"(y{(warmupLog ? ", log scale" : "")}), everything else as in the best plan; darker colours are lower losses, white lines are "
            + "levels of equal loss. The red cross-hair marks the plan's choice. "
            + (blank > 0 ? $"{blank} of {cells} cells are blank: the divergence screen predicts those runs to diverge. " : "No cell is predicted to diverge. ")
            + (limitShown ? $"The white dashed line is the highest LR in the law's runs, carried to the target ({G(c.DataLimitPeak, 3)}): to its right the law has no data and extrapolates, so the plan does not go there. " : "")
            + (optimumShown ? $"The yellow dashed line is the law's own optimum peak ({G(c.LawOptimumPeak, 3)}), where the plan would go without the guard. " : "")
            + "A wide flat valley around the mark means the plan is robust to small errors in the peak LR.";
        return new PlanFigure(Contour, caption, chart);
    }

    // ----- divergence -----

    /// <summary>A short name of the divergence model: "critical-LR boundary eta_crit, FILE" for a DIV.json version-2 model.</summary>
    internal static string ModelName(TrainingPlan plan, DivergenceFigureData d) => plan.Guard is ModelDivergenceGuard g
        ? "critical-LR boundary eta_crit" + (SourceFile(g.Source) is { Length: > 0 } file ? ", " + file : "")
        : d.Predictor;

    /// <summary>The model's formula, fitted numbers and source, for a caption (empty without a screen).</summary>
    internal static string ModelDescription(TrainingPlan plan)
    {
        if (plan.Guard is not ModelDivergenceGuard g) return "";
        var r = g.Model.Rule;
        string text = Invariant($"The model is the version-2 divergence model (DIV.json): a critical peak LR eta_crit = exp({r.A:0.###} {r.B:+0.###;-0.###} ln(N/1e8) {r.C:+0.###;-0.###} ln(B/1e6) {r.E:+0.###;-0.###} ln(D/1e10)")
            + (r.G != 0 ? Invariant($" {r.G:+0.####;-0.####} ln(B/1e6)^2") : "") + (r.W != 0 ? Invariant($" {r.W:+0.###;-0.###} ln(W/1000)") : "") + Invariant($") and P(diverge) = sigmoid({r.Slope:0.##} ln(peak / eta_crit))");
        if (plan.Target is { } t && plan.Best.Schedule is WarmupSchedule w)
            text += $"; at the plan's size and batch eta_crit = {G(g.Model.CriticalPeakLr(t.Parameters, t.BatchTokens, w.Steps * t.BatchTokens, w.Warmup), 3)}";
        return text + (g.Source.Length > 0 ? $". Source: {g.Source}." : ".");
    }

    /// <summary>The file name in a model's source ("data/priors/divergence-steplaw.json" -> "divergence-steplaw.json"), or the source when it names no .json file.</summary>
    private static string SourceFile(string source)
    {
        foreach (string word in source.Split(' ', '(', ')'))
            if (word.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return Path.GetFileName(word);
        return source;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static PlanFigure? MarginFigure(DivergenceFigureData d, string model)
    {
        // The model's own rule: a schedule diverges when its peak exceeds eta_crit, so the margin is peak / eta_crit against 1
        // (the area ratio S2/S1 at eta_crit stays in the figure data as a diagnostic; R > 1 is not the verdict).
        if (d.Peaks is not { Length: > 0 } || !(d.EtaL > 0) || !double.IsFinite(d.EtaL)) return null;
        double[] margin = [.. d.Peaks.Select(p => p / d.EtaL)];
        if (!margin.Any(double.IsFinite)) return null;
        double[] span = [d.Peaks.Where(double.IsFinite).Min(), d.Peaks.Where(double.IsFinite).Max()];
        var series = new List<LineSeries>
        {
            new("peak / eta_crit of the plan's schedule", d.Peaks, margin, Markers: d.Peaks.Length <= 40, ColorHex: Palette[0]),
            new("peak = eta_crit: diverges above", span, [1, 1], Dashed: true, ColorHex: PlanColor),
        };
        var chart = new LineChart($"Divergence margin: peak / eta_crit vs peak LR ({model})", "peak learning rate", "peak / critical peak LR", true, true, series,
            VerticalMarkers: Markers(d));
        string caption = "The plan's schedule scaled to each peak learning rate (x, log scale), and its peak over the critical peak LR eta_crit "
            + "of the divergence model at the plan's size, batch, horizon and warmup: runs above the red dashed line at 1 are predicted to diverge "
            + "(the same rule as the plan's, rank's and contour's verdicts). The vertical lines mark the plan's peak "
            + $"({G(d.PlanPeak, 3)}) and eta_crit ({G(d.EtaL, 3)}); the ratio between them is the safety margin. Predictor: {d.Predictor}.";
        return new PlanFigure(DivergenceMargin, caption, chart);
    }

    private static PlanFigure? ProbabilityFigure(DivergenceFigureData d, string model, string description)
    {
        if (d.Peaks is not { Length: > 0 } || d.Probability?.Length != d.Peaks.Length || !d.Probability.Any(double.IsFinite)) return null;
        double[] span = [d.Peaks.Where(double.IsFinite).Min(), d.Peaks.Where(double.IsFinite).Max()];
        var series = new List<LineSeries>
        {
            new("probability of divergence", d.Peaks, d.Probability, Markers: d.Peaks.Length <= 40, ColorHex: Palette[0]),
            new("p = 0.5", span, [0.5, 0.5], Dashed: true, ColorHex: PlanColor),
        };
        var chart = new LineChart($"Divergence probability vs peak LR ({model})", "peak learning rate", "probability of divergence", true, false, series,
            VerticalMarkers: Markers(d));
        string caption = "The divergence model's probability that the plan's schedule, scaled to each peak learning rate (x, log scale), diverges; "
            + $"above 0.5 (red dashed line) the model calls it diverging. The plan's verdict comes from the model's default predictor ({d.Predictor}). "
            + "Vertical lines: the plan's peak and the critical LR at the plan's size and batch. " + description;
        return new PlanFigure(DivergenceProbability, caption, chart);
    }

    private static List<VerticalMarker> Markers(DivergenceFigureData d) =>
    [
        new(d.PlanPeak, $"plan peak {G(d.PlanPeak, 3)}"),
        new(d.EtaL, $"eta_crit {G(d.EtaL, 3)}"),
    ];

    // ----- held-out accuracy -----

    private static PlanFigure HeldOutFigure(string name, LawAccuracy law)
    {
        var curves = law.Curves.Where(c => c.Steps is { Length: > 0 }).Take(MaxHeldOutCurves).ToList();
        var series = new List<LineSeries>();
        var csvSeries = new StringBuilder();
        for (int i = 0; i < curves.Count; i++)
        {
            var c = curves[i];
            string color = Palette[i % Palette.Length];
            var (x, actual) = FromStart(c.Steps, c.Actual);
            var (xp, predicted) = FromStart(c.Steps, c.Predicted);
            series.Add(new LineSeries(c.Run, x, actual, ColorHex: color));
            series.Add(new LineSeries("", xp, predicted, Dashed: true, ColorHex: color));
        }

        int total = law.Curves.Count;
        string drawn = curves.Count < total ? $", first {curves.Count} of {total} runs" : "";
        var chart = new LineChart($"{law.Law}: held-out runs, actual vs predicted{drawn}", $"step (from {Percent(CurveStart, 0)} of each run)", "loss", false, false, series,
            [new Annotation("solid: actual loss\ndashed: predicted, fitted without the run", Corner.UpperRight)]);
        // The figure's CSV names only the actual curves; this table keeps run, actual and predicted side by side.
        var csv = new StringBuilder("run,step,actual,predicted\n");
        foreach (var c in law.Curves)
            for (int i = 0; i < c.Steps.Length; i++)
                csv.Append(CultureInfo.InvariantCulture, $"{CsvField(c.Run)},{c.Steps[i]:R},{At(c.Actual, i):R},{At(c.Predicted, i):R}\n");
        string caption = $"Runs the law {law.Law} was not fitted on ({law.Protocol}): the actual loss (solid) and the law's prediction (dashed, same colour), "
            + $"from {Percent(CurveStart, 0)} of each run on (every point is in {name}.runs.csv). "
            + $"Mean relative error PredE {Percent(law.PredE)}, worst curve {Percent(law.WorstE)}, worst final loss {Percent(law.FinalError)}. "
            + "This is the accuracy to expect from the plan's predicted loss when the target is like these runs.";
        return new PlanFigure(name, caption, chart) { Tables = [new("runs.csv", csv.ToString())] };
    }

    /// <summary>The points from <see cref="CurveStart"/> of the last step on (all of them when fewer than two are left).</summary>
    private static (double[] Steps, double[] Values) FromStart(double[] steps, double[]? values)
    {
        values ??= [];
        int n = Math.Min(steps.Length, values.Length);
        double last = steps.Take(n).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        int[] keep = [.. Enumerable.Range(0, n).Where(i => steps[i] >= CurveStart * last)];
        if (keep.Length < 2) keep = [.. Enumerable.Range(0, n)];
        return ([.. keep.Select(i => steps[i])], [.. keep.Select(i => values[i])]);
    }

    private static double At(double[]? values, int i) => values is not null && i < values.Length ? values[i] : double.NaN;

    /// <summary>A file-name-safe form of a law's name: letters, digits, '.', '-'; others become '_'.</summary>
    internal static string Slug(string text)
    {
        string slug = new([.. (text ?? "").ToLowerInvariant().Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' ? ch : '_')]);
        slug = slug.Trim('_');
        return slug.Length == 0 ? "law" : slug;
    }

    /// <summary>RFC 4180 quoting for a field holding a comma, quote or line break.</summary>
    private static string CsvField(string field) =>
        (field ?? "").AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field!.Replace("\"", "\"\"") + "\"" : field ?? "";
}
