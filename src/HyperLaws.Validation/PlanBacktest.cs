using System.Diagnostics;
using System.Globalization;
using HyperLaws.Numerics;
using HyperLaws.Planning;
using HyperLaws.Runs;
using static System.FormattableString;

namespace HyperLaws.Validation;

/// <summary>
/// Protocol 6: a backtest of <c>hyperlaws plan</c> (<see cref="Planner.Make"/>) on the 124M schedule grid of protocol 3
/// (<see cref="ScheduleGrid.Load"/>). Fixed before any plan was scored:
/// <list type="bullet">
/// <item>For each target horizon H the planner learns only what was known before H: the grid runs whose horizon is below H,
/// and the constant-LR stable runs (50k steps) cut to the longest of those horizons, their LRs and losses alike (their
/// losses up to that step are known once runs of that horizon exist; their final-val tags are dropped).</item>
/// <item>The request: N = the runs' size, T = H x the grid's batch, AdamW, the batch fixed to the grid's (102,400 tokens,
/// 512-token sequences), so that the plan is H steps at the grid's batch. One plan per law and per fitted split.</item>
/// <item>Scoring (<see cref="Nearest"/>): the plan's schedule is mapped to the nearest grid run at H; regret = its final
/// validation loss / the best final validation loss at H - 1. Baselines: the best run's LR at the longest earlier horizon
/// with a cosine to 10%, with a 20% linear WSD cooldown, and that best run's own schedule, all at H; the median run at H.</item>
/// <item>Accuracy: the plan's predicted final loss and the law's value for the matched run's exact schedule against the
/// run's final validation loss and against its last logged loss of the split the law was fitted on; whether the plan's
/// interval holds each.</item>
/// </list>
/// </summary>
public static class PlanBacktest
{
    /// <summary>Runs the backtest on the grid of <paramref name="runs"/> (from <see cref="ScheduleGrid.Load"/>).</summary>
    /// <exception cref="ArgumentException">A horizon is not in the grid or has no shorter runs; no law or split is given.</exception>
    public static PlanBacktestResult Run(IReadOnlyList<GridRun> runs, PlanBacktestOptions? options = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        options ??= new PlanBacktestOptions();
        if (options.Laws.Count == 0) throw new ArgumentException("no law to plan with.");
        if (options.FitOn.Count == 0) throw new ArgumentException("no split to fit on.");
        var clock = Stopwatch.StartNew();
        var usable = runs.Where(r => !r.Diverged && double.IsFinite(r.FinalLoss)).ToList();
        var excluded = runs.Except(usable).Select(r => r.Diverged
            ? Invariant($"{r.Name}: diverged at step {r.DivergedAt?.ToString(CultureInfo.InvariantCulture) ?? "?"}; neither learned from nor a candidate")
            : $"{r.Name}: no final validation loss").ToList();
        double n = usable.Select(r => r.Run.Metadata.Parameters ?? double.NaN).FirstOrDefault(double.IsFinite, 1.24e8);
        var horizons = new List<HorizonBacktest>();
        foreach (int h in options.Horizons)
        {
            var atH = usable.Where(r => r.Horizon == h).ToList();
            if (atH.Count == 0) throw new ArgumentException(Invariant($"no grid run has the horizon {h} (horizons: {string.Join(", ", usable.Select(r => r.Horizon).Distinct().Order())})."));
            horizons.Add(AtHorizon(h, usable, atH, n, options, progress, (learnedFrom, best) => Baselines(usable, atH, learnedFrom, best)));
        }
        return new PlanBacktestResult(options, n, horizons, excluded, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One target horizon <paramref name="h"/>: the plans of every law and split learned from <see cref="Before"/>(<paramref name="learnable"/>, h),
    /// scored against <paramref name="atH"/> (the candidates at H, each with a final loss), with the baselines of <paramref name="baselines"/>
    /// (given the longest horizon learned from and the best final loss at H). Protocol 6 (the grid) and 17p (<see cref="PlanBacktestSets"/>, per set).
    /// </summary>
    internal static HorizonBacktest AtHorizon(int h, IReadOnlyList<GridRun> learnable, IReadOnlyList<GridRun> atH, double n, PlanBacktestOptions options, Action<string>? progress,
        Func<int, double, List<BacktestBaseline>> baselines)
    {
        var (available, learnedFrom) = Before(learnable, h);
        var best = atH.MinBy(r => r.FinalLoss)!;
        var cases = new List<BacktestCase>();
        foreach (var split in options.FitOn)
            foreach (string law in options.Laws)
            {
                progress?.Invoke(Invariant($"H = {h}: planning with {law} fitted on {Name(split)} losses of {available.Count} runs ..."));
                cases.Add(Plan(h, law, split, available, atH, best.FinalLoss, n, options));
                progress?.Invoke(Invariant($"H = {h}, {law}, {Name(split)}: {cases[^1].Choice} -> {cases[^1].Match.Run}, regret {100 * cases[^1].Regret:0.###}% ({cases[^1].Seconds:0.#} s)"));
            }
        var calibration = LrBatchCalibration.TryFit(available, n, out _);
        return new HorizonBacktest(h, learnedFrom, available.Select(r => r.Name).ToList(), best, atH.Count, calibration, baselines(learnedFrom, best.FinalLoss), cases);
    }

    /// <summary>"train" or "val".</summary>
    public static string Name(LossSplit split) => split == LossSplit.Validation ? "val" : "train";

    /// <summary>
    /// What is known before horizon <paramref name="h"/>: the runs of shorter horizons, and every constant-LR run of a
    /// horizon of at least <paramref name="h"/> cut to the longest shorter horizon (the steps up to which runs exist).
    /// </summary>
    public static (List<TrainingRun> Runs, int LongestHorizon) Before(IReadOnlyList<GridRun> usable, int h)
    {
        var shorter = usable.Where(r => r.Horizon < h).ToList();
        if (shorter.Count == 0) throw new ArgumentException(Invariant($"no grid run is shorter than the horizon {h}: nothing to plan from."));
        int longest = shorter.Max(r => r.Horizon);
        var list = shorter.Select(r => r.Run).ToList();
        list.AddRange(usable.Where(r => r.Family == "constant" && r.Horizon >= h).Select(r => Truncate(r.Run, longest)));
        return (list, longest);
    }

    /// <summary>The tag <see cref="Truncate"/> sets on a cut run: the steps it was cut from.</summary>
    public const string TruncatedFrom = "truncatedFrom";

    /// <summary>A copy of <paramref name="run"/>'s tags without its final-evaluation tags (finalVal*): <see cref="Truncate"/> and <see cref="AnchorTailCheck.Hide"/>.</summary>
    public static Dictionary<string, string> WithoutFinalEvaluationTags(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Metadata.Tags.Where(t => !t.Key.StartsWith("finalVal", StringComparison.Ordinal)).ToDictionary(t => t.Key, t => t.Value);
    }

    /// <summary>The run as it stood at step <paramref name="steps"/>: its first LRs and the losses logged up to then; the final-val tags dropped.</summary>
    public static TrainingRun Truncate(TrainingRun run, int steps)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (steps < 1 || steps > run.Steps) throw new ArgumentOutOfRangeException(nameof(steps), Invariant($"{run.Name}: cannot cut a run of {run.Steps} steps to {steps}."));
        var tags = WithoutFinalEvaluationTags(run);
        tags[TruncatedFrom] = run.Steps.ToString(CultureInfo.InvariantCulture);
        var metadata = run.Metadata with
        {
            Name = Invariant($"{run.Name}@{steps}"),
            TotalTokens = run.Metadata.TokensPerStep is { } b ? b * steps : null,
            Tags = tags,
        };
        return new TrainingRun(metadata, run.LearningRates[..steps], [.. run.Observations.Where(o => o.Step <= steps)], run.Diverged);
    }

    private static BacktestCase Plan(int h, string law, LossSplit split, List<TrainingRun> available, IReadOnlyList<GridRun> atH, double best, double n, PlanBacktestOptions options)
    {
        var request = new PlanRequest(n, h * options.BatchTokens, TrainingOptimizer.AdamW)
        {
            SequenceLength = options.SequenceLength,
            BatchTokens = options.BatchTokens,
            RunnerUps = 0,
        };
        var planOptions = new PlanOptions { Laws = [law], FitOn = split, Divergence = options.Divergence, DivergenceSource = options.DivergenceSource, HorizonBias = options.HorizonBias, FiniteSampleIntervals = options.FiniteSampleIntervals, CentredIntervals = options.CentredIntervals, CrossStepIntervals = options.CrossStepIntervals, PseudoStepIntervals = options.PseudoStepIntervals, ShapeIntervals = options.ShapeIntervals, HeldOutRidgeTolerance = options.HeldOutRidgeTolerance, ObservedBest = options.ObservedBest, AnchoredLoss = options.AnchoredLoss, AnchoredIntervalPairs = options.AnchoredIntervalPairs,
            AnchorAcrossLr = options.AnchorAcrossLr, ForceAnchorAcrossLr = options.ForceAnchorAcrossLr, PeakFromRunsEvidence = options.PeakFromRunsEvidence, PeakFromRunsBest = options.PeakFromRunsBest,
            PeakFromFinalEvaluation = options.PeakFromFinalEvaluation };
        var clock = Stopwatch.StartNew();
        var plan = Planner.Make(request, available, planOptions);
        double seconds = clock.Elapsed.TotalSeconds;
        if (plan.Hyperparameters.Steps != h)
            throw new InvalidOperationException(Invariant($"the plan has {plan.Hyperparameters.Steps} steps, not the horizon {h}: the batch was not held at the grid's."));
        var fit = plan.Fit ?? throw new InvalidOperationException("the plan did not keep its fitted law.");
        var choice = PlanChoice.Of(plan.Best.Schedule);
        // The law saw the peak in the runs' units: the plan's peak / (rule LR / reference LR).
        double reference = plan.Scaling.LearningRatePoints.Single(p => p.Label == "your runs").Value;
        double unitPeak = choice.Peak * reference / plan.Hyperparameters.RuleLearningRate;
        var match = Nearest(choice, atH);
        // The law on a grid run as the plan asked it: the joint law at the plan's size and batch (its noise term scales with the batch,
        // so a prediction without it is not the plan's law), the other laws at the fit's model size.
        double Law(GridRun r)
        {
            if (plan.Model is JointPlanLaw joint && plan.Target is { } target)
            {
                var output = new double[1];
                joint.Law.Predict(joint.Fit.Parameters, r.History, joint.SizeAt(target), joint.BatchAt(target), [h], output);
                return output[0];
            }
            return fit.Predict(r.History, [h], plan.FitModelSize)[0];
        }
        var onRuns = atH.Select(r => (r, v: Law(r))).ToList();
        var pick = onRuns.OrderBy(x => double.IsFinite(x.v) ? x.v : double.PositiveInfinity).ThenBy(x => x.r.Name, StringComparer.Ordinal).First().r;
        double actualSplit = match.Run.Run.Final(split)?.Loss ?? match.Run.Run.Final(split == LossSplit.Train ? LossSplit.Validation : LossSplit.Train)?.Loss ?? double.NaN;
        var accuracy = plan.Accuracy.Count > 0 ? plan.Accuracy[0] : null;
        string worst = accuracy?.Curves.MaxBy(c => Math.Abs(c.Predicted[^1] / c.Actual[^1] - 1))?.Run ?? "";
        return new BacktestCase(h, law, split, choice, unitPeak, plan.Hyperparameters.SourceName, match, Regret(match.Run.FinalLoss, best),
            plan.Best.PredictedLoss, plan.Best.Lower, plan.Best.Upper, accuracy?.FinalError ?? double.NaN, worst,
            Law(match.Run), match.Run.FinalLoss, actualSplit, pick, Regret(pick.FinalLoss, best),
            match.Tied is { } tied ? Regret(tied.FinalLoss, best) : double.NaN, available.Count, seconds) { Correction = plan.Correction, HeldOutCorrectedError = accuracy?.CorrectedError ?? double.NaN, IntervalRule = plan.IntervalRule, ObservedBest = plan.ObservedBest, Anchored = plan.Anchored, PeakGuard = plan.Decision(PlanAxis.PeakLr)?.Guard?.Kind, RunsEvidence = plan.Decision(PlanAxis.PeakLr)?.RunsEvidence,
            LawOnRuns = onRuns.ToDictionary(x => x.r.Name, x => x.v, StringComparer.Ordinal), Warnings = PlanExplainer.Warnings(plan),
            AnchorTail = AnchorTailCheck.Of(plan, available, split, planOptions.RunsTokensPerStep) };
    }

    /// <summary>
    /// The baselines at horizon H: the LR of the best run (lowest final validation loss) at the longest earlier horizon,
    /// trained at H with a cosine to 10%, with a 20% linear WSD cooldown, and with that best run's own schedule (each
    /// mapped by <see cref="Nearest"/>); and the median final loss of the runs at H.
    /// </summary>
    internal static List<BacktestBaseline> Baselines(IReadOnlyList<GridRun> usable, IReadOnlyList<GridRun> atH, int earlier, double best)
    {
        var shortBest = usable.Where(r => r.Horizon == earlier).MinBy(r => r.FinalLoss)!;
        double lr = shortBest.Lr;
        string at = Invariant($"the best LR at {earlier} steps ({lr:G3}, {shortBest.Label})");
        var list = new List<BacktestBaseline>();
        void Add(string name, string rule, PlanChoice c)
        {
            var m = Nearest(c, atH);
            list.Add(new(name, rule + (m.Notes.Count > 0 ? " [" + string.Join("; ", m.Notes) + "]" : ""), m.Run, m.Run.FinalLoss, Regret(m.Run.FinalLoss, best)));
        }
        Add("cosine 10% at the earlier best LR", $"{at}, cosine to 10%", new PlanChoice("cosine", lr, 0, null, 0.1));
        Add("WSD 20% at the earlier best LR", $"{at}, linear WSD cooldown 20%", new PlanChoice("wsd", lr, 0, 0.2, 0));
        var same = atH.Where(r => r.Label == shortBest.Label && r.Lr == shortBest.Lr).ToList();
        if (same.Count == 1)
            list.Add(new("the earlier best run's schedule", $"{at}, rerun at H", same[0], same[0].FinalLoss, Regret(same[0].FinalLoss, best)));
        double median = Median(atH.Select(r => r.FinalLoss));
        list.Add(new("median grid run", Invariant($"the median final loss of the {atH.Count} runs at H"), null, median, Regret(median, best)));
        return list;
    }

    /// <summary>Relative regret: loss / best - 1.</summary>
    public static double Regret(double loss, double best) => loss / best - 1;

    /// <summary>True when <paramref name="value"/> lies in [lower, upper]; null when the interval is missing (NaN).</summary>
    public static bool? Covers(double lower, double upper, double value) =>
        double.IsNaN(lower) || double.IsNaN(upper) ? null : value >= lower && value <= upper;

    /// <summary>The median (<see cref="Statistics.Median"/>); no values is an error.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var v = values.ToArray();
        return v.Length == 0 ? throw new ArgumentException("no values.") : Statistics.Median(v);
    }

    /// <summary>
    /// The grid run at the horizon that a plan's choice is scored by, in three steps:
    /// <list type="number">
    /// <item>Family: wsd to the linear WSD runs; linear (a linear decay over the whole run) to the linear WSD runs as a
    /// cooldown of 100%; cosine to the cosine runs; constant to the constant runs. A family with no run at the horizon falls
    /// back to the linear WSD runs, constant as a cooldown of 0% (its shortest cooldown; the true constant would do worse,
    /// so this flatters the plan), cosine as a cooldown of 100%; with no linear WSD run either (protocol 17p's sets), to the cosine runs, then the
    /// constant runs, noted.</item>
    /// <item>Peak: the nearest base LR in log among those runs (a tie goes to the lower LR).</item>
    /// <item>Shape at that LR: the nearest cooldown fraction (WSD) or final-LR fraction (cosine: 0 or 10%); a tie (the planner's
    /// 0.3 and 0.7 lie halfway between the grid's 0.2, 0.4 and 0.6, 0.8) goes to the smaller, and the other is kept in <see cref="GridMatch.Tied"/>.</item>
    /// </list>
    /// The notes list every difference that remains (family, LR off by more than 5%, cooldown, floor); the warmup is not
    /// matched (the grid warms up over 300 steps).
    /// </summary>
    public static GridMatch Nearest(PlanChoice choice, IReadOnlyList<GridRun> atHorizon)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(atHorizon);
        if (atHorizon.Count == 0) throw new ArgumentException("no grid run to match.");
        var notes = new List<string>();
        var linear = atHorizon.Where(r => r.IsLinearCooldown).ToList();
        List<GridRun> pool;
        double target;
        Func<GridRun, double> shape;
        switch (choice.Family)
        {
            case "cosine" when atHorizon.Any(r => r.Family == "cosine"):
                pool = [.. atHorizon.Where(r => r.Family == "cosine")];
                target = choice.Floor;
                shape = FinalFraction;
                break;
            case "constant" when atHorizon.Any(r => r.Family == "constant"):
                pool = [.. atHorizon.Where(r => r.Family == "constant")];
                target = 0;
                shape = _ => 0;
                break;
            case "wsd" or "linear" or "cosine" or "constant" when linear.Count > 0:
                pool = linear;
                target = choice.Family switch { "wsd" => choice.Cooldown ?? 0, "constant" => 0, _ => 1 };
                shape = r => r.CooldownFraction!.Value;
                if (choice.Family != "wsd")
                    notes.Add(choice.Family == "linear" ? "linear decay mapped to the longest linear WSD cooldown"
                        : $"no {choice.Family} run at this horizon: mapped to the " + (choice.Family == "constant" ? "shortest" : "longest") + " linear WSD cooldown");
                break;
            // Protocol 17p's sets may have neither the family nor a linear WSD run at H: then the cosine runs, then the constant runs.
            case "wsd" or "linear" or "constant" when atHorizon.Any(r => r.Family == "cosine"):
                pool = [.. atHorizon.Where(r => r.Family == "cosine")];
                target = choice.Floor;
                shape = FinalFraction;
                notes.Add($"no {choice.Family} run at this horizon: mapped to the cosine runs");
                break;
            case "wsd" or "linear" or "cosine" when atHorizon.Any(r => r.Family == "constant"):
                pool = [.. atHorizon.Where(r => r.Family == "constant")];
                target = 0;
                shape = _ => 0;
                notes.Add($"no {choice.Family} run at this horizon: mapped to the constant runs");
                break;
            default:
                throw new ArgumentException($"no grid run of family {choice.Family} at this horizon, and no linear WSD, cosine or constant run to fall back to.");
        }
        // Distances rounded to 9 digits, so that a value halfway between two grid values ties whatever the binary rounding.
        double lr = pool.Select(r => r.Lr).Distinct().OrderBy(x => Math.Round(Math.Abs(Math.Log(choice.Peak / x)), 9)).ThenBy(x => x).First();
        double Distance(GridRun r) => Math.Round(Math.Abs(shape(r) - target), 9);
        var ordered = pool.Where(r => r.Lr == lr).OrderBy(Distance).ThenBy(shape).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var run = ordered[0];
        var tied = ordered.Skip(1).FirstOrDefault(r => Distance(r) == Distance(run) && Math.Round(shape(r), 9) != Math.Round(shape(run), 9));
        if (Math.Abs(Math.Log(choice.Peak / lr)) > Math.Log(1.05)) notes.Add(Invariant($"peak {choice.Peak:G3} scored at the grid's {lr:G3}"));
        if (run.IsLinearCooldown && choice.Family == "wsd" && Math.Abs(run.CooldownFraction!.Value - target) > 1e-9)
            notes.Add(Invariant($"cooldown {target:0.##} scored at the grid's {run.CooldownFraction:0.##}"));
        if (run.Family == "cosine" && Math.Abs(FinalFraction(run) - target) > 0.02)
            notes.Add(Invariant($"floor {target:0.##} scored at the grid's {FinalFraction(run):0.##}"));
        if (run.Family == "wsd" && choice.Family is "wsd" or "linear" && choice.Floor > 0.02)
            notes.Add(Invariant($"floor {choice.Floor:0.##}: the grid's WSD runs cool down to 0"));
        if (tied is not null)
            notes.Add(Invariant($"{target:0.##} is as near {shape(tied):0.##}: scored at the smaller"));
        return new GridMatch(run, notes, tied);
    }

    /// <summary>
    /// Protocol 17p's rule for "the plan's schedule was run" (docs/VALIDATION.md "Protocol 17p"): <paramref name="run"/> has the choice's
    /// family (wsd and linear: a linear-cooldown WSD run, linear as a cooldown of 100%; cosine; constant), its base LR within a factor
    /// sqrt(2) of the choice's peak (half a factor-2 LR grid), and its cooldown fraction (WSD) or final-LR fraction (cosine) within 0.1.
    /// Distances rounded to 9 digits, as <see cref="Nearest"/>'s.
    /// </summary>
    public static bool IsNear(PlanChoice choice, GridRun run)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(run);
        if (Math.Round(Math.Abs(Math.Log(choice.Peak / run.Lr)), 9) > Math.Round(0.5 * Math.Log(2), 9)) return false;
        static bool Within(double a, double b) => Math.Round(Math.Abs(a - b), 9) <= 0.1;
        return choice.Family switch
        {
            "wsd" => run.IsLinearCooldown && Within(choice.Cooldown ?? 0, run.CooldownFraction!.Value),
            "linear" => run.IsLinearCooldown && Within(1, run.CooldownFraction!.Value),
            "cosine" => run.Family == "cosine" && Within(choice.Floor, FinalFraction(run)),
            "constant" => run.Family == "constant",
            _ => false,
        };
    }

    /// <summary>A run's last LR as a fraction of its base LR (0 for cosine-0, 0.1 for cosine-10%).</summary>
    private static double FinalFraction(GridRun r) => r.Run.LearningRates[^1] / r.Lr;
}
