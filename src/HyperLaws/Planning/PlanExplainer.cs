using System.Globalization;
using HyperLaws.Schedules;
using static System.FormattableString;

namespace HyperLaws.Planning;

/// <summary>
/// Words for a <see cref="TrainingPlan"/>'s decision record, for the console and the report: each <see cref="PlanReason"/> as
/// (what it decides, by what, why) and each <see cref="PlanWarning"/> as a sentence, from their numbers alone. The words name
/// no command-line option (a front end adds its own hints).
/// </summary>
public static class PlanExplainer
{
    /// <summary>One reason in words.</summary>
    public sealed record Line(string Decides, string Source, string Text);

    /// <summary>4 significant digits, an exponent written short and lowercase ("6.554e4", "3.2e-6"), never "6.554E+04".</summary>
    private static string G(double v) => ShortExponent.Of(ScalingRules.G(v));

    /// <summary>A loss to 4 decimals; "undefined" for one that is not a number (never "NaN" in the words).</summary>
    private static string L(double loss, bool withheld = false) =>
        withheld ? "not given" : double.IsFinite(loss) ? loss.ToString("0.####", CultureInfo.InvariantCulture) : "undefined";

    /// <summary>
    /// True when the plan withholds its loss (the reason's quantity lossWithheld, set by <see cref="Planner.Make"/> with
    /// <see cref="LossPlausibility.Withheld"/>): the law's losses it cites are not losses, so they are not printed ("not given").
    /// </summary>
    private static bool Withheld(PlanReason r) => r.Q("lossWithheld") == 1;

    /// <summary>What a kind of reason decides, as the console's "decides" column says it.</summary>
    public static string Decides(ReasonKind kind) => kind switch
    {
        ReasonKind.BatchCalibrated or ReasonKind.BatchAnchor or ReasonKind.BatchFixed => "batch size",
        ReasonKind.LrCalibrated or ReasonKind.LrAnchor or ReasonKind.LrCalibrationCheck or ReasonKind.LrTheoryDisagrees => "LR budget scaling",
        ReasonKind.LrAcrossSize => "LR across model size",
        ReasonKind.Momentum => "momentum",
        ReasonKind.Steps => "steps",
        ReasonKind.SequenceLength => "sequence length",
        ReasonKind.Law => "schedule-to-loss law",
        ReasonKind.Family => "schedule family",
        ReasonKind.PeakLr => "peak LR",
        ReasonKind.Warmup => "warmup",
        ReasonKind.Cooldown => "cooldown",
        ReasonKind.FinalLr => "final LR",
        ReasonKind.Divergence => "divergence",
        ReasonKind.LrAxisPrior => "LR axis",
        ReasonKind.HorizonBias => "predicted loss",
        ReasonKind.ObservedBest => "schedule (runs' best)",
        ReasonKind.AnchoredLoss => "predicted loss (anchored)",
        _ => kind.ToString(),
    };

    /// <summary>Every reason of the plan in words, in the plan's order.</summary>
    public static IReadOnlyList<Line> Reasons(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return [.. plan.Reasons.Select(r => Reason(r, plan.Law))];
    }

    /// <summary>Every warning of the plan in words.</summary>
    public static IReadOnlyList<string> Warnings(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return [.. plan.Warnings.Select(Warning)];
    }

    /// <summary>The schedule-regret rule's reason (<see cref="ObservedBest"/>) in words.</summary>
    private static string ObservedBestText(PlanReason r)
    {
        string run = r.Labels.Count > 0 ? r.Labels[0] : "", incumbent = r.Labels.Count > 1 ? Shown(r.Labels[1]) : "";
        string best = Invariant($"the best of {r.Q("runsCompared"):0} runs of the longest horizon compared is {run} (final loss {L(r.Q("runLoss"))})");
        string gain = Invariant($"the law predicts {L(r.Q("pickLoss"), Withheld(r))} for its pick against {L(r.Q("incumbentLoss"), Withheld(r))} for {incumbent}")
            + (r.Q("ownPeak") == 1 ? Invariant($" (at its own optimal peak {G(r.Q("incumbentPeak"))}; the pick's is {G(r.Q("pickPeak"))})") : "")
            + Invariant($", a gain of {100 * r.Q("gain"):0.###}%");
        string tau = double.IsFinite(r.Q("threshold"))
            ? Invariant($"its schedule comparisons on the runs err by up to {100 * r.Q("threshold"):0.###}% (90% of {r.Q("comparisons"):0} pairs of one horizon and peak LR)")
            : Invariant($"its schedule comparisons on the runs cannot be measured ({r.Q("comparisons"):0} pairs of one horizon and peak LR; {ObservedBest.MinimumComparisons} needed)");
        string applied = r.Q("applied") == 1 ? "" : " (reported, not applied: the plan keeps the law's pick)";
        // Decided at the pick's warmup; the kept schedule rebuilt at its run's warmup (ObservedBest.Decide).
        if (r.Labels.Count > 2 && r.Labels[2].Length > 0)
            applied += Invariant($" (compared at the pick's warmup; kept at its run's warmup as {Shown(r.Labels[2])}, final loss {L(r.Q("keptLoss"), Withheld(r))})");
        return Enum.TryParse<ObservedBestOutcome>(r.ChosenLabel, out var o) ? o switch
        {
            ObservedBestOutcome.NoIncumbent => "no run horizon compares two schedules: the law's pick stands.",
            ObservedBestOutcome.NotPlannable => Invariant($"{best}; no planner schedule reads its LRs within {100 * ObservedBest.ShapeTolerance:0}% of its peak (RMS {100 * r.Q("shapeMismatch"):0.#}%): the law's pick stands."),
            ObservedBestOutcome.Same => $"{best}; the law's pick is its schedule ({incumbent}).",
            ObservedBestOutcome.Departed => $"{best}; {gain}; {tau}: the gain exceeds that, so the plan departs from it.",
            ObservedBestOutcome.KeptWithinError => $"{best}; {gain}; {tau}: the gain is within that, so the plan keeps the runs' best schedule{applied}.",
            _ => $"{best}; {gain}; {tau}: no evidence to depart, so the plan keeps the runs' best schedule{applied}.",
        } : "";
    }

    /// <summary>
    /// A loss with its interval, "3.2 (3.1-3.3)"; what is known when a part is not a number (never "NaN"): "3.2 (interval undefined)",
    /// or "undefined" for the loss itself.
    /// </summary>
    private static string LossWithInterval(double loss, double lower, double upper, bool withheld = false) =>
        withheld ? "not given" : !double.IsFinite(loss) ? "undefined"
        : double.IsFinite(lower) && double.IsFinite(upper) ? $"{L(loss)} ({L(lower)}-{L(upper)})"
        : $"{L(loss)} (interval undefined)";

    /// <summary>The anchored loss's reason (<see cref="AnchoredLoss"/>) in words.</summary>
    private static string AnchoredLossText(PlanReason r)
    {
        string without = LossWithInterval(r.Q("withoutLoss"), r.Q("withoutLower"), r.Q("withoutUpper"), Withheld(r));
        if (r.ChosenLabel.Length == 0) return $"no run of the plan's schedule shape at a peak within x{AnchoredLoss.PeakFactor:0} of its (nor within x{AnchoredLoss.MaxLrFactor:0} across peak LR, where that is on): the predicted loss is the law's, {without}.";
        // O(a) with its number: the final evaluation, the tail estimate (AnchoredLoss.TailEstimate, PlanOptions.AnchorTail; from the last
        // tenth, or the last point before it where the run logged none there) or the last logged point.
        string loss = L(r.Q("observed"), Withheld(r));
        string window = r.Q("tailFrom") >= (1 - AnchoredLoss.TailFraction) * r.Q("runSteps")
            ? Invariant($"its last {100 * AnchoredLoss.TailFraction:0}% of steps")
            : Invariant($"its last logged point, at step {r.Q("tailFrom"):0} (none in its last {100 * AnchoredLoss.TailFraction:0}% of steps)");
        string observed = r.Q("finalEvaluation") == 1 ? $"final evaluation {loss}"
            : r.Q("tail") == 1 ? $"loss {loss}, estimated from {window} by the law's shape (last logged {L(r.Q("lastLogged"), Withheld(r))}; no final evaluation),"
            : $"last logged loss (no final evaluation) {loss}";
        // Which residuals calibrate it and where its width is read (AnchoredLoss.Residuals / AllPairResiduals, AnchoredLoss.IntervalDistance).
        string from = r.Q("pairs") == 1
            ? Invariant($"from {r.Q("residuals"):0} residuals of the same anchored prediction from every horizon pair within the runs, its width read at distance {r.Q("intervalDistance"):0.###} (the target's {r.Q("distance"):0.###}, read no nearer than the residuals' nearest)")
            : Invariant($"from {r.Q("residuals"):0} residuals of the same anchored prediction one horizon step back within the runs, at the target's distance {r.Q("distance"):0.###}");
        string interval = r.Q("calibrated") == 1
            ? Invariant($"the interval {L(r.Q("lower"), Withheld(r))}-{L(r.Q("upper"), Withheld(r))} {from}")
            : Invariant($"the interval {L(r.Q("lower"), Withheld(r))}-{L(r.Q("upper"), Withheld(r))} is the law's, moved to it ({r.Q("residuals"):0} residuals of the anchored prediction within the runs; {ConformalIntervalProvider.MinimumResiduals} needed to calibrate it)");
        string applied = r.Q("applied") == 1 ? "" : Invariant($" (reported, not applied: the plan prints the law's {without})");
        // AnchoredLoss.Predict is NaN unless the observed loss and the law's losses are positive and finite: then nothing is anchored.
        if (!double.IsFinite(r.Q("predicted")))
            return Invariant($"{r.ChosenLabel} ({r.Q("runSteps"):0} steps, peak {G(r.Q("runPeak"))}) has the plan's shape, but its {observed.TrimEnd(',')} cannot be anchored: ")
                + Invariant($"the law predicts {L(r.Q("lawAtTarget"), Withheld(r))} at the target and {L(r.Q("lawOnRun"), Withheld(r))} on the run") + (r.Q("acrossLr") == 1 ? " (or its LR law across the peak move)" : "")
                + $", not all positive: the predicted loss is the law's, {without}.";
        if (!double.IsFinite(r.Q("lower")) || !double.IsFinite(r.Q("upper")))
            interval = Invariant($"its interval is undefined (the law's, which it would move, is undefined; {r.Q("residuals"):0} residuals of the anchored prediction within the runs, {ConformalIntervalProvider.MinimumResiduals} needed to calibrate one)");
        if (r.Q("acrossLr") == 1)
        {
            string lrLaw = r.Labels.Count > 1 ? r.Labels[1] switch { "plan" => "the plan's joint law", "prior" => "the LR-axis prior's joint law", _ => "the joint law fitted on the runs" } : "the law";
            string ratio = r.Labels.Count > 1
                ? Invariant($"the law's ratio of the plan's schedule at the run's peak to the run {L(r.Q("lawAtRunPeak"), Withheld(r))} / {L(r.Q("lawOnRun"), Withheld(r))} x {lrLaw}'s ratio of the plan's peak to the run's {L(r.Q("lrLawAtTarget"), Withheld(r))} / {L(r.Q("lrLawAtRunPeak"), Withheld(r))}")
                : Invariant($"the law's ratio of the target to it {L(r.Q("lawAtTarget"), Withheld(r))} / {L(r.Q("lawOnRun"), Withheld(r))}");
            return Invariant($"no run of the plan's shape within x{AnchoredLoss.PeakFactor:0} of its peak; {r.ChosenLabel} ({r.Q("runSteps"):0} steps, peak {G(r.Q("runPeak"))}; the plan's peak is x{r.Q("lrRatio"):0.##} its) has its shape: ")
                + Invariant($"its {observed} x {ratio} gives {L(r.Q("predicted"), Withheld(r))}, against the law's {without}; {interval}, its half-widths x{r.Q("widening"):0.##} for the LR move{applied}.");
        }
        return Invariant($"{r.ChosenLabel} ({r.Q("runSteps"):0} steps, peak {G(r.Q("runPeak"))}) has the plan's shape; its {observed} x the law's ratio of the target to it ")
            + Invariant($"{L(r.Q("lawAtTarget"), Withheld(r))} / {L(r.Q("lawOnRun"), Withheld(r))} = {r.Q("ratio"):0.#####} gives {L(r.Q("predicted"), Withheld(r))}, against the law's {without}; {interval}{applied}.");
    }

    /// <summary>One reason in words; <paramref name="law"/> names the plan's law where the reason refers to it.</summary>
    public static Line Reason(PlanReason r, string law = "the law")
    {
        ArgumentNullException.ThrowIfNull(r);
        string text = r.Kind switch
        {
            ReasonKind.BatchCalibrated => (double.IsFinite(r.Q("fittedExponent"))
                    ? Invariant($"the runs' optimal batch grows as D^{r.Q("fittedExponent"):0.###}") + (r.Q("fittedExponent") != r.Q("c") ? Invariant($", clipped to the theory's range [0, 1/2]: c = {r.Q("c"):0.###}") : "")
                    : "the runs cannot fit a batch exponent (one budget, or one batch per budget): c = 1/2, Theorem 1 (fixed momentum)")
                + Invariant($"; b = b0 r^c with r = {G(r.Q("r"))}: {r.Q("sequences"):0} sequences of {r.Q("sequenceLength"):0} = {G(r.Q("batchTokens"))} tokens per step (from {G(r.Q("referenceBatch"))} at {G(r.Q("referenceTokens"))} tokens)."),
            ReasonKind.LrCalibrated => Invariant($"eta = eta0 r^(c - 3/4) = {G(r.Q("referencePeak"))} x {G(r.Q("r"))}^{r.Q("exponent"):0.###} = {G(r.Q("learningRate"))} (eta0 the runs' optimum at their largest budget)."),
            ReasonKind.LrCalibrationCheck => Invariant($"across the runs' budgets the optimal LR moved as D^{r.Q("fitted"):0.###}; the theory's path says T^{r.Q("theory"):0.###}")
                + (Math.Sign(r.Q("fitted")) != Math.Sign(r.Q("theory")) && Math.Abs(r.Q("fitted")) > 0.05 ? ": the runs disagree with the constant-LR theory in sign (lmo-scaling.md notes protocols where the optimal LR rises with the horizon)." : "."),
            ReasonKind.LrAcrossSize => Invariant($"the LMO rules hold N fixed; the runs are at N = {G(r.Q("referenceSize"))}, the target at {G(r.Q("size"))}: eta x (N/N_ref)^{r.Q("exponent")} = x{G(r.Q("factor"))}."),
            ReasonKind.BatchAnchor => Invariant($"{r.Source}'s batch rule grows as D^{r.Q("exponent"):0.###} at fixed N: x{G(r.Q("ratio"))} the runs' {G(r.Q("referenceBatch"))} tokens for {G(r.Q("r"))}x their budget."),
            ReasonKind.LrAnchor => Invariant($"the runs' peak {G(r.Q("referencePeak"))} (their level) x {r.Source}'s ratio eta*(N, T)/eta*(N_ref, T_ref) = x{G(r.Q("ratio"))} = {G(r.Q("learningRate"))}; {r.Source} alone would give {G(r.Q("anchorAlone"))} for AdamW."),
            ReasonKind.LrTheoryDisagrees => Invariant($"the anchor's LR rises with the budget (D^{r.Q("exponent"):0.###} at fixed N) while the LMO bound's falls (T^-1/4 at fixed momentum, constant LR): the data behind the anchor disagree with the theory; the plan follows the data and the figure shows both."),
            ReasonKind.BatchFixed => Invariant($"fixed at {G(r.Q("batchTokens"))} tokens ({G(r.Q("ratio"))}x the rule's {G(r.Q("ruleBatch"))}); at a fixed budget and momentum the LMO bound's optimal LR grows as sqrt(b) (Theorem 1): the LR x {G(r.Q("lrFactor"))}."),
            ReasonKind.Momentum => Invariant($"on the ridge path b ~ T^c the momentum follows alpha = 1 - beta ~ T^(c - 1/2) with c = {r.Q("c"):0.###}: beta {r.Q("from"):0.####} -> {r.Q("to"):0.####}")
                + (r.Q("assumed") == 1 ? Invariant($" (the runs do not give theirs: {(r.Labels.Count > 0 ? r.Labels[0] : "the optimizer")}'s usual {r.Q("from"):0.##} assumed).") : "."),
            ReasonKind.Steps => Invariant($"K = T / B = {G(r.Q("tokens"))} / {G(r.Q("batchTokens"))} = {r.Q("steps"):0} steps."),
            ReasonKind.SequenceLength => Invariant($"no sequence length was given and {(r.Q("runs") == 1 ? "the run states" : Invariant($"all {r.Q("runs"):0} runs state"))} {r.Chosen:0} tokens per sequence: the batch is counted in sequences of {r.Chosen:0} tokens (not the default {r.Q("default"):0})."),
            ReasonKind.Law => LawText(r),
            ReasonKind.LrAxisPrior => Invariant($"the runs share one peak LR ({G(r.Q("runsPeak"))}), so the loss's rise at high LR comes from the prior ({r.Source}, {r.Q("cells"):0} Step Law cells): ")
                + Invariant($"for a warmup-cosine schedule the optimum lies at x* = {r.Q("ratio"):0.###} x eta_ref = {G(r.Chosen)} (eta_ref = 1.79 N^-0.713 D^0.307{(double.IsNaN(r.Q("batchFactor")) ? "" : Invariant($" x {G(r.Q("batchFactor"))}, the fixed batch's factor on the rule's LR,"))} = {G(r.Q("etaRef"))}) with curvature k = {r.Q("curvature"):0.####} ")
                + Invariant($"(L = L* (1 + k ln(eta/eta*)^2)); the joint law's saturation kappa = {G(r.Q("kappa"))} and cost C = {G(r.Q("cost"))} reproduce it (k reached {r.Q("reachedCurvature"):0.####}")
                + (r.Q("costClipped") == 1 ? "; the law rises there without cost: C = 0, its optimum lies lower" : "") + ")"
                + (r.Q("combined") == 1 ? Invariant($"; the chosen law gives the loss of each shape at the rule's peak {G(r.Q("referencePeak"))} (its runs' LR), the joint law the change as the peak moves from there") : ", in the joint law that plans")
                + Invariant($"; peaks {G(r.Q("supportLow"))} to {G(r.Q("supportHigh"))} count as supported (the prior's runs)."),
            ReasonKind.Family => FamilyText(r, law),
            ReasonKind.PeakLr when r.Axis is { } a && r.Q("redecided") == 1 => AxisText(a, law, Withheld(r))
                + Invariant($" Decided again for the runs' best schedule, which the schedule-regret rule keeps: the law's pick was planned at {G(r.Q("pickPeak"))} (final loss {L(r.Q("pickLoss"), Withheld(r))}), this peak is the decision for the kept schedule's own shape."),
            ReasonKind.Warmup when r.Q("given") == 1 => Invariant($"{r.Chosen:0} steps, given: not searched."),
            ReasonKind.Warmup when r.Q("redecided") == 1 => Invariant($"{r.Chosen:0} steps: the warmup of {(r.Labels.Count > 0 ? r.Labels[0] : "the run")} ({r.Q("runWarmup"):0} steps, carried in steps")
                + (r.Q("heldAtLimit") == 1 ? ", held at the warmup guard's limit: not set below what the runs support at the plan's peak"
                    : r.Q("capped") == 1 ? Invariant($", capped at the search's top, {100 * Planner.WarmupRange.High:0}% of the run") : "")
                + Invariant($"), the runs' best schedule, which the schedule-regret rule keeps; the law's pick was planned with {r.Q("pickWarmup"):0} steps")
                + (r.Axis is { } ka ? Invariant($" (the law's own best over {Value(ka.Axis, ka.SearchLow)}..{Value(ka.Axis, ka.SearchHigh)}: {Value(ka.Axis, ka.Optimum)}{(ka.Bound == AxisBound.Interior ? "" : ", the edge of the search")}).") : "."),
            ReasonKind.PeakLr or ReasonKind.Warmup or ReasonKind.Cooldown when r.Axis is { } a => AxisText(a, law, Withheld(r)),
            ReasonKind.FinalLr => Invariant($"{100 * r.Chosen:0}% of the peak: {law}'s final loss at each, the rest as in the plan: ")
                + string.Join(", ", r.Considered.Select(o => Invariant($"{100 * o.Value:0}% {L(o.Loss, Withheld(r))}"))) + ".",
            ReasonKind.HorizonBias => Invariant($"the law's final-loss predictions one horizon step back within the runs were off by {100 * r.Chosen:+0.##;-0.##}% on average (")
                + Invariant($"{r.Q("residuals"):0} runs") + (double.IsFinite(r.Q("peakLr")) ? Invariant($" at peak LR {G(r.Q("peakLr"))}") : ", all peak LRs")
                + (r.Q("finalEvaluation") == 1 ? ", against their final evaluations" : ", against their last logged losses") + "): "
                + (r.Q("applied") == 1 ? Invariant($"the predicted losses are the law's x {1 + r.Chosen:0.####} ({L(r.Q("lawLoss"), Withheld(r))} -> {L(r.Q("correctedLoss"), Withheld(r))}).")
                    : Invariant($"not applied; corrected, the final loss would be {L(r.Q("correctedLoss"), Withheld(r))} (the law's {L(r.Q("lawLoss"), Withheld(r))}).")),
            // The runs' evidence with no run diverged (EvidenceDivergenceGuard): no boundary to compare with.
            ReasonKind.Divergence when !double.IsFinite(r.Q("etaL")) => Invariant($"no divergence boundary is known (no run diverged); the peak {G(r.Q("peak"))} is not screened beyond the runs' LR range."),
            ReasonKind.Divergence => Invariant($"critical peak LR eta_crit = {G(r.Q("etaL"))} at this size, batch, horizon and warmup; the peak {G(r.Q("peak"))} is ")
                + (r.Q("peak") < r.Q("etaL") ? Invariant($"{r.Q("etaL") / r.Q("peak"):0.##}x below it") : Invariant($"{r.Q("peak") / r.Q("etaL"):0.##}x above it"))
                + Invariant($"; P(diverge) = {r.Q("probability"):0.###}: ")
                + (r.Q("peak") > r.Q("etaL") ? "predicted to DIVERGE"
                    : r.Q("diverges") == 1 ? Invariant($"at or above the guard's risk level {r.Q("risk"):G3}, so held as diverging")
                    : r.Q("risk") < 0.5 ? Invariant($"predicted to train, under the guard's risk level {r.Q("risk"):G3}")
                    : "predicted to train")
                + (!double.IsFinite(r.Q("safePeak")) ? "."
                    : r.Q("risk") < 0.5 ? Invariant($"; the highest peak of this shape under that level is {G(r.Q("safePeak"))}.")
                    : Invariant($"; the highest peak of this shape that trains is {G(r.Q("safePeak"))}.")),
            ReasonKind.ObservedBest => ObservedBestText(r),
            ReasonKind.AnchoredLoss => AnchoredLossText(r),
            _ => "",
        };
        return new Line(Decides(r.Kind), r.Source, text);
    }

    private static string LawText(PlanReason r)
    {
        if (r.Considered.Count > 1 && r.Q("byCorrected") == 1)
            return Invariant($"{r.ChosenLabel}: the smallest held-out final-loss error after the horizon-bias correction (mean, each run left out of its own correction): ")
                + string.Join(", ", r.Considered.Select(o => Invariant($"{o.Label} {100 * o.Value:0.###}% (uncorrected worst {100 * o.Loss:0.###}%)"))) + ".";
        if (r.Considered.Count > 1)
            return Invariant($"{r.ChosenLabel}: the smallest worst final-loss error on held-out runs, {100 * r.Chosen:0.###}% (")
                + string.Join(", ", r.Considered.Select(o => Invariant($"{o.Label} {100 * o.Loss:0.###}%"))) + ").";
        if (r.Considered.Count == 1)
            return Invariant($"{r.ChosenLabel}, the only law tried; worst final-loss error on held-out runs {100 * r.Considered[0].Loss:0.###}%.");
        return double.IsNaN(r.Q("runs")) ? $"{r.ChosenLabel}: the law given to the planner." : $"{r.ChosenLabel}, the only law tried (nothing held out).";
    }

    private static string FamilyText(PlanReason r, string law)
    {
        var others = r.Considered.Where(o => o.Label != r.ChosenLabel).ToList();
        string text = Invariant($"{law} predicts {L(r.Chosen, Withheld(r))} for the best {r.ChosenLabel}");
        if (others.Count > 0) text += Invariant($" against {L(others[0].Loss, Withheld(r))} for the best {others[0].Label}, the runner-up family");
        if (r.Decisive is { } d) text += Invariant($"; the term that decides most is {d.Name} ({d.Formula}): {d.Difference:+0.####;-0.####}");
        if (others.Count > 1) text += "; " + string.Join(", ", others.Skip(1).Select(o => Invariant($"best {o.Label} {L(o.Loss, Withheld(r))}")));
        if (r.Labels.Count > 0) text += Invariant($"; {string.Join(", ", r.Labels)} cannot be built with a warmup of {r.Q("warmup"):0} steps (no room for its cooldown), so it is not compared");
        return text + Invariant($" (each family at its best of three peaks around the rule's LR, warmup {r.Q("warmup"):0} steps") + (double.IsFinite(r.Q("cooldown")) ? Invariant($", wsd at its better cooldown of 20% and 50%: {100 * r.Q("cooldown"):0}%).") : ").");
    }

    /// <summary>A value of an axis in words: an LR, steps, or a percentage of the run.</summary>
    public static string Value(PlanAxis axis, double v) => axis switch
    {
        PlanAxis.PeakLr => G(v),
        PlanAxis.Warmup => Invariant($"{Math.Round(v):0} steps"),
        _ => Invariant($"{100 * v:0.#}%"),
    };

    /// <summary>An axis decision: the chosen value, the law's optimum and where it lies, the interval, and the guard.</summary>
    public static string AxisText(AxisDecision a, string law = "the law", bool withheld = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        string what = a.Axis switch { PlanAxis.PeakLr => "peak LR", PlanAxis.Warmup => "warmup", _ => "cooldown" };
        string range = Invariant($"{Value(a.Axis, a.SearchLow)}..{Value(a.Axis, a.SearchHigh)}");
        string text = a.Bound switch
        {
            AxisBound.Interior => Invariant($"{law}'s optimum over {range} ({a.Points.Count} settings evaluated) is {Value(a.Axis, a.Optimum)}, final loss {L(a.OptimumLoss, withheld)}"),
            AxisBound.AtHigh => Invariant($"{law}'s final loss still falls at the top of the searched {range} ({Value(a.Axis, a.Optimum)}, {L(a.OptimumLoss, withheld)}): no optimum in range"),
            _ => Invariant($"{law}'s final loss still falls at the bottom of the searched {range} ({Value(a.Axis, a.Optimum)}, {L(a.OptimumLoss, withheld)}): no optimum in range"),
        };
        if (a.Guard is { } g)
        {
            text += g.Kind switch
            {
                GuardKind.AboveRuns when double.IsNaN(g.SupportHigh) => Invariant($"; held at the scaling rule's LR {Value(a.Axis, a.Chosen)} (loss {L(a.ChosenLoss, withheld)}): the law gives no range of supported peaks"),
                GuardKind.BelowRuns when double.IsNaN(g.SupportLow) => Invariant($"; held at the scaling rule's LR {Value(a.Axis, a.Chosen)} (loss {L(a.ChosenLoss, withheld)}): the law gives no range of supported peaks"),
                GuardKind.AboveRuns => Invariant($"; held at {Value(a.Axis, a.Chosen)} (loss {L(a.ChosenLoss, withheld)}), the highest peak of the law's runs carried to the target: above it the law has no data"),
                GuardKind.BelowRuns => Invariant($"; held at {Value(a.Axis, a.Chosen)} (loss {L(a.ChosenLoss, withheld)}), the lowest peak of the law's runs carried to the target: below it the law has no data"),
                GuardKind.RunsEvidence => Invariant($"; held at {Value(a.Axis, a.Chosen)} (loss {L(a.ChosenLoss, withheld)}), the runs' own optimum carried to the target: their final losses at a comparable horizon contradict the law's"),
                _ => Invariant($"; held at {Value(a.Axis, a.Chosen)} (loss {L(a.ChosenLoss, withheld)}), the highest peak of this shape that the divergence guard lets train"),
            };
            if (g.SweepPeaks.Count > 0)
                text += Invariant($"; to settle it, run peaks {string.Join(", ", g.SweepPeaks.Select(G))} at the target")
                    + (g.SweepPeaksInRunUnits.All(double.IsFinite) ? Invariant($" ({string.Join(", ", g.SweepPeaksInRunUnits.Select(G))} in your runs' units at their budget)") : "");
        }
        else if (a.WarmupGuard is { } wg)
        {
            text = Invariant($"{Value(a.Axis, a.Chosen)}: ") + text + WarmupGuardText(wg, a, withheld);
        }
        else if (a.Bound == AxisBound.Interior)
        {
            text = Invariant($"{Value(a.Axis, a.Chosen)}: ") + text;
        }
        else
        {
            text = Invariant($"{Value(a.Axis, a.Chosen)}, the edge of the search: ") + text;
        }
        text += double.IsFinite(a.Tolerance)
            ? Invariant($"; within the loss interval (+{L(a.Tolerance, withheld)}) from {(a.LowerOpen ? "below " : "")}{Value(a.Axis, a.Lower)} to {Value(a.Axis, a.Upper)}{(a.UpperOpen ? " and beyond" : "")}")
                + (a.UpperAtDivergence ? ", at the divergence guard's limit (its risk level of P(diverge))" : "")
            : "; no loss interval, so no interval of the " + what;
        return text + Invariant($" (the rest as in {Shown(a.HeldAt)}).");
    }

    /// <summary>
    /// A canonical spec (<see cref="LrSchedule.ToSpec"/>, as the plan's structured fields keep it) in the form people read
    /// (<see cref="LrSchedule.ToDisplaySpec"/>: "floor=6.67e-05"); the text is re-written, not bound, so no table file is read. A text that
    /// is not a spec ("" where no schedule was built) is shown as it is.
    /// </summary>
    private static string Shown(string spec)
    {
        try
        {
            return SpecText.Write(SpecText.Parse(spec), display: true);
        }
        catch (ScheduleSpecException)
        {
            return spec;
        }
    }

    /// <summary>The warmup guard's part of an axis decision's words.</summary>
    private static string WarmupGuardText(WarmupGuard g, AxisDecision a, bool withheld) =>
        Invariant($"; held at {g.Limit:0} steps (loss {L(a.ChosenLoss, withheld)}), ")
        + (g.Source == WarmupSource.Prior
            ? Invariant($"the stated prior of {WarmupGuard.PriorSteps} steps (the median warmup of seven public recipes): ")
                + (g.Run.Length > 0 ? Invariant($"no run reaches a peak comparable to the plan's and those of the highest peak ({g.Run}, peak {G(g.RunPeak)}) train without a warmup, which does not show that the plan's peak does") : "no run carries a warmup")
            : Invariant($"the shortest warmup among the law's runs that trained at {(g.Comparable ? "a peak comparable to the plan's" : "their highest peaks, below the plan's")} ({g.Run}, {g.Supported:0} steps at peak {G(g.RunPeak)})"))
        + (Math.Abs(g.Supported - g.Limit) >= 0.5 ? Invariant($", held to the searched range") : "")
        + ": no law here models what a warmup buys, only the LR area it costs, so the law's shorter warmup is not evidence"
        + (g.SweepWarmups.Count > 0 ? Invariant($"; to settle it, run warmups of {string.Join(", ", g.SweepWarmups.Select(x => x.ToString("0", CultureInfo.InvariantCulture)))} steps at the plan's peak") : "");

    /// <summary>One warning in words.</summary>
    public static string Warning(PlanWarning w)
    {
        ArgumentNullException.ThrowIfNull(w);
        return w.Kind switch
        {
            WarningKind.SizeUnknown => "the runs do not give their model size: they are taken to be at the target's size",
            WarningKind.RunsBatchAssumed => Invariant($"the runs do not give their batch: assumed {G(w.Q("batchTokens"))} tokens per step, what {Label(w, 0)} calls optimal for their own budget ({w.Q("steps"):0} steps)")
                + (w.Values.Count > 0 ? $"; the other runs of that size state different batches ({string.Join(", ", w.Values.Select((v, i) => $"{G(v)} ({Label(w, i + 1)})"))}), so none is taken" : ""),
            WarningKind.RunsSequenceLengthUnsettled => Invariant($"no sequence length was given and the runs do not settle one (")
                + (w.Values.Count > 1 ? Invariant($"they state {string.Join(", ", w.Values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))} tokens") : Invariant($"{w.Q("runs") - w.Q("unstated"):0} state {w.Values[0]:0} tokens"))
                + (w.Q("unstated") > 0 ? Invariant($"; {w.Q("unstated"):0} of {w.Q("runs"):0} state none") : "")
                + Invariant($"): the batch is counted in sequences of the default {w.Q("sequenceLength"):0} tokens"),
            WarningKind.RunsBatchFromPeer => Invariant($"the reference run {Label(w, 0)} does not give its batch: taken as {G(w.Q("batchTokens"))} tokens per step, what the other run(s) of its size state ({string.Join(", ", w.Labels.Skip(1))})"),
            WarningKind.LawPassedOver => Invariant($"{Label(w, 0)}{(w.Q("bounded") == 1 ? " with its floor bounded" : "")} is not physical on these runs (")
                + (Label(w, 2) == "floor" ? Invariant($"fitted L0 = {G(w.Q("L0"))} < 0: a cross-entropy has no negative floor") : "its loss at the target is not a plausible cross-entropy")
                + Invariant($"): passed over; the plan is {Label(w, 1)}'s{(w.Q("planBounded") == 1 ? " with its floor bounded" : "")}, fitted on the same runs"),
            WarningKind.FloorBounded => Invariant($"no law fitted freely is physical on these runs: {Label(w, 0)} was refitted with its floor L0 held to [{G(w.Q("lower"))}, {G(w.Q("upper"))}] (0: a cross-entropy is never negative; the runs' lowest logged loss: they already went below any higher floor)")
                + (double.IsNaN(w.Q("freeL0")) ? "" : Invariant($"; its free fit put L0 at {G(w.Q("freeL0"))}")) + Invariant($", the bounded fit at {G(w.Q("L0"))}. The floor is then a prior the runs do not measure, so the plan gives no interval (no held-out run calibrates it)")
                + (w.Q("physical") == 1 ? "" : "; the bounded fit is not physical either"),
            WarningKind.Transfer => w.Detail,
            WarningKind.CalibrationAtEdge => Invariant($"at {w.Q("count"):0} of {w.Q("budgets"):0} budget(s) ({string.Join(", ", w.Values.Select(G))} tokens) the runs' best LR is the lowest or highest they tried: the optimum may lie beyond, so eta0 and the LR exponent the runs show are bounds; widen the LR grid there"),
            WarningKind.AnchorPrior => $"the LR and batch scaling are priors from {Label(w, 0)}, not calibrated on your runs ({(w.Detail.Length > 0 ? w.Detail : "no calibration")})",
            WarningKind.BatchRounded => Invariant($"rounding the batch to {w.Q("sequences"):0} sequences of {w.Q("sequenceLength"):0} moved it from {G(w.Q("from"))} to {G(w.Q("to"))} tokens"),
            WarningKind.OptimizerUnknown => $"the runs do not say which optimizer trained them: the plan assumes {Label(w, 0)}, so their LR level carries over as is",
            WarningKind.OptimizerMismatch => $"the runs were trained with {string.Join(", ", w.Labels.Skip(1))}, the plan is for {Label(w, 0)}: their LR level is carried over as is, which holds only if the updates have the same size per coordinate"
                + (w.Detail.Length > 0 ? $" ({w.Detail})" : ""),
            WarningKind.OptimizersMixed => $"the runs name {w.Labels.Count} optimizers ({string.Join(", ", w.Labels)}): their peak LRs are pooled on one LR axis, though each optimizer has its own LR scale; plan from the runs of one optimizer",
            WarningKind.RunsAtSeveralBatches => Invariant($"the runs train at {w.Values.Count} batches ({string.Join(", ", w.Values.Select(b => b.ToString("0", CultureInfo.InvariantCulture)))} tokens per step): the laws count optimizer steps, so one law fitted across them takes a step of each for the same progress; the plan converts only its reference run's batch to its own, not the runs' steps across batches"),
            WarningKind.RunsAtOtherSize => Invariant($"every run is at N = {G(w.Q("runsSize"))}: the law's losses are for that size, not the target's {G(w.Q("size"))}"),
            WarningKind.SizeExtrapolated => Invariant($"the target N = {G(w.Q("size"))} is outside the runs' sizes {G(w.Q("lowest"))}..{G(w.Q("highest"))}: the law across sizes extrapolates"),
            WarningKind.NothingHeldOut => "too few runs to hold any out: the law's accuracy on held-out runs is unknown, and any interval comes from the runs' own horizons, not from a held-out run",
            WarningKind.LrAxisFromPrior => Invariant($"every run has the peak LR {G(w.Q("runsPeak"))}: the runs cannot tell where the loss turns up in LR; the plan's LR axis is the Step Law prior's (optimum {G(w.Q("optimalLr"))} for a warmup-cosine schedule at this size and budget, from {w.Q("cells"):0} cells), not measured on your runs"),
            WarningKind.LrAxisPriorNotPhysical => Invariant($"every run has the peak LR {G(w.Q("runsPeak"))}, and the LR-axis prior's joint fit on them is not physical at the target: it predicts {G(w.Q("referenceLoss"))} for the prior's warmup-cosine schedule at its optimum {G(w.Q("optimalLr"))}")
                + (w.Q("lowestObserved") > 0 && w.Q("highestObserved") > 0
                    ? Invariant($", outside {G(w.Q("floor"))}..{G(w.Q("ceiling"))} (the runs logged losses from {G(w.Q("lowestObserved"))} to {G(w.Q("highestObserved"))})")
                    : "")
                + Invariant($" (its curvature in ln LR {G(w.Q("reachedCurvature"))} against the prior's {G(w.Q("curvature"))}); the plan does not use the prior's LR axis: {Label(w, 0)} plans alone, its peak held to what the runs support"),
            WarningKind.HorizonExtrapolated => (w.Q("planSteps") is var plan && double.IsFinite(plan) && Math.Abs(plan - w.Q("steps")) >= 0.5
                    ? Invariant($"{plan:0} plan steps count as {w.Q("steps"):0} runs' steps, {w.Q("steps") / w.Q("longest"):0.#}x the longest run the law was fitted on ({w.Q("longest"):0} steps)")
                    : Invariant($"{w.Q("steps"):0} steps is {w.Q("steps") / w.Q("longest"):0.#}x the longest run the law was fitted on ({w.Q("longest"):0} steps)"))
                + ": the loss is extrapolated",
            WarningKind.PeakGuarded when Label(w, 0) == nameof(GuardKind.RunsEvidence) => (w.Q("atEdge") == 1
                    ? Invariant($"the law's loss keeps changing monotonically in the peak LR up to the edge of the search ({G(w.Q("optimum"))}), which")
                    : Invariant($"the law's optimum peak {G(w.Q("optimum"))}"))
                + Invariant($" contradicts the runs' own final losses{Label(w, 3) switch { "finalEvaluation" => " (their final evaluations)", "validation" => " (their last validation losses)", "train" => " (their last training losses)", _ => "" }} at the reference's horizon ({w.Q("peaks"):0} peaks of one schedule; their peaks carried to the target): ")
                + (Label(w, 1) == nameof(PeakEvidenceKind.Bracketed) ? Invariant($"their best, {G(w.Q("runsBest"))} ({Label(w, 2)}, {w.Q("runsBestLoss"):0.####}), lies between {G(w.Q("lower"))} and {G(w.Q("upper"))}, whose losses are higher")
                    : Label(w, 1) == nameof(PeakEvidenceKind.BestAtLowest) ? Invariant($"their best is at their lowest peak {G(w.Q("runsBest"))} ({Label(w, 2)}, {w.Q("runsBestLoss"):0.####}), the loss higher at {G(w.Q("upper"))}")
                    : Invariant($"their best is at their highest peak {G(w.Q("runsBest"))} ({Label(w, 2)}, {w.Q("runsBestLoss"):0.####}), the loss higher at {G(w.Q("lower"))}"))
                + Held(w, "the runs' optimum "),
            WarningKind.PeakGuarded => (w.Q("atEdge") == 1
                    ? Invariant($"the law's loss keeps changing monotonically in the peak LR up to the edge of the search ({G(w.Q("optimum"))}): it has no optimum there")
                    : Invariant($"the law's optimum peak {G(w.Q("optimum"))} lies outside what the runs support"))
                + Held(w, ""),
            WarningKind.BatchDiffers => w.Q("stepFactor") is > 0 and not 1
                ? Invariant($"the plan's batch is {w.Q("ratio"):0.##}x the runs'{(w.Q("assumed") == 1 ? " assumed batch" : "")}: the law counts each plan step as {w.Q("stepFactor"):0.##} steps at the runs' batch, assuming the critical batch of protocol 5's fit (B_noise {G(w.Q("bNoise"))} tokens at the plan's tokens; McCandlish et al. 2018, on another data set)")
                : Invariant($"the plan's batch is {w.Q("ratio"):0.##}x the runs'{(w.Q("assumed") == 1 ? " assumed batch" : "")}: the law counts steps at the runs' batch, so its loss assumes a step at the new batch does as much (a larger batch below the critical batch does more: the loss is then on the high side)"),
            WarningKind.NotScreened => "divergence is not screened (no divergence model): a peak far above the runs' may blow up",
            WarningKind.NoDivergencePrior => Invariant($"no divergence prior exists for {Label(w, 0)} (the shipped one was fitted on {Label(w, 1)} runs): the guard is the runs' own evidence, ")
                + Invariant($"{w.Q("trained"):0} run(s) trained at peaks up to {G(w.Q("highestTrained"))}, ")
                + (double.IsFinite(w.Q("lowestDiverged")) ? Invariant($"the lowest of {w.Q("diverged"):0} diverged run(s) at {G(w.Q("lowestDiverged"))}") : "none diverged, so no boundary above that is known"),
            WarningKind.DivergenceRisk => Invariant($"the plan's peak {G(w.Q("peak"))} has a divergence probability of {w.Q("probability"):G3} (at or above {w.Q("threshold"):G3}): the guard did not hold it under that level, so a run at this peak may well diverge"),
            WarningKind.AllDiverge => Invariant($"the plan's schedule is predicted to diverge even at the lowest peak searched ({G(w.Q("peak"))}): lower the LR or check the divergence model"),
            WarningKind.WarmupGuarded => Invariant($"the law's best warmup is {w.Q("optimum"):0} steps{(w.Q("atEdge") == 1 ? ", the edge of its search" : "")}, but no law here models what a warmup buys (only the LR area it costs); the plan is held at {w.Q("chosen"):0} steps, ")
                + (w.Q("prior") == 1 ? (w.Labels.Count > 0 ? Invariant($"the stated prior (the runs of the highest peak, below the plan's, train without a warmup: {Label(w, 0)}, peak {G(w.Q("runPeak"))})") : "the stated prior (no run carries a warmup)")
                    : Invariant($"the shortest warmup among the runs that trained at {(w.Q("comparable") == 1 ? "a comparable peak" : "their highest peak")} ({Label(w, 0)}, peak {G(w.Q("runPeak"))})"))
                + (w.Values.Count > 0 ? Invariant($"; a sweep of warmups {string.Join(", ", w.Values.Select(x => x.ToString("0", CultureInfo.InvariantCulture)))} steps at the plan's peak would settle it") : ""),
            WarningKind.AxisAtEdge => Invariant($"the law's best {Label(w, 0)} is at the edge of its search ({(Label(w, 0) == "warmup" ? $"{w.Q("value"):0} steps" : $"{100 * w.Q("value"):0.#}% of the run")}): the law would go further"),
            WarningKind.LossNotPhysical when Label(w, 0) == "floor" => Invariant($"{Label(w, 1)}'s fit has no physical floor on these runs (fitted L0 = {G(w.Q("L0"))} < 0, A = {G(w.Q("A"))}, alpha = {G(w.Q("alpha"))}; no other law given is physical): its loss falls without a floor beyond the runs, so the predicted {G(w.Q("predicted"))} is likely too low"),
            WarningKind.LossNotPhysical when Label(w, 0) == "withheld" => Invariant($"the plan CANNOT PREDICT THE FINAL LOSS on these runs: no law fitted on them gives a physical loss at the target (the schedule is {Label(w, 1)}'s)")
                + (w.Q("L0") < 0 ? Invariant($" (its floor L0 = {G(w.Q("L0"))} is below 0)") : "")
                + (w.Q("lowestObserved") > 0 && w.Q("highestObserved") > 0
                    ? Invariant($": a cross-entropy is positive, and the runs logged losses from {G(w.Q("lowestObserved"))} to {G(w.Q("highestObserved"))}, so a loss below {G(w.Q("floor"))} or above {G(w.Q("ceiling"))} is beyond anything the laws were validated on")
                    : ": a cross-entropy is positive")
                + ". No loss is given; the batch and momentum come from the scaling rules, and the schedule and peak LR are the kept law's optimum, which holds only as far as its shape does: runs at other peak LRs or longer runs pin the laws down",
            WarningKind.LossNotPhysical => (Label(w, 0) == "held-out"
                    ? Invariant($"every law tried predicts a loss on the held-out runs (one of {G(w.Q("predicted"))}) that")
                    : Invariant($"the predicted final loss {G(w.Q("predicted"))}") + (double.IsNaN(w.Q("lower")) ? "" : Invariant($" (interval's lower end {G(w.Q("lower"))})")))
                // The reason by the value: <= 0 (or no number) breaks the sign; a positive one lies outside the runs' range (above the
                // ceiling or below the floor), which is not a matter of sign.
                + (!(w.Q("predicted") > 0) || w.Q("lower") <= 0 || !(w.Q("lowestObserved") > 0 && w.Q("highestObserved") > 0)
                    ? " is not physical: a cross-entropy is positive"
                        + (w.Q("lowestObserved") > 0 && w.Q("highestObserved") > 0
                            ? Invariant($", and the runs logged losses from {G(w.Q("lowestObserved"))} to {G(w.Q("highestObserved"))}, so a loss below {G(w.Q("floor"))} or above {G(w.Q("ceiling"))} is beyond anything the law was validated on")
                            : "")
                    : Invariant($" is {(w.Q("predicted") > w.Q("ceiling") ? "above" : "below")} anything the runs logged: their losses run from {G(w.Q("lowestObserved"))} to {G(w.Q("highestObserved"))}, so a loss below {G(w.Q("floor"))} or above {G(w.Q("ceiling"))} is beyond anything the law was validated on"))
                + Invariant($". The plan's LOSS PREDICTION CANNOT BE TRUSTED: the law does not describe these runs (multi-epoch fine-tuning, noisy logs and losses early in a warmup are not what it models); the batch and momentum still come from the scaling rules, but the schedule is the law's optimum and holds only as far as its shape does"),
            WarningKind.TermUnidentified => w.Detail,
            WarningKind.RunsSizeUnknownLeftOut => Invariant($"{w.Labels.Count} run(s) do not give their model size and are left out of the law's fit (fitted on the runs at N = {G(w.Q("size"))}): {string.Join(", ", w.Labels)}"),
            WarningKind.RunStalled => w.Detail + Invariant($": the plan's predicted loss assumes the law's further fall, which this run no longer shows (its recent level {G(w.Q("level"))}); the plan is not changed (docs/VALIDATION.md, \"Curves that stop improving\")"),
            _ => w.Kind.ToString(),
        };
    }

    /// <summary>
    /// What a reader noticed about a run (<see cref="Runs.RunNote"/>), in words: the run's file, then the finding. A torn tail keeps the
    /// words every command printed before notes were data: "FILE: read up to its torn tail (the reader's words)".
    /// </summary>
    public static string RunNote(Runs.RunNote n)
    {
        ArgumentNullException.ThrowIfNull(n);
        string what = n.Kind switch
        {
            Runs.RunNoteKind.TornTail => $"read up to its torn tail ({n.Detail})",
            Runs.RunNoteKind.SizeEstimated => Invariant($"its model size {G(n.Q("parameters"))} is estimated, not stated") + (n.Detail.Length > 0 ? $" ({n.Detail})" : ""),
            Runs.RunNoteKind.LrFilledIn => $"its LR is not logged at every step: {n.Detail}",
            Runs.RunNoteKind.ResumeConflicts => Invariant($"{n.Q("conflicts"):0} step(s) logged twice with different values (a resumed job appending to its log): the later write of each is kept"),
            Runs.RunNoteKind.StoppedEarly => Invariant($"stopped early ({n.Detail}): read as a run of {n.Q("steps"):0} steps"),
            Runs.RunNoteKind.LengthUnknown => n.Detail,
            Runs.RunNoteKind.UntrainedLeftOut => Invariant($"{n.Q("count"):0} loss(es) logged before the first update with a nonzero LR (the initial model's) left out"),
            Runs.RunNoteKind.TrainLossesUnplaced => Invariant($"{n.Q("count"):0} training loss(es) that no logged sample count places at a step left out"),
            _ => n.Kind.ToString(),
        };
        return $"{n.Run}: {what}";
    }

    /// <summary>
    /// The notes of one kind on <paramref name="runs"/> runs, in one line ("resume conflicts (...) in 40 runs"), for a report that folds
    /// each run's <see cref="RunNote"/> below it.
    /// </summary>
    public static string RunNoteGroup(Runs.RunNoteKind kind, int runs)
    {
        string what = kind switch
        {
            Runs.RunNoteKind.TornTail => "a torn tail skipped",
            Runs.RunNoteKind.SizeEstimated => "the model size estimated, not stated",
            Runs.RunNoteKind.LrFilledIn => "the LR not logged at every step and filled in",
            Runs.RunNoteKind.ResumeConflicts => "resume conflicts (steps logged twice with different values; the later write of each kept)",
            Runs.RunNoteKind.StoppedEarly => "stopped before the planned steps",
            Runs.RunNoteKind.LengthUnknown => "the length unknown",
            Runs.RunNoteKind.UntrainedLeftOut => "losses of the initial model left out",
            Runs.RunNoteKind.TrainLossesUnplaced => "training losses that no logged sample count places left out",
            _ => kind.ToString(),
        };
        return Invariant($"{what} in {runs} run{(runs == 1 ? "" : "s")}");
    }

    private static string Label(PlanWarning w, int i) => i < w.Labels.Count ? w.Labels[i] : "";

    /// <summary>A PeakGuarded warning's end: the peak the plan is held at (after <paramref name="what"/>) and the sweep that would settle it.</summary>
    private static string Held(PlanWarning w, string what) => Invariant($"; the plan is held at {what}{G(w.Q("chosen"))}")
        + (w.Values.Count > 0 ? Invariant($"; a sweep at peaks {string.Join(", ", w.Values.Select(G))} (at the target) would settle it") : "");

    /// <summary>The plan's interval in words.</summary>
    public static string Interval(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Interval switch
        {
            IntervalKind.HeldOutWorst => Invariant($"+-{100 * plan.IntervalRelativeError:0.##}%: the law's worst final-loss error on held-out runs ({plan.IntervalProtocol}); it does not grow with the extrapolation, see the warnings"),
            IntervalKind.Conformal => (double.IsFinite(plan.IntervalTails.Lower) ? Invariant($"{100 * plan.IntervalTails.Lower:0.##}% .. +{100 * plan.IntervalTails.Upper:0.##}%") : Invariant($"+-{100 * plan.IntervalRelativeError:0.##}%"))
                + (double.IsNaN(plan.IntervalSizeGrowth)
                    ? Invariant($" x (1 + {plan.IntervalGrowth:0.##} d), d = ln of how far the plan extrapolates (horizon x size x peak LR beyond the runs): {plan.IntervalProtocol}")
                    // --size-intervals (ConformalIntervalProvider.Interval): the size distance ln S has its own growth g_N and leaves d.
                    : Invariant($" x (1 + {plan.IntervalGrowth:0.##} (ln H + ln L) + {plan.IntervalSizeGrowth:0.###} ln S), H, L and S = how far the plan extrapolates in horizon, peak LR and size beyond the runs (g_N {(plan.IntervalSizeGrowthFitted ? "fitted" : "its prior")}): {plan.IntervalProtocol}"))
                + (plan.IntervalRule.StartsWith("finite-sample", StringComparison.Ordinal) ? $"; {plan.IntervalRule}" : ""),
            IntervalKind.Provider => "from the interval provider given to the planner",
            _ => "none: the runs leave nothing to hold out",
        };
    }
}
