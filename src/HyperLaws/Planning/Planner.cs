using HyperLaws.Divergence;
using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Numerics;
using HyperLaws.Optimum;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using static System.FormattableString;

namespace HyperLaws.Planning;

/// <summary>How a plan is made besides the request.</summary>
public sealed record PlanOptions
{
    /// <summary>The schedule-to-loss laws to try; the one with the smallest held-out final-loss error makes the plan.</summary>
    public IReadOnlyList<string> Laws { get; init; } = ["optlaw"];

    /// <summary>The divergence screen (null: none).</summary>
    public DivergenceModel? Divergence { get; init; }

    /// <summary>Where <see cref="Divergence"/> came from, for the reasons.</summary>
    public string DivergenceSource { get; init; } = "";

    /// <summary>Tokens per step of the runs when their files do not say.</summary>
    public double? RunsTokensPerStep { get; init; }

    /// <summary>The published rule used when the runs cannot calibrate the LR and batch.</summary>
    public IOptimumRule Anchor { get; init; } = PublishedAnchors.Primary;

    /// <summary>Progress lines for people (stage names); null for none.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>The loss curve the law is fitted on: each run's <see cref="LossSplit.Train"/> losses (the default) or its
    /// <see cref="LossSplit.Validation"/> losses; a run that logs none of that split gives the other.</summary>
    public LossSplit FitOn { get; init; } = LossSplit.Train;
}

/// <summary>
/// Makes a <see cref="TrainingPlan"/>: the batch, momentum and LR scale from <see cref="ScalingRules"/>; the schedule family,
/// warmup, cooldown, floor and the peak as a multiple of the rule's LR from a schedule-to-loss law fitted on the runs, which
/// sees every candidate in the runs' own LR units (the rule's scale carries it to the target); the divergence screen on the
/// target's absolute LRs; an interval from the law's held-out error on the runs.
/// </summary>
public static class Planner
{
    /// <summary>Peak multiples of the rule's LR the law chooses among.</summary>
    public static readonly IReadOnlyList<double> Multiples = [0.5, 0.71, 1, 1.41, 2];

    /// <summary>Warmup lengths as fractions of the run.</summary>
    public static readonly IReadOnlyList<double> WarmupFractions = [0.01, 0.03, 0.1];

    /// <summary>WSD cooldown lengths as fractions of the run.</summary>
    public static readonly IReadOnlyList<double> Cooldowns = [0.1, 0.2, 0.3, 0.5, 0.7];

    /// <summary>Final LRs as fractions of the peak (cosine, linear, wsd).</summary>
    public static readonly IReadOnlyList<double> Floors = [0, 0.1];

    private const int CurvePoints = 200;

    public static TrainingPlan Make(PlanRequest request, IReadOnlyList<TrainingRun> runs, PlanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(runs);
        options ??= new PlanOptions();
        request.Validate();
        if (options.Laws.Count == 0) throw new ArgumentException("no law to plan with.");
        var progress = options.Progress ?? (_ => { });

        progress("scaling rules: batch, momentum and LR scale");
        var reference = RunReferences.Of(runs, request.Parameters, request.Optimizer, options.RunsTokensPerStep, options.Anchor);
        var calibration = LrBatchCalibration.TryFit(runs, reference.Parameters, out string why);
        if (calibration is not null)
            reference = reference with
            {
                PeakLearningRate = calibration.LearningRate0,
                TokensPerStep = calibration.BatchTokens0,
                Steps = (int)Math.Round(calibration.Tokens0 / calibration.BatchTokens0),
                TokensPerStepAssumed = false,
                Run = Invariant($"the calibrated optimum at {ScalingRules.G(calibration.Tokens0)} tokens"),
            };
        var decision = ScalingRules.Decide(request, reference, calibration, why, options.Anchor);
        var hp = decision.Hyperparameters;
        var reasons = new List<PlanReason>(decision.Reasons);
        var warnings = new List<string>(decision.Warnings);
        OptimizerWarnings(runs, request, warnings);

        var law = FitLaw(request, runs, reference, options, progress, reasons, warnings);

        progress(Invariant($"ranking schedules of {hp.Steps} steps"));
        var screen = options.Divergence is { } model ? new DivergenceScreen(model, request.Parameters, hp.BatchTokens) : null;
        // The law may lower the rule's LR where it has seen lower LRs, but not raise it past the highest LR of its runs.
        double maxLr = law.Runs.Max(r => r.LearningRates.Max());
        var multiples = Multiples.Where(m => reference.PeakLearningRate * m <= maxLr * 1.001).DefaultIfEmpty(Multiples[0]).ToList();
        var candidates = Candidates(hp.Steps, reference.PeakLearningRate, decision.Scale, multiples);
        var (loss, diverges) = SchedulePreselection.PredictAndScreen(law.Fit.Law, law.Fit.Parameters, candidates.Select(c => c.Units).ToList(), law.ModelSize,
            screen is null ? null : new ScaledScreen(screen, decision.Scale));
        // Those predicted to diverge last, the lowest peaks first among them (when every candidate diverges, the least risky leads).
        var order = Enumerable.Range(0, candidates.Count)
            .OrderBy(i => diverges[i] == true ? 1 : 0).ThenBy(i => diverges[i] == true ? candidates[i].Multiple : 0)
            .ThenBy(i => double.IsNaN(loss[i]) ? 1 : 0).ThenBy(i => loss[i])
            .ThenBy(i => candidates[i].Units.ToSpec(), StringComparer.Ordinal).ToList();
        if (double.IsNaN(loss[order[0]])) throw new ArgumentException($"the {law.Fit.Law.Name} law predicts no finite loss for any candidate schedule.");
        int best = order[0];
        var shown = new List<int> { best };
        foreach (var family in CandidateGrid.KnownFamilies.Where(f => f != candidates[best].Family))
            if (order.FirstOrDefault(i => candidates[i].Family == family && diverges[i] != true && !double.IsNaN(loss[i]), -1) is int j and >= 0) shown.Add(j);
        foreach (int i in order)
            if (shown.Count < 1 + request.RunnerUps && !shown.Contains(i) && !double.IsNaN(loss[i])) shown.Add(i);
        shown = [.. shown.OrderBy(i => order.IndexOf(i)).Take(1 + request.RunnerUps)];

        double q = law.Accuracy?.FinalError ?? double.NaN;
        var planned = shown.Select(i => Planned(candidates[i], loss[i], diverges[i], q, screen, law, hp.Steps)).ToList();
        string? capped = multiples.Count < Multiples.Count && candidates[best].Multiple == multiples[^1]
            ? Invariant($"the law may not go above x{multiples[^1]:0.##}: higher peaks would be above the highest LR in its runs, {ScalingRules.G(maxLr)} in their units, where it has no data; the rule's LR is the ceiling")
            : null;
        ScheduleReasons(candidates, loss, diverges, best, law, reasons, capped);
        var winner = candidates[best];
        if (screen is not null) DivergenceReason(screen, winner, options.DivergenceSource, reasons);
        ExtrapolationWarnings(runs, law, winner, hp, reference, warnings, diverges);

        progress("contour and divergence margin");
        var contour = Contour(winner, hp.Steps, reference.PeakLearningRate, decision.Scale, law, screen);
        var margin = screen is null ? null : Margin(winner, decision.Scale, screen);
        return new TrainingPlan(request, hp, law.Fit.Law.Name, planned[0], planned.Skip(1).ToList(), reasons, warnings,
            law.AllAccuracy, decision.Figure, contour, margin)
        {
            IntervalMethod = double.IsNaN(q) ? "none: the runs leave nothing to hold out"
                : Invariant($"+-{100 * q:0.##}%: the law's worst final-loss error on held-out runs ({law.Accuracy!.Protocol}); it does not grow with the extrapolation, see the warnings"),
            Runs = runs.Select(r => r.Metadata.Source ?? r.Name).ToList(),
            Fit = law.Fit,
            FitModelSize = law.ModelSize,
        };
    }

    /// <summary>A candidate: its attributes, the schedule in the runs' LR units (what the law sees) and at the target (what to train).</summary>
    internal sealed record Candidate(string Family, double Multiple, int Warmup, double Cooldown, double Floor, LrSchedule Units, LrSchedule Absolute);

    internal static List<Candidate> Candidates(int steps, double unitPeak, double scale, IReadOnlyList<double> multiples)
    {
        var list = new List<Candidate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var warmups = WarmupFractions.Select(f => Math.Max(1, (int)Math.Round(f * steps))).Where(w => w < steps).Distinct().ToList();
        if (warmups.Count == 0) warmups = [0];
        foreach (var family in CandidateGrid.KnownFamilies)
            foreach (double m in multiples)
                foreach (int w in warmups)
                {
                    var shapes = family switch
                    {
                        "constant" => [(double.NaN, double.NaN)],
                        "wsd" => Cooldowns.SelectMany(c => Floors.Select(f => (c, f))).ToList(),
                        _ => Floors.Select(f => (double.NaN, f)).ToList(),
                    };
                    foreach (var (c, f) in shapes)
                    {
                        // The target's peak to 3 significant digits (no rule is more precise); the law sees the same peak in the runs' units.
                        double peak = Significant.Round(unitPeak * m * scale);
                        LrSchedule? units = CandidateGrid.TryBuild(family, peak / scale, steps, w, c, f), absolute = CandidateGrid.TryBuild(family, peak, steps, w, c, f);
                        if (units is null || absolute is null || !seen.Add(units.ToSpec())) continue;
                        list.Add(new Candidate(family, m, w, c, f, units, absolute));
                    }
                }
        return list;
    }

    /// <summary>The divergence screen applied to the target's LRs: the law's schedules are in the runs' units, times <paramref name="scale"/>.</summary>
    private sealed class ScaledScreen(DivergenceScreen screen, double scale) : IDivergenceScreen
    {
        public bool? Diverges(ScheduleHistory history, double modelSize) => screen.Predict(Scaled(history, scale)).Diverges;
    }

    private static ScheduleHistory Scaled(ScheduleHistory history, double scale)
    {
        var lr = new double[history.Steps];
        for (int t = 1; t <= lr.Length; t++) lr[t - 1] = history.Eta(t) * scale;
        return new ScheduleHistory(lr);
    }

    /// <summary>The fitted law the plan uses, the model size to predict at, and the held-out accuracy of every law tried.</summary>
    private sealed record PlanLaw(LawFit Fit, double ModelSize, LawAccuracy? Accuracy, IReadOnlyList<LawAccuracy> AllAccuracy, IReadOnlyList<TrainingRun> Runs);

    private static PlanLaw FitLaw(PlanRequest request, IReadOnlyList<TrainingRun> runs, RunReference reference, PlanOptions options, Action<string> progress,
        List<PlanReason> reasons, List<string> warnings)
    {
        var usable = runs.Where(r => !r.Diverged && r.Observations.Count > 0).ToList();
        var sizes = usable.Select(r => r.Metadata.Parameters ?? double.NaN).Where(s => s > 0).Distinct().OrderBy(s => s).ToList();
        bool sized = sizes.Count >= 2 && !sizes.Any(s => RunReferences.SameSize(s, request.Parameters));
        var training = sized ? usable.Where(r => r.Metadata.Parameters is > 0).ToList()
            : usable.Where(r => double.IsNaN(reference.Parameters) || RunReferences.SameSize(r.Metadata.Parameters ?? double.NaN, reference.Parameters)).ToList();
        if (training.Count == 0) throw new ArgumentException("no run with logged losses to fit a schedule-to-loss law on.");
        double modelSize = sized ? request.Parameters : double.NaN;
        if (!sized && !double.IsNaN(reference.Parameters) && !RunReferences.SameSize(reference.Parameters, request.Parameters))
            warnings.Add(Invariant($"every run is at N = {ScalingRules.G(reference.Parameters)}: the law's losses are for that size, not the target's {ScalingRules.G(request.Parameters)}"));
        if (sized && (request.Parameters < sizes[0] * 0.99 || request.Parameters > sizes[^1] * 1.01))
            warnings.Add(Invariant($"the target N = {ScalingRules.G(request.Parameters)} is outside the runs' sizes {ScalingRules.G(sizes[0])}..{ScalingRules.G(sizes[^1])}: the law across sizes extrapolates"));

        List<FitTarget> Targets(IEnumerable<TrainingRun> rs) => Planner.Targets(rs, options.FitOn);

        IFittableLaw Create(string name)
        {
            var law = LawCatalog.Create(name);
            // Shared across sizes: the size law that extrapolated best in validation protocol 2 (docs/VALIDATION.md).
            return sized ? SizedLaw.Create(law, new SizeLawSpec(SizeLawSpec.CentreOf(Targets(training)), SizeScaling.Shared)) : law;
        }

        var accuracy = new List<LawAccuracy>();
        var (fitOn, heldOut) = HoldOut(training);
        foreach (var name in options.Laws)
        {
            if (heldOut.Count == 0) break;
            progress($"held-out check of {name}: fit on {fitOn.Count} runs, predict the {heldOut.Count} longest");
            var score = LawComparison.Score(Create(name), Targets(fitOn), Targets(heldOut));
            var curves = heldOut.Select((r, i) => new HeldOutCurve(r.Name, Targets([r])[0].Steps.Select(s => (double)s).ToArray(), Targets([r])[0].Loss, score.Predictions[i])).ToList();
            double finalError = curves.Max(c => Math.Abs(c.Predicted[^1] / c.Actual[^1] - 1));
            accuracy.Add(new LawAccuracy(score.Fit.Law.Name, Invariant($"fit on the {fitOn.Count} shorter runs, predict the {heldOut.Count} longest ({heldOut.Max(r => r.Steps)} steps)"),
                score.Summary.PredE, score.Summary.WorstE, finalError, curves));
        }
        int chosen = accuracy.Count == 0 ? 0 : accuracy.Select((a, i) => (a, i)).Where(x => double.IsFinite(x.a.FinalError)).DefaultIfEmpty((a: accuracy[0], i: 0)).MinBy(x => x.a.FinalError).i;
        if (heldOut.Count == 0) warnings.Add("too few runs to hold any out: the law's accuracy is unknown and the plan has no interval");
        string lawName = options.Laws[chosen];
        progress($"fitting {lawName} on {training.Count} runs" + (sized ? " across sizes" : ""));
        var fit = LawFitter.Fit(Create(lawName), Targets(training));
        if (accuracy.Count > 1)
            reasons.Add(new("schedule-to-loss law", "held-out check", Invariant($"{fit.Law.Name}: the smallest worst final-loss error on held-out runs, {100 * accuracy[chosen].FinalError:0.###}% (") + string.Join(", ", accuracy.Select(a => Invariant($"{a.Law} {100 * a.FinalError:0.###}%"))) + ")."));
        else
            reasons.Add(new("schedule-to-loss law", "--laws", $"{fit.Law.Name}" + (accuracy.Count == 1 ? Invariant($", worst final-loss error on held-out runs {100 * accuracy[0].FinalError:0.###}%.") : ".")));
        return new PlanLaw(fit, modelSize, accuracy.Count == 0 ? null : accuracy[chosen], accuracy, training);
    }

    /// <summary>Hold out the longest runs of each size when at least two shorter runs of that size remain to fit on.</summary>
    internal static (List<TrainingRun> Fit, List<TrainingRun> HeldOut) HoldOut(IReadOnlyList<TrainingRun> runs)
    {
        var fit = new List<TrainingRun>();
        var held = new List<TrainingRun>();
        foreach (var group in runs.GroupBy(r => r.Metadata.Parameters ?? double.NaN))
        {
            int longest = group.Max(r => r.Steps);
            var shorter = group.Where(r => r.Steps < longest).ToList();
            if (shorter.Count >= 2)
            {
                fit.AddRange(shorter);
                held.AddRange(group.Where(r => r.Steps == longest));
            }
            else
            {
                fit.AddRange(group);
            }
        }
        return held.Count == 0 ? ([.. runs], []) : (fit, held);
    }

    /// <summary>Each run's losses of <paramref name="split"/> (the other split when it logs none of that one) as a fit target.</summary>
    internal static List<FitTarget> Targets(IEnumerable<TrainingRun> runs, LossSplit split = LossSplit.Train) => runs.Select(r =>
    {
        var points = r.Split(split).ToArray();
        if (points.Length == 0) points = r.Split(split == LossSplit.Train ? LossSplit.Validation : LossSplit.Train).ToArray();
        return FitTarget.Of(r, points);
    }).Where(t => t.Steps.Length > 0).ToList();

    private static PlannedSchedule Planned(Candidate c, double loss, bool? diverges, double q, DivergenceScreen? screen, PlanLaw law, int steps)
    {
        var curveSteps = Enumerable.Range(1, CurvePoints).Select(i => (int)Math.Max(1, Math.Round((double)i * steps / CurvePoints))).Distinct().ToArray();
        var curve = law.Fit.Predict(new ScheduleHistory(c.Units.Evaluate()), curveSteps, law.ModelSize);
        double probability = screen?.Predict(new ScheduleHistory(c.Absolute.Evaluate())).Probability ?? double.NaN;
        return new PlannedSchedule(c.Absolute, loss, double.IsNaN(q) ? double.NaN : loss * (1 - q), double.IsNaN(q) ? double.NaN : loss * (1 + q),
            diverges, probability, curveSteps.Select(s => (double)s).ToArray(), curve);
    }

    /// <summary>Why the winner's family, peak multiple, warmup, cooldown and floor: the best candidate that differs in that one attribute.</summary>
    private static void ScheduleReasons(List<Candidate> candidates, double[] loss, bool?[] diverges, int best, PlanLaw law, List<PlanReason> reasons, string? multipleCapped)
    {
        var w = candidates[best];
        string lawName = law.Fit.Law.Name;
        bool Ok(int i) => diverges[i] != true && double.IsFinite(loss[i]);

        var rivals = candidates.Select((c, i) => (c, i)).Where(x => x.c.Family != w.Family && Ok(x.i)).GroupBy(x => x.c.Family)
            .Select(g => g.MinBy(x => loss[x.i])).OrderBy(x => loss[x.i]).ToList();
        if (rivals.Count > 0)
        {
            var (rc, ri) = rivals[0];
            string text = Invariant($"{lawName} predicts {loss[best]:0.####} for the best {w.Family} against {loss[ri]:0.####} for the best {rc.Family}, the runner-up family");
            if (SchedulePreselection.Compare(law.Fit.Law, law.Fit.Parameters, w.Units, rc.Units) is { Count: > 0 } terms)
                text += Invariant($"; the term that decides most is {terms[0].Name} ({terms[0].Formula}): {terms[0].Difference:+0.####;-0.####}");
            text += "; " + string.Join(", ", rivals.Skip(1).Select(x => Invariant($"best {x.c.Family} {loss[x.i]:0.####}"))) + (rivals.Count > 1 ? "." : "");
            reasons.Add(new("schedule family", lawName, text.TrimEnd(';', ' ') + (text.EndsWith('.') ? "" : ".")));
        }
        Attribute("peak LR", c => c.Multiple, v => Invariant($"x{v:0.##}"), "of the rule's LR", multipleCapped);
        Attribute("warmup", c => c.Warmup, v => Invariant($"{v:0} steps"), "", null);
        if (w.Family == "wsd") Attribute("cooldown", c => c.Cooldown, v => Invariant($"{100 * v:0}%"), "of the run", null);
        if (w.Family != "constant") Attribute("final LR", c => c.Floor, v => Invariant($"{100 * v:0}%"), "of the peak", w.Floor == 0 ? "" : null);

        // cap: why the grid ends where the winner sits (null: the grid's own edge; "": a natural bound, no note).
        void Attribute(string what, Func<Candidate, double> get, Func<double, string> show, string unit, string? cap)
        {
            var same = candidates.Select((c, i) => (c, i)).Where(x => x.c.Family == w.Family && Ok(x.i)
                && (what == "peak LR" || x.c.Multiple == w.Multiple) && (what == "warmup" || x.c.Warmup == w.Warmup)
                && (what == "cooldown" || x.c.Cooldown.Equals(w.Cooldown)) && (what == "final LR" || x.c.Floor.Equals(w.Floor)))
                .OrderBy(x => get(x.c)).ToList();
            if (same.Count < 2) return;
            var values = same.Select(x => get(x.c)).ToList();
            bool edge = get(w) == values[0] || get(w) == values[^1];
            string list = string.Join(", ", same.Select(x => Invariant($"{show(get(x.c))} {loss[x.i]:0.####}")));
            reasons.Add(new(what, lawName, $"{show(get(w))} {unit}".TrimEnd() + $": {lawName}'s final loss at each, the rest as in the plan: {list}"
                + (!edge || cap == "" ? "." : cap is null ? " (the best is at the edge of the grid: the law would go further)." : $" ({cap}).")));
        }
    }

    private static void DivergenceReason(DivergenceScreen screen, Candidate winner, string source, List<PlanReason> reasons)
    {
        var p = screen.Predict(new ScheduleHistory(winner.Absolute.Evaluate()));
        double peak = ((WarmupSchedule)winner.Absolute).Peak;
        reasons.Add(new("divergence", source.Length > 0 ? source : "divergence model", Invariant(
            $"eta_L = {ScalingRules.G(p.EtaL)} at this size and batch; the peak {ScalingRules.G(peak)} is {(peak < p.EtaL ? $"{p.EtaL / peak:0.##}x below it" : $"{peak / p.EtaL:0.##}x above it")}; area ratio S2/S1 = {p.Ratio:0.###} (diverges above 1), classifier probability {p.Probability:0.###}: {(p.Diverges ? "predicted to DIVERGE" : "predicted to train")}.")));
    }

    private static void ExtrapolationWarnings(IReadOnlyList<TrainingRun> runs, PlanLaw law, Candidate winner, PlanHyperparameters hp, RunReference reference,
        List<string> warnings, bool?[] diverges)
    {
        int longest = law.Runs.Max(r => r.Steps);
        if (hp.Steps > 1.2 * longest)
            warnings.Add(Invariant($"{hp.Steps} steps is {(double)hp.Steps / longest:0.#}x the longest run the law was fitted on ({longest} steps): the loss is extrapolated"));
        double maxLr = law.Runs.Max(r => r.LearningRates.Max());
        // The same test as the cap on the multiples: the peak's rounding to 3 digits (up to 0.5%) is no extrapolation.
        double peak = reference.PeakLearningRate * winner.Multiple;
        if (peak > maxLr * 1.001)
            warnings.Add(Invariant($"the chosen peak is {peak / maxLr:0.##}x the highest LR in the runs (in their units): the law extrapolates in LR"));
        double ratio = hp.BatchTokens / reference.TokensPerStep;
        if (ratio > 2 || ratio < 0.5)
            warnings.Add(Invariant($"the plan's batch is {ratio:0.##}x the runs': the law counts steps at the runs' batch, so its loss assumes a step at the new batch does as much (a larger batch below the critical batch does more: the loss is then on the high side)"));
        if (diverges.All(d => d is null))
            warnings.Add("divergence is not screened (no divergence model): a peak far above the runs' may blow up");
        else if (diverges.All(d => d == true))
            warnings.Add(Invariant($"every candidate schedule ({diverges.Length}) is predicted to diverge, the plan's too: it takes the lowest peak; lower the LR or check the divergence model"));
        else if (diverges.Count(d => d == true) is int n and > 0)
            warnings.Add(Invariant($"{n} of {diverges.Length} candidate schedules are predicted to diverge and were set aside"));
    }

    private static void OptimizerWarnings(IReadOnlyList<TrainingRun> runs, PlanRequest request, List<string> warnings)
    {
        var named = runs.Select(r => r.Metadata.Optimizer).Where(o => !string.IsNullOrWhiteSpace(o)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (named.Count == 0)
            warnings.Add($"the runs do not say which optimizer trained them: the plan assumes {request.Optimizer.Name()}, so their LR level carries over as is");
        else if (!named.Any(o => string.Equals(o, request.Optimizer.Name(), StringComparison.OrdinalIgnoreCase)))
            warnings.Add($"the runs were trained with {string.Join(", ", named)}, the plan is for {request.Optimizer.Name()}: their LR level is carried over as is, which holds only if the updates have the same size per coordinate (see `{PublishedAnchors.FromAdamW(1, request.Optimizer, request.Parameters).Note}`)");
    }

    private static ContourFigureData Contour(Candidate w, int steps, double unitPeak, double scale, PlanLaw law, DivergenceScreen? screen)
    {
        var multiples = Enumerable.Range(0, 9).Select(i => 0.25 * Math.Pow(16, i / 8.0)).ToArray();
        var warmups = Enumerable.Range(0, 8).Select(i => Math.Max(1, (int)Math.Round(steps * 0.002 * Math.Pow(100, i / 7.0)))).Where(x => x < steps).Distinct().ToArray();
        var cells = warmups.SelectMany(wu => multiples.Select(m => (wu, m))).ToList();
        var units = cells.Select(x => CandidateGrid.TryBuild(w.Family, unitPeak * x.m, steps, x.wu, w.Cooldown, w.Floor)).ToList();
        var valid = units.Select((u, i) => (u, i)).Where(x => x.u is not null).ToList();
        var (loss, diverges) = SchedulePreselection.PredictAndScreen(law.Fit.Law, law.Fit.Parameters, valid.Select(x => x.u!).ToList(), law.ModelSize,
            screen is null ? null : new ScaledScreen(screen, scale));
        var z = new double[warmups.Length, multiples.Length];
        for (int i = 0; i < z.GetLength(0); i++)
            for (int j = 0; j < z.GetLength(1); j++) z[i, j] = double.NaN;
        for (int k = 0; k < valid.Count; k++)
        {
            int i = valid[k].i / multiples.Length, j = valid[k].i % multiples.Length;
            z[i, j] = diverges[k] == true ? double.NaN : loss[k];
        }
        return new ContourFigureData(w.Family, multiples.Select(m => m * unitPeak * scale).ToArray(), warmups.Select(x => (double)x).ToArray(), z,
            ((WarmupSchedule)w.Absolute).Peak, w.Warmup)
        {
            DataLimitPeak = law.Runs.Max(r => r.LearningRates.Max()) * scale,
        };
    }

    private static DivergenceFigureData Margin(Candidate w, double scale, DivergenceScreen screen)
    {
        var multiples = Enumerable.Range(0, 41).Select(i => Math.Pow(2, -4 + 10 * i / 40.0)).ToArray();
        var peaks = new double[multiples.Length];
        var ratio = new double[multiples.Length];
        var probability = new double[multiples.Length];
        double etaL = double.NaN;
        double peak = ((WarmupSchedule)w.Absolute).Peak;
        var baseLr = w.Absolute.Evaluate();
        Parallel.For(0, multiples.Length, i =>
        {
            var lr = baseLr.Select(x => x * multiples[i]).ToArray();
            var p = screen.Predict(new ScheduleHistory(lr));
            peaks[i] = peak * multiples[i];
            ratio[i] = p.Ratio;
            probability[i] = p.Probability;
            if (i == 0) etaL = p.EtaL;
        });
        return new DivergenceFigureData(peaks, ratio, probability, etaL, peak, screen.DefaultPredictor == DivergencePredictorKind.Area ? "screen: area criterion" : "screen: classifier");
    }
}
