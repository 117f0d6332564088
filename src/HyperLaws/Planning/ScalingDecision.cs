using HyperLaws.Optimum;
using HyperLaws.Theory;
using static System.FormattableString;

namespace HyperLaws.Planning;

/// <summary>
/// The batch, momentum and LR scale of a plan: the level of the user's runs (<see cref="RunReference"/>) carried to the
/// target by a scaling rule. With a calibration (<see cref="LrBatchCalibration"/>) the rule is the LMO theory's transfer
/// (lmo-scaling.md, "Budget transfer"): the ridge path b ~ T^c, alpha = 1 - beta ~ T^(c - 1/2), eta ~ T^(c - 3/4), with c the
/// batch exponent the runs show (clipped to the theory's [0, 1/2]; 1/2, Theorem 1, when they cannot tell). Without one, the
/// published anchor's ratios: eta = eta_ref eta*(N, T)/eta*(N_ref, T_ref), B likewise, and the momentum on the ridge path
/// of the anchor's own batch exponent.
/// </summary>
/// <param name="Hyperparameters">The decided batch, steps, momentum and LR (the rule's value at the target).</param>
/// <param name="Scale">Target LR per unit of the reference's LR: the plan's schedules are the law's (in the runs' LR units) times this.</param>
/// <param name="Figure">The rules sampled over budgets, for the scaling figures.</param>
/// <param name="Reasons">What decided each value.</param>
/// <param name="Warnings">Assumptions and extrapolations.</param>
public sealed record ScalingDecision(PlanHyperparameters Hyperparameters, double Scale, ScalingFigureData Figure, IReadOnlyList<PlanReason> Reasons, IReadOnlyList<string> Warnings);

public static class ScalingRules
{
    /// <summary>Step Law's exponent of N in eta* (Li et al. 2025): carries the calibrated LR across model sizes.</summary>
    public const double StepLawSizeExponent = -0.713;

    public static ScalingDecision Decide(PlanRequest request, RunReference reference, LrBatchCalibration? calibration, string? noCalibrationWhy, IOptimumRule anchor)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(anchor);
        request.Validate();
        var reasons = new List<PlanReason>();
        var warnings = new List<string>();
        double n = request.Parameters, t = request.Tokens, l = request.SequenceLength;
        double nRef = double.IsNaN(reference.Parameters) ? n : reference.Parameters;
        if (double.IsNaN(reference.Parameters)) warnings.Add("the runs do not give their model size: they are taken to be at the target's size");
        double tRef = reference.Tokens, r = t / tRef;
        if (reference.TokensPerStepAssumed)
            warnings.Add(Invariant($"the runs do not give their batch: assumed {G(reference.TokensPerStep)} tokens per step, what {anchor.Name} calls optimal for their own budget ({reference.Steps} steps); give it with --runs-batch-tokens"));

        double batchTokens, eta, alpha, c;
        string source, sourceName;
        double lrExponentAnchor = LnEta(anchor, n, t * Math.E) - LnEta(anchor, n, t);
        double batchExponentAnchor = LnB(anchor, n, t * Math.E) - LnB(anchor, n, t);
        if (calibration is not null)
        {
            c = Math.Clamp(calibration.BatchExponent ?? 0.5, 0, 0.5);
            var transfer = BudgetTransfer.Transfer(new TransferRequest(TuningRegime.Ridge, tRef, reference.PeakLearningRate, reference.Momentum, Math.Max(1, reference.TokensPerStep / l), t)
            {
                RidgeExponent = c,
                SequenceLength = l,
                BatchMultiple = request.BatchMultiple,
            });
            warnings.AddRange(transfer.Warnings);
            batchTokens = transfer.Batch * l;
            eta = transfer.LearningRate;
            alpha = transfer.Alpha;
            source = "calibrated";
            sourceName = Invariant($"LMO ridge path c = {c:0.###}, calibrated on {calibration.Runs} runs at {calibration.Optima.Count} budget(s)");
            string cWhy = calibration.BatchExponent is { } fb
                ? Invariant($"the runs' optimal batch grows as D^{fb:0.###}") + (fb != c ? Invariant($", clipped to the theory's range [0, 1/2]: c = {c:0.###}") : "")
                : "the runs cannot fit a batch exponent (one budget, or one batch per budget): c = 1/2, Theorem 1 (fixed momentum)";
            reasons.Add(new("batch size", "LMO transfer rule (calibrated)", Invariant($"{cWhy}; b = b0 r^c with r = {G(r)}: {transfer.Batch:0} sequences of {l:0} = {G(batchTokens)} tokens per step (from {G(reference.TokensPerStep)} at {G(tRef)} tokens).")));
            reasons.Add(new("LR budget scaling", "LMO transfer rule (calibrated)", Invariant($"eta = eta0 r^(c - 3/4) = {G(reference.PeakLearningRate)} x {G(r)}^{c - 0.75:0.###} = {G(eta)} (eta0 the runs' optimum at their largest budget).")));
            if (calibration.LearningRateExponent is { } le)
            {
                double theory = c - 0.75;
                reasons.Add(new("LR budget scaling", "calibration check", Invariant($"across the runs' budgets the optimal LR moved as D^{le:0.###}; the theory's path says T^{theory:0.###}") + (Math.Sign(le) != Math.Sign(theory) && Math.Abs(le) > 0.05 ? ": the runs disagree with the constant-LR theory in sign (lmo-scaling.md notes protocols where the optimal LR rises with the horizon)." : ".")));
            }
            if (calibration.EdgeBudgets.Count > 0)
                warnings.Add($"at {calibration.EdgeBudgets.Count} of {calibration.Optima.Count} budget(s) ({string.Join(", ", calibration.EdgeBudgets.Select(G))} tokens) the runs' best LR is the lowest or highest they tried: the optimum may lie beyond, so eta0 and the LR exponent the runs show are bounds; widen the LR grid there");
            if (!RunReferences.SameSize(nRef, n))
            {
                double f = Math.Pow(n / nRef, StepLawSizeExponent);
                eta *= f;
                reasons.Add(new("LR across model size", "Step Law's N exponent", Invariant($"the LMO rules hold N fixed; the runs are at N = {G(nRef)}, the target at {G(n)}: eta x (N/N_ref)^{StepLawSizeExponent} = x{G(f)}.")));
            }
        }
        else
        {
            double lrRatio = Math.Exp(LnEta(anchor, n, t) - LnEta(anchor, nRef, tRef));
            double bRatio = Math.Exp(LnB(anchor, n, t) - LnB(anchor, nRef, tRef));
            c = Math.Clamp(batchExponentAnchor, 0, 0.5);
            eta = reference.PeakLearningRate * lrRatio;
            batchTokens = reference.TokensPerStep * bRatio;
            alpha = (1 - reference.Momentum) * Math.Pow(r, c - 0.5);
            source = "anchor";
            sourceName = anchor.Name + " (published prior)";
            warnings.Add($"the LR and batch scaling are priors from {anchor.Name}, not calibrated on your runs ({noCalibrationWhy ?? "no calibration"}); `hyperlaws sweep` proposes the runs that would calibrate them");
            reasons.Add(new("batch size", anchor.Name, Invariant($"{anchor.Name}'s batch rule grows as D^{batchExponentAnchor:0.###} at fixed N: x{G(bRatio)} the runs' {G(reference.TokensPerStep)} tokens for {G(r)}x their budget.")));
            reasons.Add(new("LR budget scaling", anchor.Name, Invariant($"the runs' peak {G(reference.PeakLearningRate)} (their level) x {anchor.Name}'s ratio eta*(N, T)/eta*(N_ref, T_ref) = x{G(lrRatio)} = {G(eta)}; {anchor.Name} alone would give {G(Math.Exp(LnEta(anchor, n, t)))} for AdamW.")));
            if (lrExponentAnchor > 0)
                reasons.Add(new("LR budget scaling", "LMO theory (not used)", Invariant($"{anchor.Name}'s LR rises with the budget (D^{lrExponentAnchor:0.###} at fixed N) while the LMO bound's falls (T^-1/4 at fixed momentum, constant LR): the data behind the anchor disagree with the theory; the plan follows the data and the figure shows both.")));
        }

        if (request.BatchTokens is { } fixedBatch)
        {
            // Theorem 1 (lmo-scaling.md): at a fixed budget and momentum, eta*(b) = sqrt(C1 b/(T C2 (ca/alpha + cb))) ~ sqrt(b).
            double q = fixedBatch / batchTokens;
            reasons.Add(new("batch size", "--batch-tokens", Invariant($"fixed at {G(fixedBatch)} tokens ({G(q)}x the rule's {G(batchTokens)}); at a fixed budget and momentum the LMO bound's optimal LR grows as sqrt(b) (Theorem 1): the LR x {G(Math.Sqrt(q))}.")));
            eta *= Math.Sqrt(q);
            batchTokens = fixedBatch;
        }
        if (alpha > 1) alpha = 1;
        double momentum = 1 - alpha;
        reasons.Add(new("momentum", calibration is null ? "LMO ridge path through the anchor's batch exponent" : "LMO transfer rule (calibrated)",
            Invariant($"on the ridge path b ~ T^c the momentum follows alpha = 1 - beta ~ T^(c - 1/2) with c = {c:0.###}: beta {reference.Momentum:0.####} -> {momentum:0.####}") + (reference.MomentumAssumed ? Invariant($" (the runs do not give theirs: {request.Optimizer.Name()}'s usual {reference.Momentum:0.##} assumed).") : ".")));

        int seqs = (int)Math.Max(request.BatchMultiple, Math.Round(batchTokens / l / request.BatchMultiple, MidpointRounding.AwayFromZero) * request.BatchMultiple);
        if (Math.Abs(seqs * l / batchTokens - 1) > 0.05)
            warnings.Add(Invariant($"rounding the batch to {seqs} sequences of {l:0} moved it from {G(batchTokens)} to {G(seqs * l)} tokens"));
        batchTokens = seqs * l;
        double stepsExact = t / batchTokens;
        if (stepsExact < 10)
            throw new ArgumentException(Invariant($"the budget of {G(t)} tokens is only {stepsExact:0.#} steps at the planned batch of {G(batchTokens)} tokens: too small to plan a schedule."));
        if (stepsExact > Schedules.LrSchedule.MaxSteps)
            throw new ArgumentException(Invariant($"the budget of {G(t)} tokens is {G(stepsExact)} steps at the planned batch of {G(batchTokens)} tokens: more than the {Schedules.LrSchedule.MaxSteps} steps a schedule can have."));
        int steps = (int)Math.Round(stepsExact);
        reasons.Add(new("steps", "budget / batch", Invariant($"K = T / B = {G(t)} / {G(batchTokens)} = {steps} steps.")));

        var hp = new PlanHyperparameters(batchTokens, seqs, steps, momentum, eta, source, sourceName);
        var figure = Figure(request, reference, nRef, calibration is null ? null : c, anchor, eta, batchTokens);
        return new ScalingDecision(hp, eta / reference.PeakLearningRate, figure, reasons, warnings);
    }

    private static ScalingFigureData Figure(PlanRequest request, RunReference reference, double nRef, double? calibratedC, IOptimumRule chosenAnchor, double eta, double batchTokens)
    {
        double n = request.Parameters, t = request.Tokens, tRef = reference.Tokens;
        double lo = Math.Min(t, tRef) / 3, hi = Math.Max(t, tRef) * 3;
        var grid = Enumerable.Range(0, 40).Select(i => lo * Math.Pow(hi / lo, i / 39.0)).ToArray();
        double sizeFactor = RunReferences.SameSize(nRef, n) ? 1 : Math.Pow(n / nRef, StepLawSizeExponent);
        var lr = new List<RuleCurve>();
        var batch = new List<RuleCurve>();
        foreach (var rule in PublishedAnchors.Rules)
        {
            bool chosen = calibratedC is null && rule.Name == chosenAnchor.Name;
            lr.Add(new(rule.Name + " through your runs", grid, grid.Select(g => reference.PeakLearningRate * Math.Exp(LnEta(rule, n, g) - LnEta(rule, nRef, tRef))).ToArray(), chosen));
            batch.Add(new(rule.Name + " through your runs", grid, grid.Select(g => reference.TokensPerStep * Math.Exp(LnB(rule, n, g) - LnB(rule, nRef, tRef))).ToArray(), chosen));
        }
        foreach (var (name, cb, ce, chosen) in new[]
        {
            ("LMO Theorem 1 (fixed momentum)", 0.5, -0.25, false),
            ("LMO Theorem 3 (joint)", 1.0 / 6, -7.0 / 12, false),
        }.Concat(calibratedC is { } c ? [(Invariant($"LMO ridge c = {c:0.###} (calibrated)"), c, c - 0.75, true)] : []))
        {
            lr.Add(new(name, grid, grid.Select(g => reference.PeakLearningRate * sizeFactor * Math.Pow(g / tRef, ce)).ToArray(), chosen));
            batch.Add(new(name, grid, grid.Select(g => reference.TokensPerStep * Math.Pow(g / tRef, cb)).ToArray(), chosen));
        }
        lr.Add(new(chosenAnchor.Name + " absolute (AdamW)", grid, grid.Select(g => PublishedAnchors.At(chosenAnchor, n, g, TrainingOptimizer.AdamW).LearningRate).ToArray(), false));
        batch.Add(new(chosenAnchor.Name + " absolute", grid, grid.Select(g => Math.Exp(LnB(chosenAnchor, n, g))).ToArray(), false));
        return new ScalingFigureData(lr, batch,
            [new("plan", t, eta), new("your runs", tRef, reference.PeakLearningRate)],
            [new("plan", t, batchTokens), new("your runs", tRef, reference.TokensPerStep)]);
    }

    private static double LnEta(IOptimumRule rule, double n, double d) => rule.Predict(n, d).LnLearningRate;

    private static double LnB(IOptimumRule rule, double n, double d) => rule.Predict(n, d).LnBatchTokens;

    internal static string G(double v) => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}
