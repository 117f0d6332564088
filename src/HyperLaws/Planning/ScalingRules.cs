using HyperLaws.Optimum;
using HyperLaws.Theory;
using static System.FormattableString;

namespace HyperLaws.Planning;

/// <summary>The LR and batch rules of a plan: how the reference run's hyperparameters are carried to the target (calibrated on the runs when possible, else a published anchor).</summary>
public static class ScalingRules
{
    /// <summary>Step Law's exponent of N in eta* (Li et al. 2025): carries the calibrated LR across model sizes.</summary>
    public const double StepLawSizeExponent = -0.713;

    /// <summary>
    /// The factor on the peak LR for a batch fixed at <paramref name="batchTokens"/> instead of the rule's <paramref name="ruleBatchTokens"/>:
    /// sqrt(b / b_rule). Theorem 1 (lmo-scaling.md): at a fixed budget and momentum, eta*(b) = sqrt(C1 b/(T C2 (ca/alpha + cb))) ~ sqrt(b).
    /// The plan applies it to the rule's LR and, through <see cref="PlanHyperparameters.BatchLrFactor"/>, to the LR-axis prior's eta_ref
    /// (<see cref="Laws.Joint.LrAxisPrior.ReferenceLr(double, double, double)"/>): one factor for both.
    /// </summary>
    public static double FixedBatchLrFactor(double batchTokens, double ruleBatchTokens) => Math.Sqrt(batchTokens / ruleBatchTokens);

    /// <summary>Decides the target's batch, steps, momentum and peak LR from the reference run, the runs' LR/batch calibration when there is one and the anchor, with the reasons and warnings of each choice.</summary>
    /// <param name="request">The target (size, tokens, sequence length, optimizer).</param>
    /// <param name="reference">The reference run (<see cref="RunReferences.Of"/>).</param>
    /// <param name="calibration">The LR/batch calibration on the runs, or null.</param>
    /// <param name="noCalibrationWhy">Why there is no calibration (shown in the reasons), or null.</param>
    /// <param name="anchor">The published rule used where the runs cannot calibrate.</param>
    public static ScalingDecision Decide(PlanRequest request, RunReference reference, LrBatchCalibration? calibration, string? noCalibrationWhy, IOptimumRule anchor)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(anchor);
        request.Validate();
        var reasons = new List<PlanReason>();
        var warnings = new List<PlanWarning>();
        double n = request.Parameters, t = request.Tokens, l = request.SequenceLength;
        double nRef = double.IsNaN(reference.Parameters) ? n : reference.Parameters;
        if (double.IsNaN(reference.Parameters)) warnings.Add(new PlanWarning(WarningKind.SizeUnknown));
        double tRef = reference.Tokens, r = t / tRef;
        if (reference.TokensPerStepAssumed)
            warnings.Add(new PlanWarning(WarningKind.RunsBatchAssumed)
            {
                // Then the other runs of the reference's size when they state different batches (none is taken), with each batch in Values.
                Labels = [anchor.Name, .. reference.PeerBatches.Select(p => p.Run)], Values = [.. reference.PeerBatches.Select(p => p.Tokens)],
                Quantities = Planner.Qs(("batchTokens", reference.TokensPerStep), ("steps", reference.Steps)),
            });
        else if (reference.TokensPerStepFrom.Count > 0)
            warnings.Add(new PlanWarning(WarningKind.RunsBatchFromPeer)
            {
                Labels = [reference.Run, .. reference.TokensPerStepFrom], Quantities = Planner.Qs(("batchTokens", reference.TokensPerStep), ("steps", reference.Steps)),
            });

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
            warnings.AddRange(transfer.Warnings.Select(w => new PlanWarning(WarningKind.Transfer) { Detail = w }));
            batchTokens = transfer.Batch * l;
            eta = transfer.LearningRate;
            alpha = transfer.Alpha;
            source = "calibrated";
            sourceName = Invariant($"LMO ridge path c = {c:0.###}, calibrated on {calibration.Runs} runs at {calibration.Optima.Count} budget(s)");
            reasons.Add(new PlanReason(ReasonKind.BatchCalibrated, "LMO transfer rule (calibrated)")
            {
                Chosen = batchTokens,
                Quantities = Planner.Qs(("fittedExponent", calibration.BatchExponent ?? double.NaN), ("c", c), ("r", r), ("sequences", transfer.Batch), ("sequenceLength", l),
                    ("batchTokens", batchTokens), ("referenceBatch", reference.TokensPerStep), ("referenceTokens", tRef)),
            });
            reasons.Add(new PlanReason(ReasonKind.LrCalibrated, "LMO transfer rule (calibrated)")
            {
                Chosen = eta,
                Quantities = Planner.Qs(("referencePeak", reference.PeakLearningRate), ("r", r), ("exponent", c - 0.75), ("learningRate", eta)),
            });
            if (calibration.LearningRateExponent is { } le)
                reasons.Add(new PlanReason(ReasonKind.LrCalibrationCheck, "calibration check") { Chosen = le, Quantities = Planner.Qs(("fitted", le), ("theory", c - 0.75)) });
            if (calibration.EdgeBudgets.Count > 0)
                warnings.Add(new PlanWarning(WarningKind.CalibrationAtEdge)
                {
                    Quantities = Planner.Qs(("count", calibration.EdgeBudgets.Count), ("budgets", calibration.Optima.Count)),
                    Values = calibration.EdgeBudgets,
                });
            if (!RunReferences.SameSize(nRef, n))
            {
                double f = Math.Pow(n / nRef, StepLawSizeExponent);
                eta *= f;
                reasons.Add(new PlanReason(ReasonKind.LrAcrossSize, "Step Law's N exponent")
                {
                    Chosen = eta,
                    Quantities = Planner.Qs(("referenceSize", nRef), ("size", n), ("exponent", StepLawSizeExponent), ("factor", f)),
                });
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
            warnings.Add(new PlanWarning(WarningKind.AnchorPrior) { Labels = [anchor.Name], Detail = noCalibrationWhy ?? "" });
            reasons.Add(new PlanReason(ReasonKind.BatchAnchor, anchor.Name)
            {
                Chosen = batchTokens,
                Quantities = Planner.Qs(("exponent", batchExponentAnchor), ("ratio", bRatio), ("referenceBatch", reference.TokensPerStep), ("r", r), ("batchTokens", batchTokens)),
            });
            reasons.Add(new PlanReason(ReasonKind.LrAnchor, anchor.Name)
            {
                Chosen = eta,
                Quantities = Planner.Qs(("referencePeak", reference.PeakLearningRate), ("ratio", lrRatio), ("learningRate", eta), ("anchorAlone", Math.Exp(LnEta(anchor, n, t)))),
            });
            if (lrExponentAnchor > 0)
                reasons.Add(new PlanReason(ReasonKind.LrTheoryDisagrees, "LMO theory (not used)") { Chosen = lrExponentAnchor, Quantities = Planner.Qs(("exponent", lrExponentAnchor)) });
        }

        double batchLrFactor = 1;
        if (request.BatchTokens is { } fixedBatch)
        {
            double q = fixedBatch / batchTokens;
            batchLrFactor = FixedBatchLrFactor(fixedBatch, batchTokens);
            reasons.Add(new PlanReason(ReasonKind.BatchFixed, "fixed batch")
            {
                Chosen = fixedBatch,
                Quantities = Planner.Qs(("batchTokens", fixedBatch), ("ratio", q), ("ruleBatch", batchTokens), ("lrFactor", batchLrFactor)),
            });
            eta *= batchLrFactor;
            batchTokens = fixedBatch;
        }
        if (alpha > 1) alpha = 1;
        double momentum = 1 - alpha;
        reasons.Add(new PlanReason(ReasonKind.Momentum, calibration is null ? "LMO ridge path through the anchor's batch exponent" : "LMO transfer rule (calibrated)")
        {
            Chosen = momentum,
            Labels = [request.Optimizer.Name()],
            Quantities = Planner.Qs(("c", c), ("from", reference.Momentum), ("to", momentum), ("assumed", reference.MomentumAssumed ? 1 : 0)),
        });

        int seqs = (int)Math.Max(request.BatchMultiple, Math.Round(batchTokens / l / request.BatchMultiple, MidpointRounding.AwayFromZero) * request.BatchMultiple);
        if (Math.Abs(seqs * l / batchTokens - 1) > 0.05)
            warnings.Add(new PlanWarning(WarningKind.BatchRounded) { Quantities = Planner.Qs(("sequences", seqs), ("sequenceLength", l), ("from", batchTokens), ("to", seqs * l)) });
        batchTokens = seqs * l;
        double stepsExact = t / batchTokens;
        if (stepsExact < 10)
            throw new ArgumentException(Invariant($"the budget of {G(t)} tokens is only {stepsExact:0.#} steps at the planned batch of {G(batchTokens)} tokens: too small to plan a schedule."));
        if (stepsExact > Schedules.LrSchedule.MaxSteps)
            throw new ArgumentException(Invariant($"the budget of {G(t)} tokens is {G(stepsExact)} steps at the planned batch of {G(batchTokens)} tokens: more than the {Schedules.LrSchedule.MaxSteps} steps a schedule can have."));
        int steps = (int)Math.Round(stepsExact);
        reasons.Add(new PlanReason(ReasonKind.Steps, "budget / batch") { Chosen = steps, Quantities = Planner.Qs(("tokens", t), ("batchTokens", batchTokens), ("steps", steps)) });

        var hp = new PlanHyperparameters(batchTokens, seqs, steps, momentum, eta, source, sourceName) { BatchLrFactor = batchLrFactor };
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
