using System.Globalization;
using HyperLaws.Numerics;
using HyperLaws.Runs;

namespace HyperLaws.Readers.Internal;

/// <summary>The steps every reader shares: LR checks, divergence marking, building and validating the run.</summary>
internal static class RunAssembly
{
    internal static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    internal static string Fmt(double x) => x.ToString("R", Inv);

    /// <summary>
    /// Throws when a logged LR disagrees with the per-step LRs (relative tolerance, plus <paramref name="absTol"/> for loggers
    /// that print a fixed number of decimals; an absolute floor of 1e-12 times the largest LR lets a logged 0 match a computed 1e-20).
    /// </summary>
    internal static void CheckLoggedLrs(string file, double[] lrs, IEnumerable<LoggedLr> logged, double relTol, string what = "the reconstructed schedule", double absTol = 0)
    {
        double scale = 0;
        foreach (double x in lrs) scale = Math.Max(scale, Math.Abs(x));
        foreach (var l in logged)
        {
            if (l.Step < 1 || l.Step > lrs.Length)
                throw new RunFormatException(file, l.Where, $"a learning rate is logged at step {l.Step}, outside the run's steps 1..{lrs.Length}.");
            double want = lrs[l.Step - 1];
            double diff = Math.Abs(want - l.Lr);
            if (diff > absTol + relTol * Math.Max(Math.Abs(want), Math.Abs(l.Lr)) + 1e-12 * scale)
                throw new RunFormatException(file, l.Where,
                    $"logged learning rate {Fmt(l.Lr)} at step {l.Step} disagrees with {what} ({Fmt(want)}; relative difference {Fmt(diff / Math.Max(Math.Abs(want), Math.Abs(l.Lr)))}).");
        }
    }

    /// <summary>
    /// The per-step LRs of a schedule spec (<see cref="RunReadOptions.EvaluateSchedule"/>); a spec that does not parse or evaluate is
    /// reported at <paramref name="file"/>:<paramref name="where"/> as "invalid schedule 'SPEC': ...".
    /// </summary>
    internal static double[] EvaluateSchedule(RunReadOptions options, string spec, string file, string where, string? baseFolder = null)
    {
        try
        {
            return options.EvaluateSchedule(spec, baseFolder);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new RunFormatException(file, where, $"invalid schedule '{spec}': {e.Message}", e);
        }
    }

    /// <summary>Largest logged LR accepted: the bound the schedule specs put on a peak (1e6).</summary>
    internal const double MaxLr = 1e6;

    /// <summary>Checks one logged LR value (finite, in [0, <see cref="MaxLr"/>]).</summary>
    internal static void CheckLrValue(string file, string where, double lr)
    {
        if (!double.IsFinite(lr)) throw new RunFormatException(file, where, $"learning rate is {Fmt(lr)} (must be finite).");
        if (lr < 0) throw new RunFormatException(file, where, $"learning rate is negative ({Fmt(lr)}).");
        // The schedules' own bound (MaxPeak of the core's ScheduleChecks; no optimiser runs near it): a larger logged LR is a
        // corrupt value, and products of such LRs (the default peak grids of rank and contour) overflow to infinity or NaN.
        if (lr > MaxLr)
            throw new RunFormatException(file, where, $"learning rate {Fmt(lr)} is absurdly large (limit {Fmt(MaxLr)}).");
    }

    /// <summary>Checks a step read from a file against the sane range 1..maxStep (0 allowed when asked).</summary>
    internal static int CheckStep(string file, string where, double step, long maxStep, bool allowZero = false)
    {
        if (!double.IsFinite(step) || step != Math.Floor(step))
            throw new RunFormatException(file, where, $"step {Fmt(step)} is not a whole number.");
        if (step > maxStep || step > int.MaxValue)
            throw new RunFormatException(file, where, $"step {Fmt(step)} is absurdly large (limit {maxStep}).");
        if (step < (allowZero ? 0 : 1))
            throw new RunFormatException(file, where, $"step {Fmt(step)} is out of range (steps count from {(allowZero ? 0 : 1)}).");
        return (int)step;
    }

    /// <summary>
    /// Marks divergence and drops non-finite losses of a diverged tail. Per split, in step order: a
    /// non-finite loss before any finite one is an error; the first non-finite loss after a finite one, or
    /// the first loss above <paramref name="factor"/> x the running minimum, marks the run diverged at
    /// that step. Returns the kept observations sorted by (step, split).
    /// </summary>
    internal static (List<LossObservation> Kept, int? DivergedAt, string? Reason) ApplyDivergence(
        string file, IEnumerable<RawObservation> raw, double factor)
    {
        var kept = new List<LossObservation>();
        int? divergedAt = null;
        string? reason = null;
        foreach (var group in raw.GroupBy(o => o.Split))
        {
            double runMin = double.PositiveInfinity;
            foreach (var o in group.OrderBy(o => o.Step))
            {
                if (!double.IsFinite(o.Loss))
                {
                    if (double.IsPositiveInfinity(runMin))
                        throw new RunFormatException(file, o.Where, $"{SplitName(o.Split)} loss at step {o.Step} is {Fmt(o.Loss)} before any finite loss (a run cannot start diverged).");
                    if (divergedAt is null || o.Step < divergedAt)
                    {
                        divergedAt = o.Step;
                        reason = $"{SplitName(o.Split)} loss became {Fmt(o.Loss)}";
                    }
                    continue;
                }
                if (o.Loss < 0) throw new RunFormatException(file, o.Where, $"{SplitName(o.Split)} loss at step {o.Step} is negative ({Fmt(o.Loss)}).");
                // A loss of exactly 0 is no cross-entropy of a language model; every law divides by the loss (relative errors,
                // logs), so the fit would refuse it later, after its progress lines and without the file's line.
                if (o.Loss == 0) throw new RunFormatException(file, o.Where, $"{SplitName(o.Split)} loss at step {o.Step} is 0 (a language model's loss is positive).");
                if (o.Loss > factor * runMin && (divergedAt is null || o.Step < divergedAt))
                {
                    divergedAt = o.Step;
                    reason = $"{SplitName(o.Split)} loss {Fmt(o.Loss)} exceeds {Fmt(factor)}x its running minimum {Fmt(runMin)}";
                }
                runMin = Math.Min(runMin, o.Loss);
                kept.Add(new LossObservation(o.Step, o.Loss, o.Split));
            }
        }
        kept.Sort((a, b) => a.Step != b.Step ? a.Step.CompareTo(b.Step) : a.Split.CompareTo(b.Split));
        return (kept, divergedAt, reason);
    }

    /// <summary>Logged training losses the trailing-median divergence rule looks at together (<see cref="MedianDivergence"/>).</summary>
    internal const int DivergenceWindow = 21;

    /// <summary>
    /// The divergence rule on logged per-batch training losses: the first step whose trailing median (of the last
    /// <see cref="DivergenceWindow"/> finite losses) exceeds <paramref name="factor"/> x the running minimum of those medians.
    /// Not the raw rule: a minibatch loss is noisy. Fine-tuning logs (batch size 1 in one bundled file) rise to 1.6-2.3x their
    /// running minimum in runs that did not diverge, and the modded-nanogpt speedrun logs the last micro-batch of rank 0, whose
    /// loss jumps once to 1.5-1.6x its running minimum in all four optimizer runs of 2024-10-29 (one odd batch at step 946)
    /// and in both 1.5B runs; the medians of 21 of all these real logs stay under 1.2x.
    /// </summary>
    internal static (int Step, string Reason)? MedianDivergence(IEnumerable<RawObservation> raw, double factor)
    {
        var window = new Queue<double>(DivergenceWindow);
        double runMin = double.PositiveInfinity;
        foreach (var o in raw.OrderBy(o => o.Step))
        {
            if (!double.IsFinite(o.Loss)) continue;
            if (window.Count == DivergenceWindow) window.Dequeue();
            window.Enqueue(o.Loss);
            double median = Statistics.Median(window);
            if (median > factor * runMin)
                return (o.Step, $"train loss median {Fmt(median)} of the last {window.Count} logged exceeds {Fmt(factor)}x its running minimum {Fmt(runMin)}");
            runMin = Math.Min(runMin, median);
        }
        return null;
    }

    /// <summary>
    /// <see cref="Build"/> for logs of per-batch training losses: the plain factor rule on the validation losses, the
    /// trailing-median rule (<see cref="MedianDivergence"/>) on the training losses; a non-finite loss still marks divergence at once.
    /// </summary>
    internal static TrainingRun BuildWithTrainMedian(string file, RunMetadata meta, double[] lrs, IReadOnlyList<RawObservation> raw, double divergenceFactor)
    {
        var train = raw.Where(o => o.Split == LossSplit.Train).ToList();
        var median = MedianDivergence(train, divergenceFactor);
        // Validation losses: the plain rule, found by applying it to them alone (an error there surfaces the same way).
        var (_, valAt, valReason) = ApplyDivergence(file, raw.Where(o => o.Split != LossSplit.Train), divergenceFactor);
        (int Step, string Reason)? detected = median;
        if (valAt is { } v && (detected is null || v < detected.Value.Step)) detected = (v, valReason!);
        return Build(file, meta, lrs, raw, double.PositiveInfinity, detected);
    }

    internal static string SplitName(LossSplit s) => s == LossSplit.Train ? "train" : "validation";

    /// <summary>Parses a split name: train / val / valid / validation / eval / test (held-out).</summary>
    internal static LossSplit? ParseSplit(string s) => s.Trim().ToLowerInvariant() switch
    {
        "" or "train" or "training" => LossSplit.Train,
        "val" or "valid" or "validation" or "eval" or "evaluation" or "test" or "heldout" or "held-out" => LossSplit.Validation,
        _ => null,
    };

    /// <summary>
    /// Builds the run: applies the divergence rule (and takes <paramref name="detected"/>, a reader's own finding, when it
    /// is earlier), records it in the tags, validates (an invariant
    /// failure becomes a <see cref="RunFormatException"/> naming the file).
    /// </summary>
    internal static TrainingRun Build(string file, RunMetadata meta, double[] lrs, IEnumerable<RawObservation> raw, double divergenceFactor,
        (int Step, string Reason)? detected = null)
    {
        var (kept, divergedAt, reason) = ApplyDivergence(file, raw, divergenceFactor);
        if (detected is { } dd && (divergedAt is null || dd.Step < divergedAt))
        {
            // A divergence the reader found by its own documented rule (TrainerStateReader: on a trailing median).
            divergedAt = dd.Step;
            reason = dd.Reason;
        }
        var tags = new Dictionary<string, string>(meta.Tags);
        if (divergedAt is { } d)
        {
            tags["divergedAt"] = d.ToString(Inv);
            tags["divergenceReason"] = reason!;
        }
        // An observation at step s whose LR sum eta_1 + ... + eta_s is 0 is the initial model's loss (no update has moved the weights,
        // whatever the optimizer): the laws, functions of that sum, predict an infinite loss there and the fit fails on it. It happens
        // where the first update has LR 0 (a warmup from 0 indexed from 0, `offset=1`: AlgoPerf's evaluation at global_step 1, GPT-NeoX's
        // and the Trainer's first logged losses). Left out (counted in the tag untrainedObservations; the first training one becomes
        // initialLoss when the reader set none), as protocol 15 does (HyperLaws.Validation.CrossDataAlgoPerf.Trained).
        int firstTrained = Array.FindIndex(lrs, lr => lr > 0) + 1; // 0 when no step has an LR
        int untrained = firstTrained == 0 ? kept.Count : kept.Count(o => o.Step < firstTrained);
        if (untrained > 0)
        {
            if (untrained == kept.Count)
                throw new RunFormatException(file, "run", firstTrained == 0
                    ? "every learning rate of the run is 0, so no update moved the weights and no law can be fitted to it (the laws predict the loss from the sum of the LRs): is the LR column the right one?"
                    : $"every loss is logged before step {firstTrained.ToString(Inv)}, the first update with a nonzero learning rate: no point of the curve follows an update.");
            if (!tags.ContainsKey("initialLoss") && kept.Where(o => o.Split == LossSplit.Train && o.Step < firstTrained).Select(o => (LossObservation?)o).FirstOrDefault() is { } t)
                tags["initialLoss"] = Fmt(t.Loss);
            kept = [.. kept.Where(o => o.Step >= firstTrained)];
            tags[RunNote.UntrainedTag] = untrained.ToString(Inv);
        }
        var run = new TrainingRun(meta with { Tags = tags }, lrs, kept, divergedAt is not null);
        try
        {
            run.Validate();
        }
        catch (ArgumentException e)
        {
            throw new RunFormatException(file, "run", e.Message, e);
        }
        return run;
    }
}
