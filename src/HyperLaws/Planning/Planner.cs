using HyperLaws.Evaluation;
using HyperLaws.Fitting;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Numerics;
using HyperLaws.Runs;
using HyperLaws.Schedules;
using static System.FormattableString;

namespace HyperLaws.Planning;

/// <summary>
/// Makes a <see cref="TrainingPlan"/>, a decision record: the batch, momentum and LR scale from <see cref="ScalingRules"/>;
/// then, from a law that predicts the final loss of a schedule at the target (<see cref="IPlanLaw"/>; by default the
/// schedule-to-loss law fitted on the runs with the smallest held-out error, <see cref="FittedScheduleLaw"/>): the family
/// (each at its best peak on a coarse grid), the warmup, the wsd cooldown, the final LR and the peak LR as the law's optimum
/// by 1-D searches (<see cref="AxisDecision"/>), each with the interval of settings whose loss is within the best's loss
/// interval. The peak is held to the runs' LR range and below the divergence boundary (<see cref="PeakGuard"/>) when the
/// optimum lies outside; the interval comes from <see cref="IIntervalProvider"/>. No figure data are computed here
/// (<see cref="PlanFigureData.Compute"/> does, from the plan).
/// </summary>
public static class Planner
{
    /// <summary>The peak LR is searched over the scaling rule's LR / this .. x this (widened to hold the runs' LRs).</summary>
    public const double PeakSpan = 64;

    /// <summary>Points of the coarse peak grid the peak search starts from (log spaced over the span: x4 apart).</summary>
    public const int CoarsePeaks = 7;

    /// <summary>The families are compared at the rule's LR / this, the rule's LR and x this (each held to the supported range), taking each family's best.</summary>
    public const double FamilyPeakSpread = 4;

    /// <summary>Bracket-halving rounds of the peak search (x4 / 2^6: about 2% at the end).</summary>
    public const int PeakRounds = 6;

    /// <summary>The warmup is searched over these fractions of the run (log), at least one step.</summary>
    public static readonly (double Low, double High) WarmupRange = (0.001, 0.3);

    /// <summary>The wsd cooldown is searched over these fractions of the run (linear).</summary>
    public static readonly (double Low, double High) CooldownRange = (0.05, 0.9);

    /// <summary>Grid points of the warmup and cooldown searches.</summary>
    public const int AxisGrid = 7;

    /// <summary>Bracket-halving rounds of the warmup and cooldown searches.</summary>
    public const int AxisRounds = 4;

    /// <summary>The warmup while the families are compared (a fraction of the run).</summary>
    public const double DefaultWarmup = 0.01;

    /// <summary>
    /// The bytes one evaluation of a plan's law holds per step of its horizon (at the runs' batch): the stretched LR history, the
    /// schedule history's running sums and the law's own, O(steps) per evaluation (<see cref="PlanEvaluator"/> runs up to one per core).
    /// Measured, not tuned to any score: the slope of peak RSS against the law horizon of `plan --params 400M --tokens {590B,2360B} --laws L`
    /// on the shipped runs (685,031 and 2,722,250 steps) with DOTNET_PROCESSOR_COUNT=1 (one evaluation at a time), its fits cached, under the
    /// CLI's runtimeconfig (System.GC.ConserveMemory = 5): mpl 235-250 bytes per step (peak 224-226 MB, 693-722 MB), optlaw 17-18; the
    /// heaviest law's, rounded up to the next 100 (docs/VALIDATION.md, "`Planner.BytesPerLawStep` remeasured under
    /// `System.GC.ConserveMemory=5`"). Without that setting (a host of the library with the GC's defaults) mpl's slope was 470-545 bytes
    /// per step, 906 on llm.c's one-run plan (the same section; "The law horizon bounded by memory", which set 600 before the setting). The MLflow fixture's plan before
    /// any limit: at 7.5e8 steps, from a 3-step run whose batch was assumed to be 1.2 tokens, 22 GB before the kernel killed it.
    /// </summary>
    public const double BytesPerLawStep = 300;

    /// <summary>The share of the memory the GC may use (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>) that a plan's law evaluations may take together: the rest is the fits', the runs' and the runtime's.</summary>
    public const double LawMemoryFraction = 0.5;

    /// <summary>
    /// The most steps (at the runs' batch) a plan's law is evaluated over in this process: <see cref="LawMemoryFraction"/> of the GC's
    /// available memory over <see cref="BytesPerLawStep"/>, one evaluation at a time (longer plans run with fewer evaluations side by
    /// side, <see cref="SideBySide"/>). A longer horizon (the plan's steps, counted w-fold under <see cref="BatchSteps.CriticalBatch"/>,
    /// <see cref="StepEquivalence.StretchedSteps"/>) is refused with an <see cref="ArgumentException"/> that names its cause, before any
    /// schedule is evaluated. 32 GB available: 5.3e7 steps (a 70B / 15T plan on the shipped runs counts 1.73e7).
    /// </summary>
    public static double MaxLawSteps => LawMemoryFraction * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / BytesPerLawStep;

    /// <summary>
    /// How many evaluations of a law over <paramref name="lawSteps"/> steps run side by side: as many as <see cref="LawMemoryFraction"/> of
    /// the GC's available memory holds at <see cref="BytesPerLawStep"/>, at most one per core, at least one.
    /// </summary>
    internal static int SideBySide(double lawSteps) =>
        (int)Math.Clamp(Math.Floor(MaxLawSteps / Math.Max(1, lawSteps)), 1, Environment.ProcessorCount);

    /// <summary>The wsd cooldowns (fractions of the run) the families are compared at; the cooldown search starts from the better.</summary>
    public static readonly IReadOnlyList<double> FamilyCooldowns = [0.2, 0.5];

    /// <summary>Final LRs as fractions of the peak (cosine, linear, wsd).</summary>
    public static readonly IReadOnlyList<double> Floors = [0, 0.1];

    /// <summary>Bisections of each end of an interval.</summary>
    public const int IntervalBisections = 3;

    /// <summary>
    /// The plan for <paramref name="request"/> from the user's <paramref name="runs"/>: the scaling rules first, then the law
    /// (<see cref="PlanOptions.Law"/> if given, else the one of <see cref="PlanOptions.Laws"/> fitted on the runs with the smallest
    /// held-out error; when the runs share one peak LR and <see cref="PlanOptions.LrPrior"/> is given, with the LR axis of the joint
    /// law fitted with that prior), then the law's optimum over the schedule axes, each with the interval of settings within the
    /// best's loss interval, the peak held by <see cref="PeakGuard"/>.
    /// </summary>
    /// <param name="request">The target: model size, steps, optimizer; validated here.</param>
    /// <param name="runs">The user's runs the laws are fitted on.</param>
    /// <param name="options">Laws, intervals, anchors and progress reporting; the defaults when null.</param>
    /// <exception cref="ArgumentException">The request is invalid, or the options give no law to plan with.</exception>
    /// <remarks>
    /// The law is chosen among the fitted laws in the fit stage, and the plan made once from it: a law whose fit is not physical (a fitted
    /// irreducible loss L0 &lt; 0, or its lowest final loss over the search's family stage at the target not physical,
    /// <see cref="LossPlausibility.IsPhysical"/>) is passed over for the next in the held-out order (<see cref="WarningKind.LawPassedOver"/>,
    /// one per law, with the reason); when none is, the first law physical in one of the two is kept (a negative floor is warned); when none
    /// is physical in either, the laws are refitted with their floor held to the physical range (<see cref="PhysicalFloor"/>,
    /// <see cref="WarningKind.FloorBounded"/>, no interval); when none of those is physical either, or the plan's final loss is not, the plan
    /// withholds its loss (NaN, a <see cref="WarningKind.LossNotPhysical"/> warning labelled "withheld") and keeps its LR, batch and schedule
    /// decisions (docs/VALIDATION.md, "A physically bounded fallback ..."). With runs of one peak LR, each law's plan law takes the LR-axis
    /// prior's axis only when the prior's joint fit is physical at the target (<see cref="PriorPhysical"/>; else the law plans alone, warned
    /// as <see cref="WarningKind.LrAxisPriorNotPhysical"/>), before that check.
    /// </remarks>
    public static TrainingPlan Make(PlanRequest request, IReadOnlyList<TrainingRun> runs, PlanOptions? options = null)
    {
        options ??= new PlanOptions();
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(runs);
        (request, var lengthReason, var lengthWarning) = SequenceLengthOf(request, runs);
        request.Validate();
        if (options.Law is null && options.Laws.Count == 0) throw new ArgumentException("no law to plan with.");
        if (options.MaxPointsPerCurve < 2)
            throw new ArgumentException(Invariant($"PlanOptions.MaxPointsPerCurve must be at least 2 (got {options.MaxPointsPerCurve})."), nameof(options));
        var progress = options.Progress ?? (_ => { });

        progress("scaling rules: batch, momentum and LR scale");
        var reference = RunReferences.Of(runs, request.Parameters, request.Optimizer, options.RunsTokensPerStep, options.Anchor);
        // The batch the runs trained at (before a calibration moves the reference to its optimum): the schedule laws count steps at it.
        double runsBatch = reference.TokensPerStep;
        bool runsBatchAssumed = reference.TokensPerStepAssumed;
        var calibration = LrBatchCalibration.TryFit(runs, reference.Parameters, out string why);
        if (calibration is not null)
            reference = reference with
            {
                PeakLearningRate = calibration.LearningRate0,
                TokensPerStep = calibration.BatchTokens0,
                Steps = (int)Math.Round(calibration.Tokens0 / calibration.BatchTokens0),
                TokensPerStepAssumed = false,
                TokensPerStepFrom = [],
                PeerBatches = [],
                Run = Invariant($"the calibrated optimum at {ScalingRules.G(calibration.Tokens0)} tokens"),
            };
        var decision = ScalingRules.Decide(request, reference, calibration, why, options.Anchor);
        var hp = decision.Hyperparameters;
        // The plan's own steps bound the law's horizon before any fit (a joint prior fit is made at them); then, before the fits too, the
        // critical-batch count every fitted schedule law makes of them (w from the runs' batch, the plan's batch and tokens and protocol 5's
        // critical batch, FittedScheduleLaw.StepFactor): unless a joint law, which counts no steps, could be the plan's. Counted again once
        // the law is known.
        CheckHorizon(request, hp, hp.Steps, 1, runsBatch, runsBatchAssumed);
        double fittedFactor = options.BatchSteps == BatchSteps.CriticalBatch && runsBatch > 0 && hp.BatchTokens > 0 && request.Tokens > 0 && hp.BatchTokens != runsBatch
            ? StepEquivalence.Factor(hp.BatchTokens, runsBatch, request.Tokens, CriticalBatchLaw.Protocol5) : 1;
        if (options.Law is null && !options.Laws.Any(IsJoint))
            CheckHorizon(request, hp, StepEquivalence.StretchedCount(hp.Steps, fittedFactor), fittedFactor, runsBatch, runsBatchAssumed);
        // A warmup the user gives must leave the plan steps after it (checked before any fit). The request's value is named in the
        // exception's Data (key "PlanRequest"), so that a caller can name its own input for it (the CLI: --warmup).
        if (request.WarmupSteps is { } w && w >= hp.Steps)
        {
            var refused = new ArgumentException($"the warmup of {w} steps must be shorter than the plan's {hp.Steps} steps.");
            refused.Data[nameof(PlanRequest)] = nameof(PlanRequest.WarmupSteps);
            throw refused;
        }
        var reasons = new List<PlanReason>(decision.Reasons);
        var warnings = new List<PlanWarning>(decision.Warnings);
        if (lengthReason is not null) reasons.Insert(0, lengthReason);
        if (lengthWarning is not null) warnings.Insert(0, lengthWarning);
        OptimizerWarnings(runs, request, warnings);

        var target = new PlanTarget(request.Parameters, request.Tokens, hp.BatchTokens, hp.Steps);
        PlanLaw? fitted = null;
        IPlanLaw model;
        PlanEvaluator? probed = null;
        if (options.Law is { } given)
        {
            model = given;
            reasons.Add(new PlanReason(ReasonKind.Law, given.Name) { ChosenLabel = given.Name });
        }
        else
        {
            // Each fitted candidate's plan law (with the LR axis of the prior where given) and its evaluator, made once: the fit stage's
            // physical check evaluates the search's family stage with it (FamilyStage), and the chosen law's search goes on with the same
            // evaluator, so those evaluations are not repeated. Its reasons and warnings are the plan's only for the chosen law.
            var probes = new Dictionary<PlanLaw, (IPlanLaw Model, PlanEvaluator Evaluator, List<PlanReason> Reasons, List<PlanWarning> Warnings)>(ReferenceEqualityComparer.Instance);
            double Probe(PlanLaw candidate)
            {
                List<PlanReason> r = [];
                List<PlanWarning> w = [];
                var m = candidate.Joint ?? (IPlanLaw)new FittedScheduleLaw(candidate.Fit, candidate.ModelSize, decision.Scale,
                    candidate.Runs.Min(x => x.LearningRates.Max()), candidate.Runs.Max(x => x.LearningRates.Max()))
                {
                    RunsBatchTokens = options.BatchSteps == BatchSteps.CriticalBatch ? runsBatch : null,
                };
                if (options.LrPrior is { } prior && candidate.Prior is { } made)
                    m = PriorPhysical(made, candidate.Runs, m.Name, w) ? WithLrPrior(m, prior, made, candidate.Runs, request, hp, options, r, w) : m;
                double horizon = StepEquivalence.StretchedCount(hp.Steps, Counting(m)?.StepFactor(target) ?? 1);
                var e = new PlanEvaluator(m, target) { SideBySide = SideBySide(horizon) };
                probes[candidate] = (m, e, r, w);
                // A law whose horizon the memory cannot hold (a schedule law beside a joint one, which counts no steps: the check before
                // the fits left it to this) is not evaluated: not physical here (NaN), refused by the check below if it is kept anyway.
                if (horizon > MaxLawSteps) return double.NaN;
                return e.Final(FamilyStage(request, hp, m.Support(target))).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min();
            }
            fitted = FitLaw(request, runs, reference, hp, options, progress, reasons, warnings, Probe);
            // A law kept with Physical false is a copy of its candidate (a record's with): found by its fit.
            var chosenProbe = probes.First(p => ReferenceEquals(p.Key.Fit, fitted.Fit)).Value;
            (model, probed) = (chosenProbe.Model, chosenProbe.Evaluator);
            reasons.AddRange(chosenProbe.Reasons);
            warnings.AddRange(chosenProbe.Warnings);
        }
        var intervals = options.Intervals ?? (IIntervalProvider?)fitted?.Conformal ?? new HeldOutInterval(fitted?.Accuracy?.FinalError ?? double.NaN);
        IDivergenceGuard? guard = options.Guard ?? DivergenceGuard(request, runs, model.Support(target), options, warnings);
        var lawRuns = fitted?.Runs ?? runs.Where(r => !r.Diverged && r.Steps > 0).ToList();
        int longest = lawRuns.Count == 0 ? 0 : lawRuns.Max(r => r.Steps);
        // The law's horizon: the plan's steps, counted at the runs' batch when a schedule law counts them by the critical batch (w S).
        double stepFactor = Counting(model) is { } counted ? counted.StepFactor(target) : 1;
        CheckHorizon(request, hp, StepEquivalence.StretchedCount(hp.Steps, stepFactor), stepFactor, runsBatch, runsBatchAssumed);
        int lawSteps = Counting(model) is not null ? StepEquivalence.StretchedSteps(hp.Steps, stepFactor) : hp.Steps;

        progress(Invariant($"searching the law's optimum over schedules of {hp.Steps} steps"));
        // The schedule-regret rule's incumbent read as a planner schedule (ObservedBest.ReadOf: about 200 candidate schedules over the
        // run's steps, a function of the runs alone, kept once read) beside the search, whose rounds of one or two evaluations leave a
        // core idle; the rule (KeepObservedBest) then finds it read. Same result either way; an error is met again by the rule, in order.
        var incumbentRead = fitted is not null && options.ParallelFits
            ? Task.Run(() => { if (ObservedBest.Incumbent(fitted.Runs, request.Parameters, options.FitOn) is { } incumbent) ObservedBest.ReadOf(incumbent.Run); })
            : null;
        var evaluator = probed ?? new PlanEvaluator(model, target) { SideBySide = SideBySide(lawSteps) };
        // The runs' own evidence on the peak of a schedule shape (PeakEvidence; docs/VALIDATION.md, "The runs decide the peak of their own
        // shape"): only for a law fitted on the runs, and only with two or more peaks among the runs of that shape at the reference's size,
        // horizon and batch: the runs' peak is carried to the target with the reference's factor (PeakSupport.RunUnitsPerTarget), right
        // only at its tokens. The peak decision asks it for each shape it decides (PeakFor).
        Func<LrSchedule, PeakEvidence?>? evidenceFor = options.PeakFromRunsEvidence && fitted is not null
            ? schedule => PeakEvidence.Of(lawRuns, reference.Parameters, reference.Steps, reference.TokensPerStep, schedule,
                finalEvaluation: options.PeakFromFinalEvaluation) : null;
        // The same runs' best as measured, whatever its margin (PlanOptions.PeakFromRunsBest): taken only where the law cannot tell it
        // from its own optimum.
        Func<LrSchedule, PeakEvidence?>? bestFor = options.PeakFromRunsEvidence && options.PeakFromRunsBest && fitted is not null
            ? schedule => PeakEvidence.Of(lawRuns, reference.Parameters, reference.Steps, reference.TokensPerStep, schedule, margin: false,
                finalEvaluation: options.PeakFromFinalEvaluation) : null;
        // Variant W (PlanOptions.ShapeIntervals): the plan's schedule-shape distance from the runs the law was fitted on, for the width.
        var shapeRuns = options.ShapeIntervals ? new Lazy<List<FitTarget>>(() => Targets(lawRuns, options.FitOn)) : null;
        Func<LrSchedule, double>? shapeOf = shapeRuns is null ? null : schedule => shapeRuns.Value.Count == 0 ? 0 : ScheduleShape.OfSchedule(schedule, shapeRuns.Value);
        var search = Search(request, hp, target, model, evaluator, guard, intervals, longest, lawSteps, reference, lawRuns, evidenceFor, bestFor, shapeOf);
        progress(Invariant($"{evaluator.Evaluations} schedules evaluated"));
        incumbentRead?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Wait();
        reasons.AddRange(search.Reasons);
        warnings.AddRange(search.Warnings);
        ObservedBestDecision? observed = null;
        if (fitted is not null)
            (search, observed) = KeepObservedBest(search, fitted, request, options, evaluator, guard, reasons, warnings);
        var (best, runnerUps, correction) = Corrected(search, fitted?.Bias, model.Support(target), options.HorizonBias, reasons);
        AnchoredLossDecision? anchored = null;
        if (fitted?.AnchoredResiduals is not null)
            (best, anchored) = Anchored(best, fitted, model, evaluator, target, request, options, reasons);
        // steps: the law's (runs') steps; planSteps: the plan's own, which differ when the law counts plan steps by the critical batch.
        if (longest > 0 && lawSteps > 1.2 * longest)
            warnings.Add(new PlanWarning(WarningKind.HorizonExtrapolated) { Quantities = Qs(("steps", lawSteps), ("planSteps", hp.Steps), ("longest", longest)) });
        // At the runs' batch (not a calibration's optimum): the batch w counts from, so the ratio and w describe the same pair of batches.
        double ratio = hp.BatchTokens / runsBatch;
        // Stated when the batches are far apart, and whenever the critical-batch count moves the law's steps by more than 5%.
        if (fitted is not null && (ratio > 2 || ratio < 0.5 || Counting(model) is { } countedLaw && Math.Abs(Math.Log(countedLaw.StepFactor(target))) > Math.Log(1.05)))
            warnings.Add(new PlanWarning(WarningKind.BatchDiffers) { Quantities = BatchCount(model, target, ratio, runsBatchAssumed) });
        if (guard is null) warnings.Add(new PlanWarning(WarningKind.NotScreened));
        // A cross-entropy cannot be negative: a final loss that is not physical is withheld (NaN, with the runner-ups' losses of the same
        // law), not printed as if it were one, and so is the loss of a law kept when no law fitted, bounded or not, was physical; the
        // schedule, LR and batch decisions stay. A physical loss whose interval's lower end is not is flagged, as before.
        var (lowest, highest) = LossPlausibility.Observed(lawRuns);
        if (fitted is { Physical: false } || !LossPlausibility.IsPhysical(best.PredictedLoss, lowest, highest))
        {
            warnings.Add(LossPlausibility.Withheld(model.Name, best.PredictedLoss, fitted is null ? double.NaN : PhysicalFloor.Of(fitted.Fit), lowest, highest));
            best = best with { PredictedLoss = double.NaN, Lower = double.NaN, Upper = double.NaN };
            runnerUps = [.. runnerUps.Select(r => r with { PredictedLoss = double.NaN, Lower = double.NaN, Upper = double.NaN })];
            // The reasons cite the law's losses along each decision: marked, so that their words do not print them (PlanExplainer).
            for (int i = 0; i < reasons.Count; i++)
                reasons[i] = reasons[i] with { Quantities = new Dictionary<string, double>(reasons[i].Quantities, StringComparer.Ordinal) { ["lossWithheld"] = 1 } };
        }
        else
        {
            if (LossPlausibility.Check(best, lowest, highest) is { } notPhysical) warnings.Add(notPhysical);
            // A law kept with a negative floor (L0 < 0; Fits keeps one only when no law is physical in both floor and target) falls without
            // one beyond the runs: warned with its numbers. Beyond the runs' steps, at a size not below theirs, a longer run ends no higher
            // than the runs' lowest logged loss, which a law without a floor cannot place its loss against: the interval's upper end is
            // raised to at least it.
            if (fitted is not null && LossPlausibility.NegativeFloors(fitted.Fit) is { Count: > 0 } floors)
            {
                double raised = longest > 0 && lawSteps > longest && !(request.Parameters < 0.99 * reference.Parameters) && lowest > best.Upper ? lowest : double.NaN;
                if (raised > 0) best = best with { Upper = raised };
                warnings.Add(new PlanWarning(WarningKind.LossNotPhysical)
                {
                    Labels = ["floor", fitted.Fit.Law.Name],
                    Quantities = Qs(("L0", floors[0]), ("A", Parameter(fitted.Fit, "A")), ("alpha", Parameter(fitted.Fit, "alpha")), ("predicted", best.PredictedLoss), ("upper", raised)),
                });
            }
        }

        // Runs that state two or more batches: the laws count optimizer steps, and only the reference run's batch is converted to the plan's.
        if (RunReferences.StatedBatches(runs.Where(r => !r.Diverged)) is { Count: >= 2 } batches)
            warnings.Add(new PlanWarning(WarningKind.RunsAtSeveralBatches) { Values = batches });

        return new TrainingPlan(request, hp, model.Name, best, runnerUps, reasons, warnings, fitted?.AllAccuracy ?? [], decision.Figure)
        {
            Correction = correction,
            ObservedBest = observed,
            Anchored = anchored,
            Interval = intervals.Kind,
            IntervalRelativeError = intervals is HeldOutInterval h ? h.RelativeError : intervals is ConformalIntervalProvider cp ? cp.Calibration.Quantile : double.NaN,
            IntervalProtocol = intervals is HeldOutInterval && fitted?.Accuracy is { } a ? a.Protocol : intervals is ConformalIntervalProvider c ? c.Protocol : "",
            IntervalGrowth = intervals is ConformalIntervalProvider g ? g.Calibration.Growth : double.NaN,
            IntervalSizeGrowth = intervals is ConformalIntervalProvider { Calibration.SizeSeparate: true } sg ? sg.Calibration.SizeGrowth : double.NaN,
            IntervalSizeGrowthFitted = intervals is ConformalIntervalProvider { Calibration.SizeSeparate: true } sf && sf.Calibration.SizeGrowthFitted,
            IntervalTails = intervals is ConformalIntervalProvider { Calibration.Signed: true } t ? (t.Calibration.LowerQuantile, t.Calibration.UpperQuantile) : (double.NaN, double.NaN),
            IntervalRule = intervals is ConformalIntervalProvider rp ? rp.Calibration.Rule : "",
            LawOption = fitted?.Option,
            FittedSteps = longest > 0 ? longest : double.NaN,
            StepFactor = stepFactor,
            Runs = runs.Select(r => r.Metadata.Source ?? r.Name).ToList(),
            RunNotes = RunNote.Of(runs),
            Fit = fitted?.Fit,
            FitModelSize = fitted?.ModelSize ?? double.NaN,
            Model = model,
            Target = target,
            Guard = guard,
            Evaluator = evaluator,
        };
    }

    /// <summary>
    /// Refuses a law horizon of more than <see cref="MaxLawSteps"/> steps: <paramref name="lawSteps"/>, the plan's steps counted
    /// <paramref name="factor"/>-fold at the runs' batch (1: the plan's own steps). The exception's Data names the input that made it, so a
    /// caller can name its option: key "PlanOptions" = RunsTokensPerStep when the count comes from an assumed runs' batch below one sequence
    /// of the plan (no real batch is that small: the assumption is the cause); else key "PlanRequest" = Tokens, with key "BatchSteps" =
    /// Steps when the count is the critical batch's (a plan step counted as one step of the runs is the other way out).
    /// </summary>
    private static void CheckHorizon(PlanRequest request, PlanHyperparameters hp, double lawSteps, double factor, double runsBatch, bool runsBatchAssumed)
    {
        double max = MaxLawSteps;
        if (lawSteps <= max) return;
        string G(double v) => ScalingRules.G(v);
        bool counted = factor != 1;
        bool assumedCause = counted && runsBatchAssumed && runsBatch < request.SequenceLength;
        string limit = Invariant($"more than the {G(max)} steps a plan's law can be evaluated over in the memory available ({G(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)} bytes)");
        var refused = new ArgumentException(counted
            ? Invariant($"the plan's {hp.Steps} steps of {G(hp.BatchTokens)} tokens count as {G(lawSteps)} steps at the runs' batch of {G(runsBatch)} tokens (w = {G(factor)}, by the critical batch), {limit}")
              + (assumedCause ? Invariant($": that batch is assumed (no run states its tokens per step) and below one sequence of {request.SequenceLength} tokens; give the runs' batch.")
                 : (runsBatchAssumed ? " (that batch is assumed: no run states its tokens per step)" : "") + ": plan fewer tokens, a larger batch, or count a plan step as one step of the runs.")
            : Invariant($"the budget of {G(request.Tokens)} tokens is {hp.Steps} steps at the planned batch of {G(hp.BatchTokens)} tokens, {limit}: plan fewer tokens or a larger batch."));
        if (assumedCause) refused.Data[nameof(PlanOptions)] = nameof(PlanOptions.RunsTokensPerStep);
        else refused.Data[nameof(PlanRequest)] = nameof(PlanRequest.Tokens);
        if (counted && !assumedCause) refused.Data[nameof(BatchSteps)] = nameof(BatchSteps.Steps);
        throw refused;
    }

    /// <summary>
    /// The plan's divergence guard when none is given: the divergence model through <see cref="CriticalLrGuard"/> when it was fitted on the
    /// plan's optimizer (or on any, <see cref="PlanOptions.DivergenceOptimizer"/> null); for another optimizer the runs' own evidence
    /// (<see cref="EvidenceDivergenceGuard"/>: the highest peak that trained, the lowest that diverged), warned as
    /// <see cref="WarningKind.NoDivergencePrior"/> (a prior fitted on AdamW runs places no boundary for Muon); null with no model.
    /// </summary>
    private static IDivergenceGuard? DivergenceGuard(PlanRequest request, IReadOnlyList<TrainingRun> runs, PeakSupport support, PlanOptions options, List<PlanWarning> warnings)
    {
        if (options.Divergence is not { } m) return null;
        if (options.DivergenceOptimizer is not { } fittedOn || fittedOn == request.Optimizer) return new CriticalLrGuard(m, options.DivergenceSource) { Risk = options.DivergenceRisk };
        var evidence = new EvidenceDivergenceGuard(RunEvidence.Of(runs), support.RunUnitsPerTarget, request.Optimizer.Name());
        warnings.Add(new PlanWarning(WarningKind.NoDivergencePrior)
        {
            Labels = [request.Optimizer.Name(), fittedOn.Name()],
            Quantities = Qs(("highestTrained", evidence.HighestTrained), ("lowestDiverged", double.IsFinite(evidence.LowestDiverged) ? evidence.LowestDiverged : double.NaN),
                ("trained", evidence.Evidence.Trained), ("diverged", evidence.Evidence.DivergedRuns)),
        });
        return evidence;
    }

    /// <summary>
    /// The schedule law of <paramref name="model"/> that counts the plan's steps at the runs' batch by the critical batch (itself, or the
    /// time shape of an <see cref="LrAxisPlanLaw"/>); null when none does.
    /// </summary>
    private static FittedScheduleLaw? Counting(IPlanLaw model) => model switch
    {
        FittedScheduleLaw { RunsBatchTokens: not null } f => f,
        LrAxisPlanLaw { TimeShape: FittedScheduleLaw { RunsBatchTokens: not null } f } => f,
        _ => null,
    };

    /// <summary>
    /// The quantities of <see cref="WarningKind.BatchDiffers"/>: the batch ratio, and what the law assumed: stepFactor, the runs' steps one
    /// plan step counts (1: a step is a step; <see cref="BatchSteps.CriticalBatch"/>: w), with bNoise the critical batch it used (NaN without),
    /// and assumed 1 when the runs' batch was assumed (no run or option stated it).
    /// </summary>
    private static IReadOnlyDictionary<string, double> BatchCount(IPlanLaw model, PlanTarget target, double ratio, bool assumed)
    {
        if (Counting(model) is { } law)
            return Qs(("ratio", ratio), ("stepFactor", law.StepFactor(target)), ("bNoise", law.CriticalBatch.BNoise(target.Tokens)), ("assumed", assumed ? 1 : 0));
        return Qs(("ratio", ratio), ("stepFactor", 1), ("bNoise", double.NaN), ("assumed", assumed ? 1 : 0));
    }

    /// <summary>True when every run has the same peak LR (to 6 digits in ln): the runs cannot tell the LR axis.</summary>
    internal static bool SinglePeak(IReadOnlyList<TrainingRun> runs) =>
        runs.Where(r => r.LearningRates.Length > 0).Select(r => Math.Round(Math.Log(r.LearningRates.Max()), 6)).Distinct().Count() == 1;

    /// <summary>
    /// The plan's losses corrected by the bias of its horizon extrapolation (<see cref="HorizonBias"/>) at the best schedule's peak
    /// in the runs' units, when <paramref name="apply"/>: the best and the runner-ups x one factor, so the choice and the order stay
    /// the law's (the search ran on the law). A <see cref="ReasonKind.HorizonBias"/> reason says what was (or would be) applied.
    /// </summary>
    private static (PlannedSchedule Best, IReadOnlyList<PlannedSchedule> RunnerUps, HorizonCorrection Correction) Corrected(SearchResult search, HorizonBias? bias,
        PeakSupport support, bool apply, List<PlanReason> reasons)
    {
        if (bias is null || bias.Residuals.Count == 0) return (search.Best, search.RunnerUps, HorizonCorrection.None);
        double units = RunUnits(support);
        var correction = bias.At(PeakOf(search.Best.Schedule) * units, apply);
        reasons.Add(new PlanReason(ReasonKind.HorizonBias, "the runs' horizon residuals")
        {
            Chosen = correction.Bias,
            Quantities = Qs(("residuals", correction.Residuals), ("peakLr", correction.PeakLr), ("finalEvaluation", correction.FinalEvaluation ? 1 : 0),
                ("applied", correction.Applied ? 1 : 0), ("lawLoss", search.Best.PredictedLoss), ("correctedLoss", search.Best.PredictedLoss * (1 + correction.Bias))),
        });
        if (!correction.Applied) return (search.Best, search.RunnerUps, correction);
        double f = correction.Factor;
        PlannedSchedule Scale(PlannedSchedule p) => p with { PredictedLoss = p.PredictedLoss * f, Lower = p.Lower * f, Upper = p.Upper * f };
        return (Scale(search.Best), [.. search.RunnerUps.Select(Scale)], correction);
    }

    /// <summary>
    /// The plan's loss anchored on a run of its shape (<see cref="AnchoredLoss"/>): L = O(a) x L_law(best, target) / L_law(a's own point),
    /// O(a) the anchor's observed final loss; the interval the symmetric finite-sample conformal interval of the anchored predictor's own
    /// residuals within the runs (<see cref="PlanLaw.AnchoredResiduals"/>) at the target's distance from the anchor (with
    /// <see cref="PlanOptions.AnchoredIntervalPairs"/>, the default: from every horizon pair, read no nearer than the residuals), or, with fewer than
    /// <see cref="ConformalIntervalProvider.MinimumResiduals"/>, the plan's interval moved to L (relative bounds kept). Applied when
    /// <see cref="PlanOptions.AnchoredLoss"/>; reported either way (a <see cref="ReasonKind.AnchoredLoss"/> reason). Only the best's
    /// numbers change: its schedule, divergence verdict and the runner-ups stay. The residuals' refits run only when an anchor is found
    /// and the runs hold at least <see cref="ConformalIntervalProvider.MinimumResiduals"/> anchored pairs (<see cref="AnchoredLoss.PairCount"/>,
    /// no fit: fewer pairs give fewer residuals, so the same moved interval; the reason then counts the pairs); without an anchor none are
    /// computed (the reason counts 0). Across peak LR (<see cref="PlanOptions.AnchorAcrossLr"/>; <see cref="AnchoredLoss"/>, "Across peak
    /// LR"): L = O(a) x M(p_a) / M(a) x J(p) / J(p_a), the interval's half-widths x <see cref="AnchoredLoss.LrWidening"/>.
    /// </summary>
    private static (PlannedSchedule Best, AnchoredLossDecision Decision) Anchored(PlannedSchedule best, PlanLaw fitted, IPlanLaw model, PlanEvaluator evaluator,
        PlanTarget target, PlanRequest request, PlanOptions options, List<PlanReason> reasons)
    {
        var runs = fitted.Runs;
        double units = RunUnits(model.Support(target));
        double peak = PeakOf(best.Schedule) * units;
        var shape = ObservedBest.ShapeOf(best.Schedule);
        // The plan's horizon as the law sees it, in runs' steps (w S under BatchSteps.CriticalBatch): the runs' steps are compared with it.
        int horizon = Counting(model) is { } counting ? StepEquivalence.StretchedSteps(best.Schedule.Steps, counting.StepFactor(target)) : best.Schedule.Steps;
        var anchor = options.ForceAnchorAcrossLr ? null : AnchoredLoss.Find(shape, peak, horizon, request.Parameters, runs, options.FitOn);
        bool across = false;
        if (anchor is null && options.AnchorAcrossLr != AcrossLrAnchor.Off)
            (anchor, across) = (AnchoredLoss.FindAcrossLr(shape, peak, horizon, request.Parameters, runs, options.FitOn), true);
        // The law of loss against peak LR for the cross-LR part (AnchoredLoss, "Across peak LR", item 2). Every JointPlanLaw takes the
        // target's absolute LRs at the target's size and batch (it carries the LR across sizes itself), so no run units enter it.
        (JointPlanLaw Law, string Source)? lrLaw = !across || anchor is null || options.AnchorAcrossLr != AcrossLrAnchor.LrLaw ? null
            : model switch
            {
                JointPlanLaw j => (j, "plan"),
                LrAxisPlanLaw x => (x.Axis, "prior"),
                _ => fitted.LrLaw?.Value is { } fit ? (fit, "joint") : null,
            };
        if (anchor is null || across && options.AnchorAcrossLr == AcrossLrAnchor.LrLaw && lrLaw is null)
        {
            var none = AnchoredLossDecision.None(best.PredictedLoss, best.Lower, best.Upper, 0, options.AnchoredLoss);
            reasons.Add(AnchoredLoss.Reason(none));
            return (best, none);
        }
        var run = anchor.Run;
        int pairs = AnchoredLoss.PairCount(runs, options.FitOn, options.AnchoredIntervalPairs);
        List<CalibrationResidual> residuals = pairs < ConformalIntervalProvider.MinimumResiduals ? [] : fitted.AnchoredResiduals!.Value;
        double[] LawOn(int[] steps) => LawOnRun(model, target, run, steps, options.RunsTokensPerStep);
        // Without a final evaluation, O(a) from the run's last tenth carried by the law's shape (AnchoredLoss.TailEstimate) where
        // PlanOptions.AnchorTail names the fitted split (train by default); the last logged point otherwise, or where the estimate is not finite.
        // L_law(a) = F(S) comes from the estimate's own request where it asked the law (one evaluation of the law on the run, not two).
        double observed = anchor.Observed, lastLogged = double.NaN, lawOnRun = double.NaN;
        int tailFrom = 0;
        bool asked = false;
        if (!anchor.FinalEvaluation && options.TailFor(options.FitOn))
        {
            double tail = AnchoredLoss.TailEstimateWithEnd(run, options.FitOn, LawOn, out double? atEnd, out int from);
            if (atEnd is { } f) (lawOnRun, asked) = (f, true);
            if (double.IsFinite(tail) && tail > 0) (lastLogged, observed, tailFrom) = (anchor.Observed, tail, from);
        }
        if (!asked) lawOnRun = LawOn([run.Steps])[0];
        double lawAtTarget = evaluator.Final(best.Schedule);
        double predicted = AnchoredLoss.Predict(observed, lawAtTarget, lawOnRun);
        double runPeak = AnchoredLoss.PeakOf(run), lrRatio = double.NaN, atRunPeak = double.NaN, lrAtTarget = double.NaN, lrAtRunPeak = double.NaN, widening = 1;
        if (across)
        {
            lrRatio = peak / runPeak;
            widening = AnchoredLoss.LrWidening(lrRatio);
            if (lrLaw is { } lr)
            {
                // p_a: the plan's schedule with every LR x eta_a / eta_p (the planner's families are linear in their peak, floor and
                // warmup start), built from its family's formula where it has one, so the LR-axis prior's reference evaluation is shared
                // with the plan's own (LrAxisPlanLaw.AtReference); any other schedule is rescaled step by step.
                var moved = LrAxisPlanLaw.WithPeak(best.Schedule, PeakOf(best.Schedule) / lrRatio)
                    ?? new TableSchedule([.. best.Schedule.Evaluate().Select(x => x / lrRatio)]);
                var y0 = new double[1];
                model.Predict(moved, target, [best.Schedule.Steps], y0);
                atRunPeak = y0[0];
                double Lr(LrSchedule schedule)
                {
                    var y = new double[1];
                    lr.Law.Predict(schedule, target, [best.Schedule.Steps], y);
                    return y[0];
                }
                lrAtTarget = Lr(best.Schedule);
                lrAtRunPeak = Lr(moved);
                predicted = AnchoredLoss.PredictAcrossLr(observed, atRunPeak, lawOnRun, lrAtTarget, lrAtRunPeak);
            }
        }
        var distance = AnchoredLoss.Distance(run, horizon, request.Parameters, peak);
        bool calibrated = false;
        double lower = double.NaN, upper = double.NaN, dd = ConformalIntervalProvider.Distance(distance), intervalDistance = double.NaN;
        if (double.IsFinite(predicted))
        {
            if (ConformalIntervalProvider.TryCalibrate(residuals, Invariant($"the anchored predictor's {residuals.Count} residuals within the runs"), aboutCorrected: true) is { } provider)
            {
                // With AnchoredIntervalPairs the width is read at d* = max(d, the residuals' nearest distance) (AnchoredLoss.IntervalDistance).
                intervalDistance = options.AnchoredIntervalPairs ? AnchoredLoss.IntervalDistance(dd, residuals) : dd;
                (lower, upper) = provider.Calibration.Bounds(predicted, intervalDistance);
                calibrated = true;
            }
            else if (best.PredictedLoss > 0)
                (lower, upper) = (predicted * best.Lower / best.PredictedLoss, predicted * best.Upper / best.PredictedLoss);
            // Across LR the half-widths grow with |ln r| (AnchoredLoss.LrWidening): the residuals pair runs within x2 in peak.
            if (widening > 1) (lower, upper) = AnchoredLoss.Widen(predicted, lower, upper, widening);
        }
        var decision = new AnchoredLossDecision(run.Name, observed, anchor.FinalEvaluation, lawOnRun, lawAtTarget, predicted, lower, upper, pairs < ConformalIntervalProvider.MinimumResiduals ? pairs : residuals.Count, calibrated,
            run.Steps, runPeak, dd, best.PredictedLoss, best.Lower, best.Upper, options.AnchoredLoss)
        {
            CalibrationResiduals = residuals, Pairs = options.AnchoredIntervalPairs, IntervalDistance = intervalDistance,
            Tail = double.IsFinite(lastLogged), LastLogged = lastLogged, TailFrom = tailFrom,
            AcrossLr = across, LrRatio = lrRatio, LawAtRunPeak = atRunPeak, LrLawAtTarget = lrAtTarget, LrLawAtRunPeak = lrAtRunPeak, LrLaw = lrLaw?.Source ?? "", Widening = widening,
        };
        reasons.Add(AnchoredLoss.Reason(decision));
        return decision.Anchored ? (best with { PredictedLoss = predicted, Lower = lower, Upper = upper }, decision) : (best, decision);
    }

    /// <summary>
    /// The plan's law <paramref name="model"/> at <paramref name="steps"/> (ascending, at most the run's) of <paramref name="run"/>'s own point,
    /// as the anchored loss asks it (<see cref="AnchoredLoss"/>: L_law(a) at the run's last step, F(s) of <see cref="AnchoredLoss.TailEstimate"/>):
    /// its LRs in the target's units, its steps, size and batch (the target's where the run does not say; <paramref name="runsTokensPerStep"/>,
    /// <see cref="PlanOptions.RunsTokensPerStep"/>, before it).
    /// </summary>
    public static double[] LawOnRun(IPlanLaw model, PlanTarget target, TrainingRun run, int[] steps, double? runsTokensPerStep)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        double units = RunUnits(model.Support(target));
        // A law counting steps by the critical batch is asked at the runs' batch it was fitted at, so the run's own point has w = 1 (it
        // was fitted on the run's steps unstretched), whatever batch the run states.
        double batch = Counting(model)?.RunsBatchTokens ?? run.Metadata.TokensPerStep ?? runsTokensPerStep ?? target.BatchTokens;
        double size = run.Metadata.Parameters is { } n && n > 0 ? n : target.Parameters;
        var own = new TableSchedule([.. run.LearningRates.Select(x => x / units)]);
        var at = new double[steps.Length];
        model.Predict(own, new PlanTarget(size, batch * run.Steps, batch, run.Steps), steps, at);
        return at;
    }

    /// <summary>
    /// The schedule-regret rule (<see cref="ObservedBest"/>) on the search's pick: the incumbent of the law's runs taken to the target,
    /// its loss by the same evaluator, the threshold from the plan's horizon residuals (<see cref="PlanLaw.Bias"/>; none: unmeasured).
    /// With <see cref="PlanOptions.PeakForKeptSchedule"/> the incumbent is taken to the target at its own peak: the search's peak
    /// decision (the law's optimum for that shape at the target's N, D and batch, the same guards, its LR interval) made again for its
    /// shape (<see cref="SearchResult.PeakFor"/>), so the rule compares each schedule at its best peak; without it, at the pick's peak.
    /// When the incumbent is kept (and <see cref="PlanOptions.ObservedBest"/>), the best schedule becomes it; with its own peak decision
    /// the plan's peak reason (its axis search, marked redecided with the pick's peak), divergence verdict and peak warnings become that
    /// decision's, else its interval is the pick's scaled by the loss ratio (the plan's intervals are relative) and its divergence verdict
    /// the guard's. The law's pick becomes the first runner-up, and the law's cooldown decision (a reason and its edge warning, which
    /// described the pick) is dropped, and so is its final-LR decision when the kept schedule's floor differs. The kept schedule's warmup is
    /// its run's own (in steps, as <see cref="WarmupGuard"/> transfers a warmup; the plan's when the run has none, the user's when given),
    /// and the warmup decision is marked redecided for it.
    /// </summary>
    private static (SearchResult Search, ObservedBestDecision Decision) KeepObservedBest(SearchResult search, PlanLaw fitted, PlanRequest request, PlanOptions options,
        PlanEvaluator evaluator, IDivergenceGuard? guard, List<PlanReason> reasons, List<PlanWarning> warnings)
    {
        var best = search.Best;
        PeakDecision? own = null;
        Func<LrSchedule, LrSchedule>? atOwnPeak = options.PeakForKeptSchedule ? s => (own = search.PeakFor(s)).Best.Schedule : null;
        int runWarmup = 0;
        var (schedule, loss, decision) = ObservedBest.Decide(best.Schedule, best.PredictedLoss, fitted.Runs, request.Parameters, options.FitOn,
            fitted.Bias?.Residuals ?? [], s => evaluator.Final(s), options.ObservedBest, atOwnPeak, sh => { runWarmup = sh.Warmup; return search.WarmupFor(sh); });
        reasons.Add(ObservedBest.Reason(decision));
        if (ReferenceEquals(schedule, best.Schedule)) return (search, decision);
        // The kept schedule's warmup is its run's own (SearchResult.WarmupFor) unless the user gave one or the run has none: the warmup
        // decision then describes it (redecided), and the guard's or edge warning on the pick's warmup goes.
        // Its run's own warmup is held at the guard's limit when shorter (heldAtLimit: the guard's warning on the pick stays, it holds
        // this warmup too) and at the search's top when longer (capped).
        int pickWarmup = best.Schedule is WarmupSchedule pw ? pw.Warmup : 0, keptWarmup = schedule is WarmupSchedule kw ? kw.Warmup : 0;
        if (request.WarmupSteps is null && runWarmup > 0 && reasons.FindIndex(r => r.Kind == ReasonKind.Warmup) is var wi and >= 0)
        {
            bool held = keptWarmup > runWarmup, capped = keptWarmup < runWarmup;
            var guarded = held ? reasons[wi].Axis?.WarmupGuard : null;
            reasons[wi] = reasons[wi] with
            {
                Chosen = keptWarmup,
                Labels = [decision.Run],
                Axis = reasons[wi].Axis is { } a ? a with { Chosen = keptWarmup, ChosenLoss = double.NaN, WarmupGuard = guarded } : null,
                Quantities = Qs([("redecided", 1), ("pickWarmup", pickWarmup), ("fromRun", 1), ("runWarmup", runWarmup),
                    .. held ? [("heldAtLimit", 1)] : capped ? [("capped", 1)] : Array.Empty<(string, double)>()]),
            };
            warnings.RemoveAll(w => !held && w.Kind == WarningKind.WarmupGuarded || w.Kind == WarningKind.AxisAtEdge && w.Labels is ["warmup"]);
        }
        // The kept schedule's shape is the runs' best, not the law's cooldown optimum: that decision (and its interval) described the
        // declined pick, so it goes (with its edge warning); the warmup was decided for the kept schedule above.
        reasons.RemoveAll(r => r.Kind == ReasonKind.Cooldown);
        warnings.RemoveAll(w => w.Kind == WarningKind.AxisAtEdge && w.Labels is ["cooldown"]);
        // Likewise the law's final-LR choice when the kept schedule ends at another fraction of its peak ("the rest as in the plan" no longer holds).
        double FloorOf(LrSchedule s) => ObservedBest.ShapeOf(s).Floor;
        if (!(Math.Abs(FloorOf(schedule) - FloorOf(best.Schedule)) < 1e-6)) reasons.RemoveAll(r => r.Kind == ReasonKind.FinalLr);
        PlannedSchedule kept;
        if (own is not null && ReferenceEquals(own.Best.Schedule, schedule))
        {
            // The peak re-decided for the kept schedule replaces the pick's peak decision, its divergence verdict and its peak warnings.
            int at = reasons.FindIndex(r => r.Kind == ReasonKind.PeakLr);
            var redecided = own.Reason with { Quantities = Qs(("redecided", 1), ("pickPeak", PeakOf(best.Schedule)), ("pickLoss", best.PredictedLoss)) };
            if (at >= 0) reasons[at] = redecided;
            else reasons.Add(redecided);
            int divergence = reasons.FindIndex(r => r.Kind == ReasonKind.Divergence);
            reasons.RemoveAll(r => r.Kind == ReasonKind.Divergence);
            if (own.Divergence is { } d) reasons.Insert(divergence >= 0 ? divergence : reasons.Count, d);
            warnings.RemoveAll(w => w.Kind is WarningKind.PeakGuarded or WarningKind.AllDiverge);
            warnings.AddRange(own.Warnings);
            kept = own.Best;
        }
        else
        {
            double f = loss / best.PredictedLoss;
            var check = guard is null ? null : evaluator.Check(guard, schedule);
            kept = new PlannedSchedule(schedule, loss, best.Lower * f, best.Upper * f, check?.Diverges, check?.Probability ?? double.NaN);
        }
        // The law's pick leads the runner-ups: the alternative the rule declined, shown with its loss.
        string keptSpec = schedule.ToSpec();
        List<PlannedSchedule> runnerUps = request.RunnerUps == 0 ? [.. search.RunnerUps]
            : [.. search.RunnerUps.Where(r => r.Schedule.ToSpec() != keptSpec).Prepend(best).Take(request.RunnerUps)];
        return (search with { Best = kept, RunnerUps = runnerUps }, decision);
    }

    /// <summary>The runs' LR units per target unit (<see cref="PeakSupport.RunUnitsPerTarget"/>), 1 where the law does not say.</summary>
    private static double RunUnits(PeakSupport support) =>
        double.IsFinite(support.RunUnitsPerTarget) && support.RunUnitsPerTarget > 0 ? support.RunUnitsPerTarget : 1;

    /// <summary>A schedule's peak LR.</summary>
    internal static double PeakOf(LrSchedule s) => s is WarmupSchedule w ? w.Peak : s.Evaluate().Max();

    /// <summary>
    /// The joint law fitted on the runs with the prior's kappa and C at the target (<see cref="JointPriorFit"/>), its fits through
    /// <paramref name="jointFits"/> (the fit cache, and shared with the plan's own fit of the joint law on the same runs).
    /// </summary>
    private static JointPriorFit FitPrior(LrAxisPrior prior, IReadOnlyList<TrainingRun> runs, PlanRequest request, PlanHyperparameters hp, PlanOptions options,
        PlanFits.JointFits jointFits)
    {
        var curves = JointPlanLaw.Curves(runs, options.FitOn, options.RunsTokensPerStep);
        bool useSize = JointPlanLaw.UsesSize(runs), useBatch = JointPlanLaw.UsesBatch(runs, options.RunsTokensPerStep);
        double lawSize = useSize ? request.Parameters : double.NaN, lawBatch = useBatch ? hp.BatchTokens : double.NaN;
        return JointPriorFit.Make(curves, prior, request.Parameters, request.Tokens, hp.Steps, lawSize, lawBatch, options.Joint, jointFits.Fit, hp.BatchLrFactor);
    }

    /// <summary>
    /// True when the LR-axis prior's joint fit <paramref name="made"/> is physical at the target: its own final loss on the prior's reference
    /// schedule at the prior's optimum (<see cref="LrAxisCalibrated.ReferenceLoss"/>, f(u*), the loss whose curvature the calibration sets) is a
    /// plausible cross-entropy of <paramref name="runs"/> (<see cref="LossPlausibility.IsPhysical"/>). Else the plan does not use the prior's
    /// axis (the law <paramref name="law"/> plans alone, its peak held to what the runs support, as with no prior) and says so
    /// (<see cref="WarningKind.LrAxisPriorNotPhysical"/>, added to <paramref name="warnings"/>). Why: on runs of one peak LR that the joint law
    /// cannot pin (ten updates of a 13B model, 30 steps of a MoE), its fit extrapolated to the target gives losses of hundreds or
    /// thousands of nats, its calibrated curvature misses the prior's by 200x, and the plan's move in LR, J(s) - J(s_0), is hundreds of nats
    /// per unit of ln LR: no bound on the schedule law's floor reaches it (docs/VALIDATION.md, "Plans from runs at one peak LR").
    /// </summary>
    private static bool PriorPhysical(JointPriorFit made, IReadOnlyList<TrainingRun> runs, string law, List<PlanWarning> warnings)
    {
        var (lowest, highest) = LossPlausibility.Observed(runs);
        var a = made.Axis;
        if (LossPlausibility.IsPhysical(a.ReferenceLoss, lowest, highest)) return true;
        warnings.Add(new PlanWarning(WarningKind.LrAxisPriorNotPhysical)
        {
            Labels = [law],
            Quantities = Qs(("referenceLoss", a.ReferenceLoss), ("optimalLr", a.OptimalLr), ("runsPeak", runs.Max(r => r.LearningRates.Max())),
                ("curvature", a.TargetCurvature), ("reachedCurvature", a.Curvature), ("lowestObserved", lowest), ("highestObserved", highest),
                ("floor", LossPlausibility.Floor(lowest)), ("ceiling", LossPlausibility.Ceiling(highest))),
        });
        return false;
    }

    /// <summary>
    /// The plan's law with the LR axis from the prior (<paramref name="made"/>, <see cref="FitPrior"/>): the joint law plans itself
    /// when the chosen law is the joint law, else its LR-axis terms are added to the chosen law (<see cref="LrAxisPlanLaw"/>). The
    /// supported peaks widen to the prior's at the target.
    /// </summary>
    private static IPlanLaw WithLrPrior(IPlanLaw chosen, LrAxisPrior prior, JointPriorFit made, IReadOnlyList<TrainingRun> runs, PlanRequest request, PlanHyperparameters hp,
        PlanOptions options, List<PlanReason> reasons, List<PlanWarning> warnings)
    {
        bool useSize = JointPlanLaw.UsesSize(runs), useBatch = JointPlanLaw.UsesBatch(runs, options.RunsTokensPerStep);
        double runsPeak = runs.Max(r => r.LearningRates.Max());
        var (low, high) = prior.Support(request.Parameters, request.Tokens, hp.BatchLrFactor);
        var joint = new JointPlanLaw(made.Fit, useSize, useBatch, Math.Min(low, runsPeak), Math.Max(high, runsPeak), "LR axis from the prior");
        bool combined = chosen is not JointPlanLaw;
        var a = made.Axis;
        List<(string, double)> quantities = [("ratio", prior.Ratio), ("curvature", a.TargetCurvature), ("reachedCurvature", a.Curvature), ("etaRef", a.ReferenceLr), ("kappa", a.Kappa),
            ("cost", a.Cost), ("costClipped", a.CostClipped ? 1 : 0), ("runsPeak", runsPeak), ("supportLow", low), ("supportHigh", high), ("cells", prior.Cells),
            ("combined", combined ? 1 : 0), ("referencePeak", hp.RuleLearningRate)];
        // eta_ref carried to a fixed batch by the rule's own factor (stated only where there is one: the plans at the rule's batch keep their reason as it was).
        if (hp.BatchLrFactor != 1) quantities.Add(("batchFactor", hp.BatchLrFactor));
        reasons.Add(new PlanReason(ReasonKind.LrAxisPrior, options.LrPriorSource.Length > 0 ? options.LrPriorSource : "the LR-axis prior")
        {
            Chosen = a.OptimalLr,
            Quantities = Qs([.. quantities]),
        });
        warnings.Add(new PlanWarning(WarningKind.LrAxisFromPrior) { Quantities = Qs(("runsPeak", runsPeak), ("optimalLr", a.OptimalLr), ("cells", prior.Cells)) });
        return combined ? new LrAxisPlanLaw(chosen, joint, hp.RuleLearningRate, low, high) : joint;
    }

    /// <summary>Named quantities.</summary>
    internal static IReadOnlyDictionary<string, double> Qs(params (string Name, double Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    /// <summary>A schedule of <paramref name="family"/> at <paramref name="peak"/> (3 significant digits: no rule is more precise), or null when the family refuses it.</summary>
    internal static LrSchedule? Build(ScheduleFamily family, double peak, int steps, int warmup, double cooldown, double floor) =>
        double.IsFinite(peak) && peak > 0 && warmup >= 0 && warmup < steps
            ? CandidateGrid.TryBuild(family, Significant.Round(peak), steps, warmup, double.IsNaN(cooldown) ? cooldown : Math.Round(cooldown, 3), floor)
            : null;

    /// <summary>n values from <paramref name="low"/> to <paramref name="high"/>, log spaced (linear when <paramref name="log"/> is false).</summary>
    internal static double[] Grid(double low, double high, int n, bool log = true) =>
        n <= 1 || low == high ? [low]
        : [.. Enumerable.Range(0, n).Select(i => log ? low * Math.Pow(high / low, (double)i / (n - 1)) : low + (high - low) * i / (n - 1))];

    private sealed record SearchResult(PlannedSchedule Best, IReadOnlyList<PlannedSchedule> RunnerUps, IReadOnlyList<PlanReason> Reasons, IReadOnlyList<PlanWarning> Warnings)
    {
        /// <summary>The search's peak decision (step 5: the law's optimum, held by the same guards, with its interval) made for another planner schedule's shape at the target.</summary>
        public required Func<LrSchedule, PeakDecision> PeakFor { get; init; }

        /// <summary>The warmup (steps) of a run's schedule kept at the target, for its shape as read (<see cref="ObservedBest.Shape.Warmup"/>: the run's own).</summary>
        public required Func<ObservedBest.Shape, int> WarmupFor { get; init; }
    }

    /// <summary>A peak decision: the schedule at the decided peak with its loss, interval and verdict, the reason (its axis search), the divergence reason and the warnings it raises.</summary>
    private sealed record PeakDecision(PlannedSchedule Best, PlanReason Reason, PlanReason? Divergence, IReadOnlyList<PlanWarning> Warnings);

    /// <summary>
    /// The peak search's range (Lo..Hi: the rule's LR / <see cref="PeakSpan"/> .. x it, widened to
    /// the law's supported peaks) and the supported range the peak is held to (the law's, else the search's).
    /// </summary>
    private static (double Lo, double Hi, double AllowedLo, double AllowedHi) PeakRange(double rule, PeakSupport support)
    {
        double lo = rule / PeakSpan, hi = rule * PeakSpan;
        if (double.IsFinite(support.Low) && support.Low > 0) lo = Math.Min(lo, support.Low);
        if (double.IsFinite(support.High) && support.High > 0) hi = Math.Max(hi, support.High);
        double allowedLo = double.IsFinite(support.Low) && support.Low > 0 ? support.Low : lo;
        double allowedHi = double.IsFinite(support.High) && support.High > 0 ? support.High : hi;
        return (lo, hi, allowedLo, allowedHi);
    }

    /// <summary>The peaks the families are compared at: the rule's LR / <see cref="FamilyPeakSpread"/>, it and x it, each held to the supported range.</summary>
    private static double[] FamilyPeaks(double rule, double allowedLo, double allowedHi) =>
        [.. new[] { rule / FamilyPeakSpread, rule, rule * FamilyPeakSpread }.Select(x => Math.Clamp(x, allowedLo, allowedHi)).Distinct()];

    /// <summary>The cooldowns a family is compared at: <see cref="FamilyCooldowns"/> for wsd, none (NaN) for the others.</summary>
    private static IReadOnlyList<double> FamilyCooldownsOf(ScheduleFamily family) => family == ScheduleFamily.Wsd ? FamilyCooldowns : [double.NaN];

    /// <summary>
    /// The schedules of the search's first step (<see cref="Search"/>, step 1), in its order: every buildable family at each of
    /// <see cref="FamilyPeaks"/> and, for wsd, each of <see cref="FamilyCooldowns"/>; the given warmup or <see cref="DefaultWarmup"/>, no floor
    /// (null where a family cannot be built). The fit stage's physical check evaluates the same schedules (<see cref="Make"/>).
    /// </summary>
    private static List<LrSchedule?> FamilyStage(PlanRequest request, PlanHyperparameters hp, PeakSupport support)
    {
        var (_, _, allowedLo, allowedHi) = PeakRange(hp.RuleLearningRate, support);
        int steps = hp.Steps, w0 = request.WarmupSteps ?? WarmupSteps(steps, DefaultWarmup);
        var peaks = FamilyPeaks(hp.RuleLearningRate, allowedLo, allowedHi);
        return [.. CandidateGrid.Buildable.SelectMany(f => peaks.SelectMany(x => FamilyCooldownsOf(f).Select(c => Build(f, x, steps, w0, c, 0))))];
    }

    private static SearchResult Search(PlanRequest request, PlanHyperparameters hp, PlanTarget target, IPlanLaw model, PlanEvaluator evaluator,
        IDivergenceGuard? guard, IIntervalProvider intervals, int longest, int lawSteps, RunReference reference, IReadOnlyList<TrainingRun> lawRuns,
        Func<LrSchedule, PeakEvidence?>? evidenceFor, Func<LrSchedule, PeakEvidence?>? bestFor = null, Func<LrSchedule, double>? shapeOf = null)
    {
        var reasons = new List<PlanReason>();
        var warnings = new List<PlanWarning>();
        int steps = hp.Steps;
        double rule = hp.RuleLearningRate;
        var support = model.Support(target);
        var (lo, hi, allowedLo, allowedHi) = PeakRange(rule, support);
        var coarse = Grid(lo, hi, CoarsePeaks);
        // A warmup the user gives is the plan's (the families are compared at it too): no search, no guard.
        int? given = request.WarmupSteps;
        int w0 = given ?? WarmupSteps(steps, DefaultWarmup);

        PlanExtrapolation Extrapolation(double peak) => new(
            longest > 0 ? Math.Max(1, (double)lawSteps / longest) : double.NaN,
            double.IsNaN(reference.Parameters) ? double.NaN : Math.Exp(Math.Abs(Math.Log(request.Parameters / reference.Parameters))),
            peak > allowedHi ? peak / allowedHi : peak < allowedLo ? allowedLo / peak : 1);
        double Tolerance(double loss, double peak) => intervals.Interval(loss, Extrapolation(peak)) is { Known: true } iv ? iv.Upper - loss : double.NaN;

        // 1. Families, each at its best of three peaks around the rule's LR (held to the supported range) and, for wsd, of two
        //    cooldowns; default warmup, no floor. The family is decided before the peak, whose search runs on the winner's final shape.
        var families = CandidateGrid.Buildable;
        var familyPeaks = FamilyPeaks(rule, allowedLo, allowedHi);
        evaluator.Final(FamilyStage(request, hp, support));
        var familyBest = new List<(ScheduleFamily Family, double Peak, double Cooldown, double Loss, bool Diverges)>();
        var unbuilt = new List<string>();
        foreach (var f in families)
        {
            // A family none of whose schedules can be built at this warmup (a given warmup that leaves wsd no room for its cooldown) is
            // not compared, and the family reason says so (Labels).
            if (familyPeaks.All(x => FamilyCooldownsOf(f).All(c => Build(f, x, steps, w0, c, 0) is null)))
            {
                unbuilt.Add(f.Name);
                continue;
            }
            var grid = familyPeaks.SelectMany(x => FamilyCooldownsOf(f).Select(c => (x, c, loss: evaluator.Final(Build(f, x, steps, w0, c, 0))))).Where(p => double.IsFinite(p.loss)).ToList();
            if (grid.Count == 0) continue;
            var (peak, c0, _) = grid.MinBy(p => p.loss);
            bool diverges = false;
            if (guard is not null && Build(f, peak, steps, w0, c0, 0) is { } s && evaluator.Check(guard, s).Diverges)
            {
                double safe = guard.HighestSafePeak(x => Build(f, x, steps, w0, c0, 0), target, lo, peak);
                if (double.IsNaN(safe)) diverges = true;
                else peak = safe;
            }
            familyBest.Add((f, peak, c0, evaluator.Final(Build(f, peak, steps, w0, c0, 0)), diverges));
        }
        if (familyBest.Count == 0) throw new ArgumentException($"the {model.Name} law predicts no finite loss for any schedule of {steps} steps.");
        var ranked = familyBest.Where(x => double.IsFinite(x.Loss)).OrderBy(x => x.Diverges ? 1 : 0).ThenBy(x => x.Loss).ThenBy(x => x.Family.Name, StringComparer.Ordinal).ToList();
        var winner = ranked[0];
        var family = winner.Family;
        double p1 = winner.Peak;
        var familyReason = new PlanReason(ReasonKind.Family, model.Name)
        {
            ChosenLabel = family.Name,
            Chosen = winner.Loss,
            Considered = [.. ranked.Select(x => new ReasonOption(x.Family.Name, x.Peak, x.Loss))],
            Labels = unbuilt,
            Quantities = Qs(("warmup", w0), ("cooldown", familyBest.FirstOrDefault(x => x.Family == ScheduleFamily.Wsd).Cooldown)),
        };
        if (ranked.Count > 1 && model is IExplainablePlanLaw explainable
            && Build(family, p1, steps, w0, winner.Cooldown, 0) is { } ws && Build(ranked[1].Family, ranked[1].Peak, steps, w0, ranked[1].Cooldown, 0) is { } rs
            && explainable.Compare(ws, rs, target) is { Count: > 0 } terms)
            familyReason = familyReason with { Decisive = terms[0] };
        reasons.Add(familyReason);

        // 2. Warmup (log steps) at the family's peak: the law's optimum, held by the warmup guard at what the runs support when the
        //    optimum lies below it (WarmupGuard: no law here models what a warmup buys, so its optimum sits at the search's low edge).
        //    The runs' support is judged at the family's peak, then again at the plan's final peak (step 5): where it differs there,
        //    steps 2-5 run once more with the support at that peak (each law evaluation memoized).
        int wMin = Math.Min(steps - 1, WarmupSteps(steps, WarmupRange.Low)), wMax = Math.Min(steps - 1, Math.Max(wMin, WarmupSteps(steps, WarmupRange.High)));
        double units = RunUnits(support);
        (int Warmup, double Cooldown, double Floor) ShapeAt(SupportedWarmup? supported)
        {
            double cooldown = winner.Cooldown, floor = family == ScheduleFamily.Constant ? double.NaN : 0;
            int warmup;
            if (given is { } givenWarmup)
            {
                warmup = givenWarmup;
                reasons.Add(new PlanReason(ReasonKind.Warmup, "given") { Chosen = warmup, Quantities = Qs(("given", 1), ("steps", steps)) });
            }
            else
            {
                var warmSearch = new AxisSearch(v => evaluator.Final([.. v.Select(w => Build(family, p1, steps, (int)Math.Round(w), cooldown, floor))]), log: true);
                var warm = Axis(PlanAxis.Warmup, warmSearch, Grid(wMin, wMax, AxisGrid).Distinct().ToArray(), AxisRounds, x => Tolerance(x, p1),
                    Build(family, p1, steps, w0, cooldown, floor)?.ToSpec() ?? "");
                if (WarmupGuard.Of(warm.Chosen, wMin, wMax, supported) is { } held)
                {
                    warm = warm with { Chosen = held.Limit, ChosenLoss = warmSearch.Loss(held.Limit), WarmupGuard = held };
                    warnings.Add(new PlanWarning(WarningKind.WarmupGuarded)
                    {
                        Labels = held.Run.Length > 0 ? [held.Run] : [],
                        Quantities = Qs(("optimum", warm.Optimum), ("chosen", held.Limit), ("supported", held.Supported), ("prior", held.Source == WarmupSource.Prior ? 1 : 0),
                            ("runPeak", held.RunPeak), ("comparable", held.Comparable ? 1 : 0), ("atEdge", warm.Bound == AxisBound.Interior ? 0 : 1)),
                        Values = held.SweepWarmups,
                    });
                }
                else if (warm.Bound != AxisBound.Interior)
                {
                    warnings.Add(new PlanWarning(WarningKind.AxisAtEdge) { Labels = ["warmup"], Quantities = Qs(("value", warm.Chosen), ("steps", steps)) });
                }
                warmup = (int)Math.Round(warm.Chosen);
                reasons.Add(new PlanReason(ReasonKind.Warmup, model.Name) { Chosen = warmup, Axis = warm });
            }

            // 3. The wsd cooldown (linear fraction of the run).
            if (family == ScheduleFamily.Wsd)
            {
                var coolSearch = new AxisSearch(v => evaluator.Final([.. v.Select(c => Build(family, p1, steps, warmup, c, floor))]), log: false);
                var cool = Axis(PlanAxis.Cooldown, coolSearch, Grid(CooldownRange.Low, CooldownRange.High, AxisGrid, log: false), AxisRounds, x => Tolerance(x, p1),
                    Build(family, p1, steps, warmup, cooldown, floor)?.ToSpec() ?? "");
                cooldown = Math.Round(cool.Chosen, 3);
                reasons.Add(new PlanReason(ReasonKind.Cooldown, model.Name) { Chosen = cooldown, Axis = cool });
                if (cool.Bound != AxisBound.Interior)
                    warnings.Add(new PlanWarning(WarningKind.AxisAtEdge) { Labels = ["cooldown"], Quantities = Qs(("value", cool.Chosen), ("steps", steps)) });
            }

            // 4. The final LR.
            if (family != ScheduleFamily.Constant)
            {
                var floorLosses = evaluator.Final([.. Floors.Select(f => Build(family, p1, steps, warmup, cooldown, f))]);   // one batch: side by side
                var floors = Floors.Select((f, i) => (f, loss: floorLosses[i])).ToList();
                var bestFloor = floors.Where(x => double.IsFinite(x.loss)).DefaultIfEmpty(floors[0]).MinBy(x => x.loss);
                floor = bestFloor.f;
                reasons.Add(new PlanReason(ReasonKind.FinalLr, model.Name) { Chosen = floor, Considered = [.. floors.Select(x => new ReasonOption("floor", x.f, x.loss))] });
            }
            return (warmup, cooldown, floor);
        }

        // 5. The peak LR at the final shape: the law's optimum over the wide range, held to the runs' range and below divergence.
        //    The same decision is made again for a schedule kept after the search (the schedule-regret rule's incumbent, PeakFor).
        PeakDecision PeakFor(Func<double, LrSchedule?> shape, string name)
        {
            var peakSearch = new AxisSearch(v => evaluator.Final([.. v.Select(shape)]), log: true);
            var (optimum, optimumLoss, bound) = peakSearch.Minimize(coarse, PeakRounds);
            double chosen = Math.Clamp(optimum, allowedLo, allowedHi);
            GuardKind? kind = null;
            var peakWarnings = new List<PlanWarning>();
            if (bound == AxisBound.AtHigh && !(double.IsFinite(support.High) && support.High > 0)) chosen = rule;
            if (bound == AxisBound.AtLow && !(double.IsFinite(support.Low) && support.Low > 0)) chosen = rule;
            if (chosen < optimum * 0.999 || (bound == AxisBound.AtHigh && chosen < hi)) kind = GuardKind.AboveRuns;
            else if (chosen > optimum * 1.001 || (bound == AxisBound.AtLow && chosen > lo)) kind = GuardKind.BelowRuns;
            // The runs decide where they can: a law's optimum (in the runs' units) that the final losses of the runs of this schedule's
            // own shape at the reference's horizon contradict (outside the bracket of their best peak, or beyond their best on the side
            // where the loss rose) is replaced by the runs' optimum (the bracket's parabola vertex, else their best peak), carried to the
            // target as the runs' range is.
            var evidence = evidenceFor is not null && shape(optimum) is { } planned ? evidenceFor(planned) : null;
            if (evidence is not null && !evidence.Admits(optimum * units))
            {
                chosen = evidence.RunsOptimum / units;
                kind = GuardKind.RunsEvidence;
            }
            // Where the runs' evidence did not decide (PlanOptions.PeakFromRunsBest): the runs' best of this shape as measured, whatever
            // its margin (the bracket's vertex, else the best peak), carried to the target, is taken when the law cannot tell it from
            // its own optimum: the law's loss there within PeakEvidence.NoRepeatsMargin (0.1%, issue 10's regret tolerance) of the
            // optimum's, L(b) <= L(optimum) (1 + 0.001). Neither source then decides alone; the measured one breaks the tie.
            else if (bestFor is not null && shape(optimum) is { } measured && bestFor(measured) is { } runsBest)
            {
                double b = runsBest.RunsOptimum / units;
                if (b >= allowedLo && b <= allowedHi && peakSearch.Loss(b) <= optimumLoss * (1 + PeakEvidence.NoRepeatsMargin))
                {
                    chosen = b;
                    kind = GuardKind.RunsEvidence;
                    evidence = runsBest;
                }
            }
            double safePeak = double.NaN;
            DivergenceCheck? check = null;
            if (guard is not null && shape(chosen) is { } candidate && (check = evaluator.Check(guard, candidate)).Diverges)
            {
                safePeak = guard.HighestSafePeak(shape, target, lo, chosen);
                if (!double.IsNaN(safePeak))
                {
                    chosen = safePeak;
                    kind = GuardKind.Divergence;
                    check = shape(chosen) is { } safe ? evaluator.Check(guard, safe) : check;
                }
            }
            double chosenLoss = peakSearch.Loss(chosen);
            var bestSchedule = shape(chosen) ?? throw new ArgumentException($"the {name} schedule at peak {ScalingRules.G(chosen)} cannot be built for {steps} steps.");
            var interval = intervals.Interval(chosenLoss, Extrapolation(chosen) with { Shape = shapeOf?.Invoke(bestSchedule) ?? 0 });
            double tolerance = interval.Known ? interval.Upper - chosenLoss : double.NaN;
            var (lower, upper, lowerOpen, upperOpen) = peakSearch.Interval(chosen, tolerance, IntervalBisections);
            // The interval stops where the schedule starts to diverge: a peak that blows up is no alternative.
            bool cappedByDivergence = false;
            if (guard is not null && double.IsFinite(upper) && upper > chosen && check is { Diverges: false })
            {
                double safeTop = guard.HighestSafePeak(shape, target, chosen, upper);
                if (double.IsFinite(safeTop) && safeTop < upper) (upper, upperOpen, cappedByDivergence) = (safeTop, false, true);
            }
            PeakGuard? peakGuard = null;
            if (kind is { } k)
            {
                double edge = k == GuardKind.BelowRuns ? allowedLo : chosen;
                // Four peaks from the supported edge towards the optimum: x sqrt(2) apart when the optimum is at the search's edge,
                // else spread evenly in log to one sqrt(2) step past it, so that the sweep brackets it. Held by the runs' evidence: four
                // peaks x sqrt(2) apart on the side the runs have not seen (below their best at their lowest peak, above it at their
                // highest), or spread evenly in log inside the bracket.
                double step = k == GuardKind.BelowRuns ? 1 / Math.Sqrt(2) : Math.Sqrt(2);
                if (bound == AxisBound.Interior) step = Math.Pow(optimum * step / edge, 0.25);
                if (k == GuardKind.RunsEvidence)
                    (edge, step) = evidence!.Kind switch
                    {
                        PeakEvidenceKind.Bracketed => (evidence.Lower / units, Math.Pow(evidence.Upper / evidence.Lower, 0.2)),
                        PeakEvidenceKind.BestAtLowest => (chosen, 1 / Math.Sqrt(2)),
                        _ => (chosen, Math.Sqrt(2)),
                    };
                List<double> sweep = k == GuardKind.Divergence ? [] : [.. Enumerable.Range(1, 4).Select(i => Significant.Round(edge * Math.Pow(step, i)))];
                peakGuard = new PeakGuard(k, chosen, support.Low, support.High, safePeak, sweep, [.. sweep.Select(x => x * support.RunUnitsPerTarget)]);
                peakWarnings.Add(new PlanWarning(WarningKind.PeakGuarded)
                {
                    Labels = k == GuardKind.RunsEvidence
                        ? [k.ToString(), evidence!.Kind.ToString(), evidence.BestRun, evidence.FinalEvaluation ? "finalEvaluation" : evidence.Split == LossSplit.Validation ? "validation" : "train"]
                        : [k.ToString()],
                    // Held by the runs' evidence, every peak at the target too (the runs' peaks / units, as chosen and the sweep); units gives
                    // them back in the runs' own LR.
                    Quantities = Qs([("optimum", optimum), ("chosen", chosen), ("atEdge", bound == AxisBound.Interior ? 0 : 1),
                        .. k == GuardKind.RunsEvidence
                            ? [("runsBest", evidence!.BestPeak / units), ("runsBestLoss", evidence.BestLoss), ("lower", evidence.Lower / units),
                                ("upper", evidence.Upper / units), ("units", units), ("peaks", evidence.Peaks)]
                            : Array.Empty<(string, double)>()]),
                    Values = sweep,
                });
            }
            var peakDecision = new AxisDecision(PlanAxis.PeakLr, chosen, chosenLoss, optimum, optimumLoss, coarse[0], coarse[^1], bound, tolerance,
                lower, upper, lowerOpen, upperOpen, peakSearch.Points, bestSchedule.ToSpec()) { Guard = peakGuard, UpperAtDivergence = cappedByDivergence, RunsEvidence = evidence };
            var peakReason = new PlanReason(ReasonKind.PeakLr, model.Name) { Chosen = chosen, Axis = peakDecision };
            var divergence = check is null ? null : new PlanReason(ReasonKind.Divergence, guard!.Source)
            {
                Chosen = chosen,
                Quantities = Qs(("etaL", check.EtaL), ("peak", chosen), ("areaRatio", check.AreaRatio), ("probability", check.Probability),
                    ("diverges", check.Diverges ? 1 : 0), ("safePeak", safePeak), ("risk", guard is ModelDivergenceGuard mg ? mg.Risk : double.NaN)),
            };
            if (check is { Diverges: true }) peakWarnings.Add(new PlanWarning(WarningKind.AllDiverge) { Quantities = Qs(("peak", chosen)) });
            return new PeakDecision(new PlannedSchedule(bestSchedule, chosenLoss, interval.Lower, interval.Upper, check?.Diverges, check?.Probability ?? double.NaN),
                peakReason, divergence, peakWarnings);
        }
        var supported = given is null ? WarmupGuard.SupportedBy(lawRuns, p1 * units) : null;
        int shapeReasons = reasons.Count, shapeWarnings = warnings.Count;
        var (warmup, cooldown, floor) = ShapeAt(supported);
        var decided = PeakFor(p => Build(family, p, steps, warmup, cooldown, floor), family.Name);
        if (given is null && WarmupGuard.SupportedBy(lawRuns, PeakOf(decided.Best.Schedule) * units) is var atPeak && atPeak != supported)
        {
            // The runs that trained at a peak comparable to the plan's final peak differ from those at the family's: steps 2-5 once
            // more with the support judged at the final peak (once: the warmup so decided stands even if the peak moves again).
            reasons.RemoveRange(shapeReasons, reasons.Count - shapeReasons);
            warnings.RemoveRange(shapeWarnings, warnings.Count - shapeWarnings);
            supported = atPeak;
            (warmup, cooldown, floor) = ShapeAt(supported);
            decided = PeakFor(p => Build(family, p, steps, warmup, cooldown, floor), family.Name);
        }
        double warmupLimit = given is null ? WarmupGuard.LimitOf(wMin, wMax, supported) : 0;
        reasons.Insert(reasons.IndexOf(familyReason) + 1, decided.Reason);
        if (decided.Divergence is not null) reasons.Add(decided.Divergence);
        warnings.AddRange(decided.Warnings);
        var best = decided.Best;
        return new SearchResult(best, RunnerUps(request, evaluator, best.Schedule, allowedLo, allowedHi, guard, target, intervals,
            schedule => Extrapolation(PeakOf(schedule)) with { Shape = shapeOf?.Invoke(schedule) ?? 0 }), reasons, warnings)
        {
            // Another schedule's shape (family, warmup, cooldown and floor as fractions: ObservedBest.ShapeOf) at every peak, built as the search builds its own.
            PeakFor = s =>
            {
                var sh = ObservedBest.ShapeOf(s);
                return PeakFor(p => Build(sh.Family, p, steps, sh.Warmup, sh.Cooldown, sh.Floor), sh.Family.Name);
            },
            WarmupFor = sh => KeptWarmup(sh.Warmup, warmup, given, wMax, (int)warmupLimit),
        };
    }

    /// <summary>
    /// The warmup (steps) of a run's schedule kept at the target: the user's (<paramref name="given"/>) always; else the run's own
    /// (<paramref name="runWarmup"/>, steps, as <see cref="WarmupGuard"/> transfers them), held to the search's top (<paramref name="top"/>)
    /// and not below the guard's limit (<paramref name="limit"/>: the plan's warmup is not set below what the runs support); the plan's
    /// (<paramref name="planWarmup"/>) when the run has none.
    /// </summary>
    internal static int KeptWarmup(int runWarmup, int planWarmup, int? given, int top, int limit) =>
        given ?? (runWarmup > 0 ? Math.Max(Math.Min(runWarmup, top), limit) : planWarmup);

    /// <summary>Same family and floor, peaks within 10%, warmups within 25% and cooldowns within 5% of the run: not a different plan.</summary>
    private static bool NearCopy(LrSchedule a, LrSchedule b)
    {
        if (a.Family != b.Family || a is not WarmupSchedule x || b is not WarmupSchedule y) return false;
        static double Floor(LrSchedule s) => s switch { WsdSchedule w => w.Floor / w.Peak, CosineSchedule c => c.Floor / c.Peak, LinearSchedule l => l.Floor / l.Peak, _ => 0 };
        static double Cooldown(LrSchedule s) => s is WsdSchedule w ? (double)w.CooldownLength / w.Steps : 0;
        return Math.Abs(Math.Log(x.Peak / y.Peak)) < Math.Log(1.1) && Math.Abs(Math.Log((x.Warmup + 1.0) / (y.Warmup + 1.0))) < Math.Log(1.25)
            && Math.Abs(Cooldown(a) - Cooldown(b)) < 0.05 && Math.Abs(Floor(a) - Floor(b)) < 1e-9;
    }

    /// <summary>Warmup steps for a fraction of the run: at least one, fewer than the run.</summary>
    private static int WarmupSteps(int steps, double fraction) => Math.Clamp((int)Math.Round(fraction * steps), 1, Math.Max(1, steps - 1));

    private static AxisDecision Axis(PlanAxis axis, AxisSearch search, double[] grid, int rounds, Func<double, double> tolerance, string heldAt)
    {
        var (x, loss, bound) = search.Minimize(grid, rounds);
        if (double.IsNaN(x)) throw new ArgumentException($"the law predicts no finite loss along the {axis} axis.");
        double tol = tolerance(loss);
        var (lower, upper, lowerOpen, upperOpen) = search.Interval(x, tol, IntervalBisections);
        return new AxisDecision(axis, x, loss, x, loss, grid[0], grid[^1], bound, tol, lower, upper, lowerOpen, upperOpen, search.Points, heldAt);
    }

    /// <summary>
    /// Runner-ups from every schedule the searches evaluated with a peak in the supported range: the best of each other family
    /// first, then the rest by loss; those the guard says diverge go last.
    /// </summary>
    private static List<PlannedSchedule> RunnerUps(PlanRequest request, PlanEvaluator evaluator, LrSchedule best, double allowedLo, double allowedHi,
        IDivergenceGuard? guard, PlanTarget target, IIntervalProvider intervals, Func<LrSchedule, PlanExtrapolation> extrapolation)
    {
        if (request.RunnerUps == 0) return [];
        string bestSpec = best.ToSpec();
        var pool = evaluator.Evaluated
            .Where(e => double.IsFinite(e.Loss) && e.Schedule.ToSpec() != bestSpec && PeakOf(e.Schedule) >= allowedLo * 0.995 && PeakOf(e.Schedule) <= allowedHi * 1.005)
            .OrderBy(e => e.Loss).ThenBy(e => e.Schedule.ToSpec(), StringComparer.Ordinal).ToList();
        var shown = new List<(LrSchedule Schedule, double Loss)>();
        foreach (var family in CandidateGrid.Buildable.Where(f => f != best.Family))
            if (pool.FirstOrDefault(e => e.Schedule.Family == family) is { Schedule: not null } e) shown.Add(e);
        // Then the rest by loss, skipping near copies of a schedule already shown (the searches' neighbouring points).
        foreach (var e in pool)
            if (shown.Count < request.RunnerUps && !shown.Contains(e) && !shown.Select(x => x.Schedule).Prepend(best).Any(x => NearCopy(x, e.Schedule))) shown.Add(e);
        var planned = shown.OrderBy(e => e.Loss).Take(request.RunnerUps).Select(e =>
        {
            var check = guard is null ? null : evaluator.Check(guard, e.Schedule);
            var iv = intervals.Interval(e.Loss, extrapolation(e.Schedule));
            return new PlannedSchedule(e.Schedule, e.Loss, iv.Lower, iv.Upper, check?.Diverges, check?.Probability ?? double.NaN);
        }).ToList();
        return [.. planned.OrderBy(p => p.Diverges == true ? 1 : 0).ThenBy(p => p.PredictedLoss)];
    }

    /// <summary>The fitted law the plan uses, the model size to predict at, and the held-out accuracy of every law tried.</summary>
    private sealed record PlanLaw(LawFit Fit, double ModelSize, LawAccuracy? Accuracy, IReadOnlyList<LawAccuracy> AllAccuracy, IReadOnlyList<TrainingRun> Runs)
    {
        /// <summary>The entry of <see cref="PlanOptions.Laws"/> chosen.</summary>
        public string? Option { get; init; }

        /// <summary>The joint law when it makes the plan (it predicts in absolute LRs: no scaling rule).</summary>
        public JointPlanLaw? Joint { get; init; }

        /// <summary>The conformal interval calibrated on the chosen law's residuals (null: too few).</summary>
        public ConformalIntervalProvider? Conformal { get; init; }

        /// <summary>The joint law with the LR axis from the prior, when the runs share one peak LR and a prior is given (null otherwise).</summary>
        public JointPriorFit? Prior { get; init; }

        /// <summary>The bias of the chosen law's horizon extrapolation within the runs, from the calibration's residuals (null: not calibrated).</summary>
        public HorizonBias? Bias { get; init; }

        /// <summary>The residuals of the anchored predictor within the runs (<see cref="AnchoredLoss.Residuals"/>), fitted when first read; null: not calibrated.</summary>
        public Lazy<List<CalibrationResidual>>? AnchoredResiduals { get; init; }

        /// <summary>The joint law fitted on the same runs, the LR law of a cross-LR anchor when the plan's law has no LR axis (<see cref="AnchoredLoss"/>, "Across peak LR"); fitted when first read, null: not asked for.</summary>
        public Lazy<JointPlanLaw?>? LrLaw { get; init; }

        /// <summary>The terms of the law the runs cannot identify (<see cref="IdentifiedFitter"/>).</summary>
        public IReadOnlyList<UnidentifiedTerm> Unidentified { get; init; } = [];

        /// <summary>The index of the law in <see cref="PlanOptions.Laws"/>.</summary>
        public int Index { get; init; }

        /// <summary>True when the law was refitted with its floor held to the physical range (<see cref="PhysicalFloor"/>): no interval.</summary>
        public bool Bounded { get; init; }

        /// <summary>False when no law fitted, bounded or not, was physical on the runs: the plan withholds its loss.</summary>
        public bool Physical { get; init; } = true;
    }

    /// <summary>
    /// The held-out check of every law, the chosen law's final fit and calibration refit, and the LR-axis prior's joint fit. The fits
    /// that do not depend on one another run side by side (<see cref="PlanFits"/>; in order when <see cref="PlanOptions.ParallelFits"/>
    /// is off, with the same results): first every law's held-out check and the prior's fit, then, once the law is chosen, its final
    /// fit and its calibration refit.
    /// </summary>
    /// <param name="probe">The lowest final loss the law of a fitted candidate predicts over the search's family stage at the target (<see cref="FamilyStage"/>): the physical check of the choice.</param>
    private static PlanLaw FitLaw(PlanRequest request, IReadOnlyList<TrainingRun> runs, RunReference reference, PlanHyperparameters hp, PlanOptions options,
        Action<string> progress, List<PlanReason> reasons, List<PlanWarning> warnings, Func<PlanLaw, double> probe)
    {
        var usable = runs.Where(r => !r.Diverged && r.Observations.Count > 0).ToList();
        var sizes = usable.Select(r => r.Metadata.Parameters ?? double.NaN).Where(s => s > 0).Distinct().OrderBy(s => s).ToList();
        bool sized = sizes.Count >= 2 && !sizes.Any(s => RunReferences.SameSize(s, request.Parameters));
        var training = sized ? usable.Where(r => r.Metadata.Parameters is > 0).ToList()
            : usable.Where(r => double.IsNaN(reference.Parameters) || RunReferences.SameSize(r.Metadata.Parameters ?? double.NaN, reference.Parameters)).ToList();
        if (training.Count == 0) throw new ArgumentException("no run with logged losses to fit a schedule-to-loss law on.");
        // A run that gives no size among runs that do is left out of the fit above (it is at no known size): said, not silent.
        if (usable.Where(r => !(r.Metadata.Parameters is > 0)).Except(training).Select(r => r.Name).ToList() is { Count: > 0 } sizeless)
            warnings.Add(new PlanWarning(WarningKind.RunsSizeUnknownLeftOut) { Labels = sizeless, Quantities = Qs(("size", reference.Parameters)) });
        double modelSize = sized ? request.Parameters : double.NaN;
        if (!sized && !double.IsNaN(reference.Parameters) && RunReferences.OtherSize(reference.Parameters, request.Parameters))
            warnings.Add(new PlanWarning(WarningKind.RunsAtOtherSize) { Quantities = Qs(("runsSize", reference.Parameters), ("size", request.Parameters)) });
        bool sizeOutside = sized && (request.Parameters < sizes[0] * 0.99 || request.Parameters > sizes[^1] * 1.01);
        if (sizeOutside)
            warnings.Add(new PlanWarning(WarningKind.SizeExtrapolated) { Quantities = Qs(("size", request.Parameters), ("lowest", sizes[0]), ("highest", sizes[^1])) });

        List<FitTarget> Targets(IEnumerable<TrainingRun> rs) => Planner.Targets(rs, options.FitOn);

        var (lowest, highest) = LossPlausibility.Observed(training);
        IFittableLaw Create(string name, bool bounded = false)
        {
            var law = LawCatalog.Create(name);
            // The fallback's refit (bounded): the floor held to [0, the runs' lowest loss] (PhysicalFloor; never across sizes here).
            if (bounded) law = PhysicalFloor.Bounded(law, lowest) ?? throw new InvalidOperationException($"{name} has no bounded floor.");
            // Shared across sizes: the size law that extrapolated best in validation protocol 2 (docs/VALIDATION.md), with beta
            // protocol 17c's fitted exponent (SizeLawSpec.PlannerExponent; its declared rule, "(b) Protocol 2 with beta = 0.203").
            IFittableLaw fittable = sized ? SizedLaw.Create(law, new SizeLawSpec(SizeLawSpec.CentreOf(Targets(training)), SizeScaling.Shared, SizeLawSpec.PlannerExponent)) : law;
            return options.FitCache is { } cache ? new CachedLaw(fittable, cache) : fittable;
        }

        var (fitOn, heldOut) = HoldOut(training);
        // The held-out runs are scored from the first step at which any run is fitted (HeldOutFrom): a point before it is a backward
        // extrapolation the plan never makes (protocol 19: laws fitted on validation losses from step 384 predicted 30.27 for a
        // held-out run's training loss at step 31, and flagged the plan's loss as not physical).
        int heldOutFrom = Targets(fitOn).Select(t => t.Steps[0]).DefaultIfEmpty(0).Min();
        heldOut = [.. heldOut.Where(r => HeldOutFrom(Targets([r]), heldOutFrom).Count > 0)];
        // The non-joint laws' held-out targets, the same for every law: cut once here, not in each law's check.
        var heldTargets = HeldOutFrom(Targets(heldOut), heldOutFrom);
        var jointFits = new PlanFits.JointFits(options.FitCache);
        var checks = new List<Func<LawAccuracy>>();
        // Every fit of the plan on at most PlanOptions.MaxPointsPerCurve points per curve (bin means beyond: PointBudget; curves within it as they are).
        int budget = options.MaxPointsPerCurve;
        var checkOptions = options.HeldOutRidgeTolerance > 0 ? new FitOptions { RidgeTolerance = options.HeldOutRidgeTolerance, MaxPointsPerCurve = budget }
            : budget < int.MaxValue ? new FitOptions { MaxPointsPerCurve = budget } : null;
        foreach (var name in options.Laws)
        {
            if (heldOut.Count == 0) break;
            progress($"held-out check of {name}: fit on {fitOn.Count} runs, predict the {heldOut.Count} longest");
            string protocol = Invariant($"fit on the {fitOn.Count} shorter runs, predict the {heldOut.Count} longest ({heldOut.Max(r => r.Steps)} steps)");
            if (IsJoint(name))
            {
                checks.Add(() => JointPlanLaw.HeldOutAccuracy(fitOn, heldOut, options.FitOn, options.RunsTokensPerStep, protocol, heldOutFrom, options.Joint));
                continue;
            }
            checks.Add(() =>
            {
                // Fitted as the plan's final fit is (IdentifiedFitter: a decay the shorter runs do not identify held at its prior), so the
                // check judges the law the plan uses; where every term is identified this is LawFitter.Fit's fit, unchanged.
                // The flat-ridge stop, when on, in this check's fit only (PlanOptions.HeldOutRidgeTolerance): never in the final fit.
                var score = LawComparison.Score(Create(name), Targets(fitOn), heldTargets, checkOptions, fitter: IdentifiedFit);
                var curves = heldTargets.Select((t, i) => new HeldOutCurve(t.Name, t.Steps.Select(s => (double)s).ToArray(), t.Loss, score.Predictions[i])).ToList();
                double finalError = curves.Max(c => Math.Abs(c.Predicted[^1] / c.Actual[^1] - 1));
                return new LawAccuracy(score.Fit.Law.Name, protocol, score.Summary.PredE, score.Summary.WorstE, finalError, curves);
            });
        }
        // The LR-axis prior's joint fit needs only the runs and the target: it runs beside the held-out checks.
        JointPriorFit? prior = null;
        var scores = new LawAccuracy[checks.Count];
        List<Action> first = [.. checks.Select((check, i) => (Action)(() =>
        {
            var a = check();
            scores[i] = a with { CorrectedError = HorizonBias.FromHeldOut(a, training).LeaveOneOutError() };
        }))];
        List<Action> others = [];
        if (options.LrPrior is { } lrPrior && SinglePeak(training))
        {
            progress("the runs share one peak LR: fitting the joint law with the LR-axis prior");
            others.Add(() => prior = FitPrior(lrPrior, training, request, hp, options, jointFits));
        }

        bool calibrate = options.Calibrate && options.Intervals is null;
        // The final fit of law `chosen` (its floor held to the physical range when `bounded`, PhysicalFloor): a function of the choice only.
        (JointPlanLaw? Joint, LawFit Fit, IReadOnlyList<UnidentifiedTerm> Unidentified) FinalFit(int chosen, CancellationToken cancel, bool bounded)
        {
            cancel.ThrowIfCancellationRequested();
            var fitOptions = new FitOptions { Cancellation = cancel, MaxPointsPerCurve = budget };
            string name = options.Laws[chosen];
            var jointLaw = IsJoint(name) ? JointPlanLaw.FitOn(training, options.FitOn, options.RunsTokensPerStep, fit: jointFits.Fit, options: options.Joint) : null;
            // A decay term the runs cannot identify is held at its prior (IdentifiedFitter; unchanged when every term is identified).
            var targets = Targets(training);
            if (jointLaw is not null) return (jointLaw, jointLaw.Fit, Identification.Of(Create(name), targets));
            var identified = IdentifiedFitter.Fit(Create(name, bounded), targets, fitOptions);
            return (null, identified.Fit, identified.Unidentified);
        }

        // The calibration refits of law `chosen` (the conformal interval, the horizon bias, the anchored residuals): a function of the choice
        // and that law's held-out check only.
        (ConformalIntervalProvider? Conformal, HorizonBias? Bias, Lazy<List<CalibrationResidual>>? Anchored) Calibration(int chosen, CancellationToken cancel)
        {
            var fitOptions = new FitOptions { Cancellation = cancel, MaxPointsPerCurve = budget };
            string name = options.Laws[chosen];
            bool joint = IsJoint(name);
            ConformalIntervalProvider? conformal = null;
            HorizonBias? bias = null;
            Lazy<List<CalibrationResidual>>? anchored = null;
            // Calibration residuals: the held-out check's final losses (free) and the nested-horizon fits (ConformalIntervalProvider.Residuals).
            cancel.ThrowIfCancellationRequested();
            var heldOutPredictions = scores.Length == 0 ? [] : heldOut.Select((r, i) => (Targets([r])[0], scores[chosen].Curves[i].Predicted[^1])).ToList();
            var inner = joint ? JointPlanLaw.Refit(training, options.FitOn, options.RunsTokensPerStep, options.Joint) : ConformalCalibration.FinalLoss(Create(name), fitOptions, IdentifiedFit);
            // One fit per set of runs: the anchored residuals below refit on the nested horizons' own sets. A run is keyed by its
            // name and its observed steps (count and last), since the pseudo step (variant P) fits runs cut to 1/R under their names.
            var fits = new System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Func<FitTarget, double>>>(StringComparer.Ordinal);
            Func<IReadOnlyList<FitTarget>, Func<FitTarget, double>> refit = runs =>
            {
                cancel.ThrowIfCancellationRequested();
                string key = string.Join("\n", runs.Select(r => Invariant($"{r.Name}\t{r.Steps.Length}\t{(r.Steps.Length == 0 ? 0 : r.Steps[^1])}")).Order(StringComparer.Ordinal));
                return fits.GetOrAdd(key, _ => new Lazy<Func<FitTarget, double>>(() => inner(runs))).Value;
            };
            var residuals = ConformalIntervalProvider.Residuals(Targets(training), refit, Targets(fitOn), heldOutPredictions);
            var horizon = HorizonBias.From(residuals, training);
            // Variant N (PlanOptions.SizeIntervals): the runs' own size extrapolations, only where the plan's size lies outside theirs
            // (a split the horizon bias does not read).
            bool sizeWidth = options.SizeIntervals && sizeOutside;
            if (sizeWidth) residuals.AddRange(ConformalCalibration.SizeNested(Targets(training), refit));
            bias = horizon;
            // Variant P (PlanOptions.PseudoStepIntervals): a pseudo horizon step at the plan's ratio, fitted only when X has one step.
            double fraction = ConformalIntervalProvider.PseudoStepFraction(training.Count == 0 ? double.NaN : (double)hp.Steps / training.Max(r => r.Steps));
            Func<(IReadOnlyList<CalibrationResidual>, HorizonBias)?>? pseudoStep = options.PseudoStepIntervals && !double.IsNaN(fraction) && fitOn.Count > 0
                ? () =>
                {
                    var real = horizon.Residuals.Select(r => r.Run).ToHashSet(StringComparer.Ordinal);
                    var steps = horizon.Residuals.Select(r => r.Horizon).ToHashSet();
                    var pseudo = ConformalIntervalProvider.PseudoStep(Targets(fitOn.Where(r => !steps.Contains(r.Steps))), refit, fraction, real);
                    if (pseudo.Count == 0) return null;
                    List<CalibrationResidual> all = [.. residuals, .. pseudo];
                    return (all, HorizonBias.WithPseudoStep(all, training));
                }
                : null;
            conformal = ConformalIntervalProvider.ForPlan(residuals, horizon, Invariant(
                $"split-conformal at {ConformalIntervalProvider.Level:0%} on {residuals.Count} out-of-sample final losses ({heldOutPredictions.Count} held-out longest runs, {residuals.Count(r => r.Split == "nested")} predicted from the runs of shorter horizons, {residuals.Count(r => r.Split.StartsWith("first", StringComparison.Ordinal))} from the first half of each run)"), options.HorizonBias,
                signed: options.SignedIntervals, finiteSample: options.FiniteSampleIntervals, centred: options.CentredIntervals, crossStep: options.CrossStepIntervals,
                pseudoStep: pseudoStep, shape: options.ShapeIntervals, size: sizeWidth);
            if (sizeWidth && conformal is { Calibration.SizeSeparate: true } sizedProvider)
                conformal = new ConformalIntervalProvider(sizedProvider.Calibration, sizedProvider.Protocol + Invariant(
                    $"; width growing with the size distance ln S by g_N = {sizedProvider.Calibration.SizeGrowth:0.###} ({(sizedProvider.Calibration.SizeGrowthFitted ? "fitted" : "its prior")}) on {residuals.Count(r => r.Split == "size-nested")} residuals predicted from the runs of smaller sizes"));
            // The anchored predictor's residuals (AnchoredLoss.Residuals): the same refit, one more fit at the longest horizon, made
            // only when the plan finds an anchor (Anchored), after the search: most plans far from the runs' peaks have none.
            anchored = new(() =>
            {
                Func<TrainingRun, double> Refit(IReadOnlyList<TrainingRun> runs)
                {
                    var predict = refit(Targets(runs));
                    return run => predict(Targets([run])[0]);
                }
                return options.AnchoredIntervalPairs ? AnchoredLoss.AllPairResiduals(training, options.FitOn, Refit) : AnchoredLoss.Residuals(training, options.FitOn, Refit);
            });
            return (conformal, bias, anchored);
        }

        // The chosen law's final fit and calibration refit, side by side. A speculative one (PlanFits.Speculating) stops on its token: before
        // each fit, and in every iteration of LawFitter's fits (FitOptions.Cancellation).
        (JointPlanLaw? Joint, LawFit Fit, ConformalIntervalProvider? Conformal, HorizonBias? Bias, Lazy<List<CalibrationResidual>>? Anchored, IReadOnlyList<UnidentifiedTerm> Unidentified) Second(int chosen, CancellationToken cancel)
        {
            (JointPlanLaw? Joint, LawFit Fit, IReadOnlyList<UnidentifiedTerm> Unidentified) fitted = default;
            (ConformalIntervalProvider? Conformal, HorizonBias? Bias, Lazy<List<CalibrationResidual>>? Anchored) calibrated = default;
            var second = new List<Action> { () => fitted = FinalFit(chosen, cancel, bounded: false) };
            if (calibrate) second.Add(() => calibrated = Calibration(chosen, cancel));
            PlanFits.All(options.ParallelFits, second);
            return (fitted.Joint, fitted.Fit!, calibrated.Conformal, calibrated.Bias, calibrated.Anchored, fitted.Unidentified!);
        }

        // The second stage starts early, for the law the finished checks choose, once only one check is left running (PlanFits.Speculating):
        // used only when that law is the one chosen from every check, so the plan is the same either way.
        var secondFor = PlanFits.Speculating(options.ParallelFits, first, others,
            done => done.Count == 0 ? -1
                : done.Count < scores.Length && options.EarlyPick is { } pick ? pick(done)
                : done[ChooseLaw([.. done.Select(i => scores[i])], lowest, highest, byCorrected: options.HorizonBias).Chosen], Second);
        var accuracy = scores.ToList();
        var (chosen, anyPhysical) = ChooseLaw(accuracy, lowest, highest, byCorrected: options.HorizonBias);
        if (accuracy.Count > 0 && !anyPhysical)
            warnings.Add(LossPlausibility.Warning("held-out", LossPlausibility.FirstNonPhysical(accuracy[chosen], lowest, highest), double.NaN, lowest, highest));
        if (heldOut.Count == 0) warnings.Add(new PlanWarning(WarningKind.NothingHeldOut));

        // The choice among the fitted laws (issue 10 item 5; docs/VALIDATION.md, "A physically bounded fallback ..."): the laws in the
        // order of the held-out choice (LawOrder; PlanOptions.Laws' order when nothing is held out), each fitted once, the first physical
        // one kept (Physical: its floor L0 >= 0 and its lowest final loss over the search's family stage at the target physical, by the
        // caller's probe); the plan is then made once from it. Only when none is: each law refitted with its floor held to the physical
        // range (PhysicalFloor), the first physical one kept, without an interval (the bound is a prior that no held-out run calibrates);
        // when none of those is either, the first law is kept with the loss withheld (PlanLaw.Physical false).
        var order = LawOrder(accuracy, options.Laws.Count, lowest, highest, options.HorizonBias);
        PlanLaw Candidate(int i, (JointPlanLaw? Joint, LawFit Fit, ConformalIntervalProvider? Conformal, HorizonBias? Bias, Lazy<List<CalibrationResidual>>? Anchored, IReadOnlyList<UnidentifiedTerm> Unidentified) parts, bool bounded) =>
            new(parts.Fit, modelSize, accuracy.Count == 0 || bounded ? null : accuracy[i], accuracy, training)
            {
                Option = options.Laws[i], Joint = parts.Joint, Conformal = parts.Conformal, Prior = prior, Bias = parts.Bias, AnchoredResiduals = parts.Anchored,
                Unidentified = parts.Unidentified, Index = i, Bounded = bounded,
                // Fitted only when a cross-LR anchor needs it (after the search), through the plan's joint fits (one fit per set of runs, cached).
                LrLaw = options.AnchorAcrossLr == AcrossLrAnchor.LrLaw ? new(() => JointPlanLaw.FitOn(training, options.FitOn, options.RunsTokensPerStep, fit: jointFits.Fit, options: options.Joint)) : null,
            };
        // Why a fitted law is not physical ("floor": L0 < 0; "target": its probed loss at the target), null when it is; its probed loss.
        (string? Why, double Predicted) Check(PlanLaw candidate)
        {
            double predicted = probe(candidate);
            return (PhysicalFloor.Of(candidate.Fit) < 0 ? "floor" : !LossPlausibility.IsPhysical(predicted, lowest, highest) ? "target" : null, predicted);
        }
        // A law kept after the first one tried (whose calibration ran beside its final fit) is calibrated once kept.
        PlanLaw CalibratedWhenKept(PlanLaw law)
        {
            if (!calibrate) return law;
            progress($"calibrating the interval: {law.Option} fitted on the runs of shorter horizons ({training.Count} runs)");
            var (conformal, bias, anchored) = Calibration(law.Index, CancellationToken.None);
            return law with { Conformal = conformal, Bias = bias, AnchoredResiduals = anchored };
        }
        var passedOver = new List<(PlanLaw Law, string Why, double Predicted)>();
        PlanLaw? kept = null;
        foreach (int i in order)
        {
            string name = options.Laws[i];
            bool isJoint = IsJoint(name);
            progress((passedOver.Count == 0 ? "" : $"{passedOver[^1].Law.Option} is not physical on these runs ({passedOver[^1].Why}): ")
                + $"fitting {name} on {training.Count} runs" + (sized || isJoint && JointPlanLaw.UsesSize(training) ? " across sizes" : ""));
            if (calibrate && passedOver.Count == 0) progress($"calibrating the interval: {name} fitted on the runs of shorter horizons ({training.Count} runs)");
            // The first law's final fit and calibration side by side (as chosen, usually kept); a later one's calibration only once kept.
            var candidate = passedOver.Count == 0 ? Candidate(i, secondFor(i), false) : Candidate(i, WithoutCalibration(FinalFit(i, CancellationToken.None, bounded: false)), false);   // not cancellable
            var (why, predicted) = Check(candidate);
            if (why is null)
            {
                kept = passedOver.Count == 0 ? candidate : CalibratedWhenKept(candidate);
                break;
            }
            passedOver.Add((candidate, why, predicted));
        }
        // None physical in both: the first law physical in one of them is kept, as before the bounded fallback, and the plan's own final
        // loss (after its guards) decides in Make: a law whose floor is negative while its probed loss at the target is physical (the
        // plan warns with its floor and raises its interval's upper end), or a law with a physical floor whose probed loss is not (the
        // probe is the lowest over the family stage, before the guards; Make withholds the final loss if it is not physical). The bounded
        // refit is for laws failing both: where a free fit's loss is physical, the refit's uncalibrated prior floor moved a protocol-6 plan
        // from -1.16% to -4.60% and cost it its interval, and a clean synthetic grid's plan lost its loss (docs/VALIDATION.md, "A
        // physically bounded fallback ...": designed after seeing those checks fail).
        PlanLaw? physicalInOne = null;
        if (kept is null && passedOver.FirstOrDefault(x => x.Why == "target" || LossPlausibility.IsPhysical(x.Predicted, lowest, highest)) is { Law: { } oneLaw })
        {
            physicalInOne = oneLaw;
            kept = ReferenceEquals(oneLaw, passedOver[0].Law) ? oneLaw : CalibratedWhenKept(oneLaw);
        }
        var boundedTried = new List<(PlanLaw Law, string Why, double Predicted)>();
        if (kept is null && !sized)
        {
            foreach (int i in order.Where(i => !IsJoint(options.Laws[i]) && PhysicalFloor.Bounded(LawCatalog.Create(options.Laws[i]), lowest) is not null))
            {
                progress(Invariant($"no law fitted is physical on these runs: fitting {options.Laws[i]} with its floor L0 held to [{PhysicalFloor.Lower}, {ScalingRules.G(lowest)}]"));
                var candidate = Candidate(i, WithoutCalibration(FinalFit(i, CancellationToken.None, bounded: true)), true);
                var (why, predicted) = Check(candidate);
                if (why is null)
                {
                    kept = candidate;
                    break;
                }
                boundedTried.Add((candidate, why, predicted));
            }
        }
        // None physical: the first bounded law (else the first law) plans the schedule, and the plan withholds its loss (Planner.Make).
        var planned = kept ?? (boundedTried.Count > 0 ? boundedTried[0].Law : passedOver[0].Law);
        kept ??= planned with { Physical = false };
        var fit = kept.Fit;
        var jointLaw = kept.Joint;
        // Terms the runs cannot identify (the joint law's decay only: its peak-LR and size terms have their own warnings).
        foreach (var term in kept.Unidentified.Where(t => jointLaw is null || t.Term == "noise"))
            warnings.Add(new PlanWarning(WarningKind.TermUnidentified) { Labels = [term.Term, .. term.Parameters], Detail = term.Describe() });
        // Runs that had stopped improving where the chosen schedule law still falls (StallCheck): warned; the plan is not changed.
        if (jointLaw is null)
            foreach (var stall in StallCheck.Of(fit, Targets(training)).Where(x => x.Stalled))
                warnings.Add(new PlanWarning(WarningKind.RunStalled)
                {
                    Labels = [stall.Curve], Detail = stall.Finding(fit.Law.Name)!,
                    Quantities = Qs(("fromStep", stall.FromStep), ("toStep", stall.ToStep), ("observedChange", stall.ObservedChange), ("lawChange", stall.LawChange),
                        ("noise", stall.Noise), ("critical", stall.Critical), ("level", stall.Level)),
                });
        // Every law passed over, with its reason (free fits first, then bounded ones), and the bounded floor when the plan's law has one.
        foreach (var (law, why, predicted) in passedOver.Concat(boundedTried).Where(x => !ReferenceEquals(x.Law, planned) && !ReferenceEquals(x.Law, physicalInOne)))
            warnings.Add(new PlanWarning(WarningKind.LawPassedOver)
            {
                Labels = [law.Option ?? law.Fit.Law.Name, kept.Option ?? fit.Law.Name, why],
                Quantities = Qs(("L0", PhysicalFloor.Of(law.Fit)), ("predicted", predicted), ("bounded", law.Bounded ? 1 : 0), ("planBounded", kept.Bounded ? 1 : 0)),
            });
        if (kept.Bounded)
        {
            double free = passedOver.FirstOrDefault(x => x.Law.Index == kept.Index).Law is { } unbounded ? PhysicalFloor.Of(unbounded.Fit) : double.NaN;
            warnings.Add(new PlanWarning(WarningKind.FloorBounded)
            {
                Labels = [kept.Option ?? fit.Law.Name],
                Quantities = Qs(("lower", PhysicalFloor.Lower), ("upper", lowest), ("freeL0", free), ("L0", PhysicalFloor.Of(fit)), ("physical", kept.Physical ? 1 : 0)),
            });
        }
        reasons.Add(new PlanReason(ReasonKind.Law, fit.Law.Name)
        {
            ChosenLabel = fit.Law.Name,
            Chosen = accuracy.Count == 0 ? double.NaN : accuracy[kept.Index].FinalError,
            Considered = [.. accuracy.Select(a => new ReasonOption(a.Law, a.CorrectedError, a.FinalError))],
            Quantities = Qs(("fitOn", fitOn.Count), ("heldOut", heldOut.Count), ("runs", training.Count), ("byCorrected", ByCorrected(accuracy, options.HorizonBias) ? 1 : 0)),
        });
        return kept;
    }

    /// <summary>A final fit's parts with no calibration (a law passed over, or refitted with a bounded floor: no interval).</summary>
    private static (JointPlanLaw? Joint, LawFit Fit, ConformalIntervalProvider? Conformal, HorizonBias? Bias, Lazy<List<CalibrationResidual>>? Anchored, IReadOnlyList<UnidentifiedTerm> Unidentified) WithoutCalibration(
        (JointPlanLaw? Joint, LawFit Fit, IReadOnlyList<UnidentifiedTerm> Unidentified) fitted) => (fitted.Joint, fitted.Fit, null, null, null, fitted.Unidentified);

    /// <summary>
    /// The laws in the order of the held-out choice: <see cref="ChooseLaw"/>'s pick, then its pick among the rest, and so on
    /// (the first is <see cref="ChooseLaw"/>'s); <paramref name="laws"/> in their given order when nothing was held out.
    /// </summary>
    internal static List<int> LawOrder(IReadOnlyList<LawAccuracy> accuracy, int laws, double lowestObserved, double highestObserved, bool byCorrected)
    {
        if (accuracy.Count == 0) return [.. Enumerable.Range(0, laws)];
        var left = Enumerable.Range(0, accuracy.Count).ToList();
        var order = new List<int>();
        while (left.Count > 0)
        {
            int pick = ChooseLaw([.. left.Select(i => accuracy[i])], lowestObserved, highestObserved, byCorrected).Chosen;
            order.Add(left[pick]);
            left.RemoveAt(pick);
        }
        return order;
    }

    /// <summary>
    /// The held-out choice of a law: the smallest held-out final-loss error among the laws whose held-out predictions are all
    /// physical (<see cref="LossPlausibility.IsPhysical"/>: finite, &gt; 0, &gt;= half the runs' lowest logged loss
    /// <paramref name="lowestObserved"/>, &lt;= twice their highest <paramref name="highestObserved"/>); only when no law is physical there, the smallest error among all (AnyPhysical false:
    /// the caller warns). The target's own prediction is checked after the search (<see cref="LossPlausibility.Check"/>). Index 0
    /// when nothing was held out.
    /// <para>With <paramref name="byCorrected"/> (the horizon-bias correction on) and every law's <see cref="LawAccuracy.CorrectedError"/>
    /// finite, the error compared is that one instead: what the correction leaves of each law's held-out final-loss errors, out of sample.</para>
    /// </summary>
    internal static (int Chosen, bool AnyPhysical) ChooseLaw(IReadOnlyList<LawAccuracy> accuracy, double lowestObserved, double highestObserved = double.NaN, bool byCorrected = false)
    {
        if (accuracy.Count == 0) return (0, true);
        bool corrected = ByCorrected(accuracy, byCorrected);
        double Error(LawAccuracy a) => corrected ? a.CorrectedError : a.FinalError;
        var all = accuracy.Select((a, i) => (a, i)).ToList();
        var physical = all.Where(x => LossPlausibility.HeldOutPhysical(x.a, lowestObserved, highestObserved)).ToList();
        var pool = physical.Count > 0 ? physical : all;
        return (pool.Where(x => double.IsFinite(Error(x.a))).DefaultIfEmpty(pool[0]).MinBy(x => Error(x.a)).i, physical.Count > 0);
    }

    /// <summary>The fitted value of <paramref name="fit"/>'s parameter <paramref name="name"/>; NaN when it has none.</summary>
    private static double Parameter(LawFit fit, string name)
    {
        int i = fit.Law.ParameterNames.ToList().IndexOf(name);
        return i >= 0 && i < fit.Parameters.Length ? fit.Parameters[i] : double.NaN;
    }

    /// <summary>True when the law choice compares the corrected errors: the correction is on and every law has one.</summary>
    private static bool ByCorrected(IReadOnlyList<LawAccuracy> accuracy, bool horizonBias) =>
        horizonBias && accuracy.Count > 0 && accuracy.All(a => double.IsFinite(a.CorrectedError));

    private static bool IsJoint(string name) => string.Equals(name, "joint", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The request's sequence length when it was not given (<see cref="PlanRequest.SequenceLengthFromRuns"/>): the one every run states
    /// (<see cref="RunMetadata.SequenceLength"/>) when they all state the same, with a reason; else the request's own (the default),
    /// with a warning when some run states a length (they differ, or some state none). A given length is kept as it is, no reason.
    /// </summary>
    internal static (PlanRequest Request, PlanReason? Reason, PlanWarning? Warning) SequenceLengthOf(PlanRequest request, IReadOnlyList<TrainingRun> runs)
    {
        if (!request.SequenceLengthFromRuns || runs.Count == 0) return (request, null, null);
        var stated = runs.Select(r => r.Metadata.SequenceLength).ToList();
        var lengths = stated.OfType<int>().Distinct().Order().ToList();
        if (lengths.Count == 0) return (request, null, null);
        int unstated = stated.Count(l => l is null);
        if (lengths.Count == 1 && unstated == 0)
            return (request with { SequenceLength = lengths[0] },
                new PlanReason(ReasonKind.SequenceLength, "the runs") { Chosen = lengths[0], Quantities = Qs(("runs", runs.Count), ("default", request.SequenceLength)) }, null);
        return (request, null, new PlanWarning(WarningKind.RunsSequenceLengthUnsettled)
        {
            Values = [.. lengths.Select(l => (double)l)],
            Quantities = Qs(("sequenceLength", request.SequenceLength), ("runs", runs.Count), ("unstated", unstated)),
        });
    }

    /// <summary>
    /// The held-out check's targets: each of <paramref name="heldOut"/> from step <paramref name="from"/> on (the first step any fitted
    /// run is fitted at), a target left with no point dropped. Earlier points would score the law backwards, towards S1 = 0 where a
    /// power law in the LR area grows without bound, which the plan never predicts: found on protocol 19, where two eval-only logs
    /// (validation losses from step 384) were fitted and a third log's training losses from step 31 held out (a prediction of 30.27,
    /// WorstE 272%). Runs logged on one step grid lose no point (the 400M, 1.3B and 124M grid plans are unchanged).
    /// </summary>
    internal static List<FitTarget> HeldOutFrom(IReadOnlyList<FitTarget> heldOut, int from) =>
        [.. heldOut.Select(t => t.Steps[0] >= from ? t : CutFrom(t, from)).Where(t => t.Steps.Length > 0)];

    private static FitTarget CutFrom(FitTarget t, int from)
    {
        int k = Array.FindIndex(t.Steps, s => s >= from);
        return k < 0 ? t with { Steps = [], Loss = [] } : t with { Steps = t.Steps[k..], Loss = t.Loss[k..] };
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

    private static void OptimizerWarnings(IReadOnlyList<TrainingRun> runs, PlanRequest request, List<PlanWarning> warnings)
    {
        var named = runs.Select(r => r.Metadata.Optimizer).Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (named.Count == 0)
            warnings.Add(new PlanWarning(WarningKind.OptimizerUnknown) { Labels = [request.Optimizer.Name()] });
        else if (!named.Any(o => string.Equals(o, request.Optimizer.Name(), StringComparison.OrdinalIgnoreCase)))
            warnings.Add(new PlanWarning(WarningKind.OptimizerMismatch)
            {
                Labels = [request.Optimizer.Name(), .. named],
                Detail = PublishedAnchors.FromAdamW(1, request.Optimizer, request.Parameters).Note,
            });
        if (named.Count > 1) warnings.Add(new PlanWarning(WarningKind.OptimizersMixed) { Labels = [.. named] });
    }

    /// <summary>The planner's fit of a schedule law (held-out check, calibration refits): <see cref="IdentifiedFitter.Fit"/>'s, as its final fit.</summary>
    private static LawFit IdentifiedFit(IFittableLaw law, IReadOnlyList<FitTarget> targets, FitOptions? options) =>
        IdentifiedFitter.Fit(law, targets, options).Fit;
}
