using System.Globalization;
using HyperLaws.Schedules;
using static System.FormattableString;

namespace HyperLaws.Planning.Sweeps;

/// <summary>
/// Designs the small-budget runs that calibrate the laws for a target run of N parameters on T tokens
/// (<see cref="Design"/>): an LR x batch grid with a WSD schedule at a few token budgets well below T, plus a schedule
/// arm (constant, cosine, a second WSD cooldown) at each budget's centre.
/// <list type="bullet">
/// <item>Centres: the published rule of <see cref="SweepOptions.Anchor"/> (Step Law by default) at (sweep N, D), carried
/// over to the optimizer (<see cref="PublishedAnchors.At"/>). The grid brackets it so the optimum is interior.</item>
/// <item>Budgets: <see cref="SweepOptions.BudgetCount"/> log-spaced ones in T/1000..T/100 (2 significant digits). At least
/// two are needed to fit the budget exponents of the LR and batch rules (the LMO theory's transfer rules are power laws
/// in T: eta* ~ T^a, B* ~ T^b), which is what <c>plan</c> calibrates; T/100 keeps the largest a hundredth of the target.</item>
/// <item>Batches: the anchor's batch in whole sequences, rounded to a power of two (in log space) or to a multiple,
/// then halved and doubled: B_j = B_c 2^(j - h), h = floor((points - 1)/2).</item>
/// <item>Learning rates: eta_i = eta* s^((2i - (k - 1))/(k - 1)), i = 0..k-1 (k points over x1/s..xs), 3 significant digits.</item>
/// <item>Steps S = round(D / batch tokens); warmup W = max(W_min, ceil(f S)); a run needs S - W &gt;= the minimum
/// steps after warmup, and every cooldown must fit after the warmup. A budget that fails this is refused.</item>
/// </list>
/// Runs come in a fixed order (budget, batch, LR, then the arm) with ids that depend only on that position.
/// </summary>
public static class SweepDesigner
{
    /// <summary>Plausible model sizes: 10 thousand to 10 trillion parameters.</summary>
    public const double MinParams = 1e4, MaxParams = 1e13;

    /// <summary>Plausible target budgets: a million to 10 quadrillion tokens.</summary>
    public const double MinTokens = 1e6, MaxTokens = 1e16;

    /// <summary>Caps on the layout: budgets, LRs and batches per sweep, and the sequence length in tokens.</summary>
    public const int MaxBudgetCount = 10, MaxLrPoints = 15, MaxBatchPoints = 7, MaxSequenceLength = 1 << 20;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Lays out the calibration sweep of <paramref name="options"/> (budgets, then batches and LRs per budget around the anchor's rule, with their schedules and cost).</summary>
    /// <exception cref="ArgumentException">An option out of range, or a target too small for a sweep; the message says which.</exception>
    public static SweepDesign Design(SweepOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        var o = options;
        double n = o.SweepParams ?? o.Params;
        var notes = new List<string>();
        var warnings = new List<string>();

        double smallest = SmallestBudget(o, n);
        var tokens = o.Budgets is { } given ? GivenBudgets(o, n, given, smallest, warnings) : DefaultBudgets(o, smallest, notes);
        if (tokens.Count == 1)
            warnings.Add("only one budget: the budget exponents of the LR and batch rules need at least two.");

        var budgets = new List<SweepBudget>();
        var runs = new List<SweepRun>();
        bool raised = false;
        for (int b = 0; b < tokens.Count; b++)
        {
            var budget = Budget(o, n, b + 1, tokens[b], ref raised);
            budgets.Add(budget);
            runs.AddRange(Runs(o, n, budget));
        }

        var anchor = budgets[0].Anchor;
        notes.Insert(0, $"centres: {anchor.Rule} at N = {G(n)} and each budget D ({o.Optimizer.Name()}){(anchor.Note.Length > 0 ? "; " + anchor.Note : "")}.");
        if (o.Budgets is null)
            notes.Add($"budgets: {tokens.Count} log-spaced in T/{Ratio(o.SmallestFraction)}..T/{Ratio(o.LargestFraction)} (2 significant digits): " +
                "two or more budgets fit the budget exponents of the LR and batch rules (the LMO transfer rules are power laws in T), which plan calibrates.");
        notes.Add($"grid: {o.LrPoints} learning rates log-spaced over x1/{G(o.LrSpan)}..x{G(o.LrSpan)} of the anchor (so the optimum is interior) " +
            $"x {o.BatchPoints} batches ({(o.BatchMultiple is { } m ? $"multiples of {m} sequences" : "powers of two in sequences")}, doubling).");
        if (raised)
            notes.Add("at some budgets the grid's smallest batch would be under one sequence (or one multiple): the batch centre was raised above the anchor so every batch is whole and distinct.");
        notes.Add($"schedules: the grid runs WSD with a {G(100 * o.Cooldown)}% linear cooldown to 0 (its stable phase doubles as a constant-LR curve, " +
            "its cooldown informs the law's decay term)" + (o.Arms.Count > 0
                ? $"; at each budget's centre LR and batch: {string.Join(", ", o.Arms.Select(a => ArmLabel(a, o)))} for the schedule-to-loss law."
                : "; no schedule arm."));
        notes.Add($"warmup: max({o.MinWarmup}, ceil({G(100 * o.WarmupFraction)}% of the steps)) steps, linear from 0; every run keeps at least {o.MinStepsAfterWarmup} steps after it " +
            $"(the smallest budget that fits every grid batch is {G(smallest)} tokens).");
        if (n < o.Params)
            notes.Add($"the runs use a smaller model (N = {G(n)}) than the target ({G(o.Params)}): they calibrate the budget exponents; the model-size exponent stays the anchor's.");

        double total = runs.Sum(r => r.Tokens), flops = runs.Sum(r => r.Flops);
        var cost = new SweepCost(total, flops, 6 * o.Params * o.Tokens, o.MaxComputeFraction);
        if (cost.Exceeds)
            warnings.Add($"the sweep costs {Pct(cost.Fraction)} of the target run's compute (6 N T), above {Pct(o.MaxComputeFraction)}: " +
                "use fewer budgets, fewer LR or batch points, smaller budgets or a smaller sweep model.");
        return new SweepDesign(o, n, budgets, runs, cost, smallest, notes, warnings);
    }

    /// <summary>The ids of the schedule arm's runs at budget <paramref name="budget"/> (<c>d1-constant</c>, <c>d1-wsd50</c>).</summary>
    public static string ArmId(int budget, SweepArm arm, double secondCooldown) => arm switch
    {
        SweepArm.Constant => $"d{budget}-constant",
        SweepArm.Cosine => $"d{budget}-cosine",
        _ => $"d{budget}-wsd{Math.Round(100 * secondCooldown, MidpointRounding.AwayFromZero).ToString(Inv)}",
    };

    /// <summary>The LR factors of a k-point grid over x1/s..xs: s^((2i - (k - 1))/(k - 1)).</summary>
    public static double[] LrFactors(int points, double span) =>
        [.. Enumerable.Range(0, points).Select(i => Math.Pow(span, (2.0 * i - (points - 1)) / (points - 1)))];

    /// <summary>
    /// The batch ladder (sequences, increasing) around <paramref name="rawSequences"/>: with no multiple, 2^(c + j - h),
    /// c = round(log2 raw) (nearest in log space); with a multiple m, m round(c_m 2^(j - h)), c_m = round(raw / m). The
    /// centre is raised when needed so the smallest rung is at least one sequence (one multiple): then rungs stay distinct.
    /// </summary>
    public static (int Centre, int[] Ladder, bool Raised) BatchLadder(double rawSequences, int points, int? multiple)
    {
        int h = (points - 1) / 2;
        if (multiple is not { } m)
        {
            int c = (int)Math.Round(Math.Log2(Math.Max(rawSequences, 1e-300)), MidpointRounding.AwayFromZero);
            bool raised = c < h;
            c = Math.Max(c, h);
            if (c - h + points - 1 > 30) throw new ArgumentException($"the batch ({G(rawSequences)} sequences) is too large for the ladder.");
            return (1 << c, [.. Enumerable.Range(0, points).Select(j => 1 << (c - h + j))], raised);
        }
        double cm = Math.Round(rawSequences / m, MidpointRounding.AwayFromZero);
        bool up = cm < 1 << h;
        cm = Math.Max(cm, 1 << h);
        var ladder = Enumerable.Range(0, points).Select(j => m * Math.Round(cm * Math.Pow(2, j - h), MidpointRounding.AwayFromZero)).ToArray();
        if (ladder[^1] > int.MaxValue) throw new ArgumentException($"the batch ({G(rawSequences)} sequences) is too large for the ladder.");
        return ((int)(m * cm), [.. ladder.Select(x => (int)x)], up);
    }

    /// <summary>W = max(W_min, ceil(f S)), at most S.</summary>
    public static int Warmup(SweepOptions options, int steps) =>
        Math.Min(steps, Math.Max(options.MinWarmup, (int)Math.Ceiling(options.WarmupFraction * steps - 1e-9)));

    /// <summary>
    /// The smallest token budget (2 significant digits) from which every budget up to T holds the warmup and the minimum
    /// steps at every grid batch (the batch ladder's rounding makes steps a sawtooth in D, so this is scanned down from T).
    /// </summary>
    public static double SmallestBudget(SweepOptions options, double sweepParams)
    {
        var (m, e) = TwoDigitsAtMost(options.Tokens);
        double last = double.NaN;
        while (e >= 0)
        {
            double d = TwoDigits(m, e);
            if (Shortfall(options, sweepParams, d) is not null) break;
            last = d;
            if (--m < 10) (m, e) = (99, e - 1);
        }
        if (double.IsNaN(last))
            throw new ArgumentException($"T = {G(options.Tokens)} tokens is too small for a sweep: {Shortfall(options, sweepParams, TwoDigits(m, e))}.");
        return last;
    }

    private static IReadOnlyList<double> DefaultBudgets(SweepOptions o, double smallest, List<string> notes)
    {
        double lo = Round(o.Tokens * o.SmallestFraction, 2), hi = Round(o.Tokens * o.LargestFraction, 2);
        if (lo < smallest)
        {
            notes.Add($"the smallest default budget T/{Ratio(o.SmallestFraction)} = {G(lo)} tokens is too small to hold the warmup plus {o.MinStepsAfterWarmup} steps at every grid batch: raised to {G(smallest)}.");
            lo = smallest;
        }
        if (o.BudgetCount == 1)
        {
            if (hi < smallest) throw TooSmall(o, smallest);
            return [hi];
        }
        if (hi < 2 * lo) throw TooSmall(o, smallest);
        var list = Enumerable.Range(0, o.BudgetCount)
            .Select(i => i == 0 ? lo : i == o.BudgetCount - 1 ? hi : Round(lo * Math.Pow(hi / lo, (double)i / (o.BudgetCount - 1)), 2))
            .Distinct().ToList();
        if (list.Count < o.BudgetCount)
            throw new ArgumentException($"{o.BudgetCount} budgets between {G(lo)} and {G(hi)} tokens do not stay distinct at 2 significant digits: ask for fewer.");
        return list;
    }

    private static ArgumentException TooSmall(SweepOptions o, double smallest) =>
        new($"T = {G(o.Tokens)} tokens is too small for the default budgets (T/{Ratio(o.SmallestFraction)}..T/{Ratio(o.LargestFraction)}): " +
            $"a run needs at least {G(smallest)} tokens to hold the warmup plus {o.MinStepsAfterWarmup} steps at every grid batch; give the budgets explicitly, or fewer batch points.");

    private static IReadOnlyList<double> GivenBudgets(SweepOptions o, double n, IReadOnlyList<double> given, double smallest, List<string> warnings)
    {
        if (given.Count == 0) throw new ArgumentException("give at least one budget.");
        if (given.Count > MaxBudgetCount) throw new ArgumentException($"at most {MaxBudgetCount} budgets (got {given.Count}).");
        foreach (double d in given)
        {
            if (!(d > 0) || !double.IsFinite(d)) throw Refused(d, "is not a positive number.");
            if (d >= o.Tokens) throw Refused(d, $"is not below the target's T = {G(o.Tokens)}: a calibration sweep runs well below it.");
            if (Shortfall(o, n, d) is { } why)
                throw Refused(d, $"is too small: {why} (every budget from {G(smallest)} tokens up fits).");
            if (d > o.Tokens / 10) warnings.Add($"budget {G(d)} tokens is T/{Ratio(d / o.Tokens)}: not well below the target.");
        }
        var sorted = given.Order().ToList();
        for (int i = 1; i < sorted.Count; i++)
            if (sorted[i] == sorted[i - 1]) throw Refused(sorted[i], "is given twice.");
        return sorted;
    }

    /// <summary>
    /// True when a published LR rule carries to <paramref name="optimizer"/>: AdamW (Step Law and DeepSeek are fitted on it) and signSGD
    /// (the LMO theory's stand-in for Adam: the same per-coordinate step). Muon and normalized SGD have none: the LMO rules of
    /// lmo-scaling.md give only how an LR tuned at one budget moves to another (their constants C1..C3 are unknown), not its level.
    /// </summary>
    public static bool HasPublishedRule(TrainingOptimizer optimizer) => optimizer is TrainingOptimizer.AdamW or TrainingOptimizer.SignSgd;

    /// <summary>
    /// True when a sweep for <paramref name="optimizer"/> can be centred without runs: the optimizers with a published rule
    /// (<see cref="HasPublishedRule"/>), and Muon, whose grid is then centred on AdamW's rule carried as is
    /// (<see cref="PublishedAnchors.FromAdamW"/>: the premise of Liu et al. 2025, Muon's update scaled to AdamW's RMS), the premise
    /// checked on Marin's 1.2b tables by a declared rule (docs/VALIDATION.md, "Planned LR for the optimizers Marin measured": the best
    /// LRs of Muon, NAdamW and SOAP within x2 of AdamW's in 11 of 12 cells, Muon's in 3 of 4). With Muon runs their best peak centres
    /// the grid, as before.
    /// </summary>
    public static bool CentresWithoutRuns(TrainingOptimizer optimizer) => HasPublishedRule(optimizer) || optimizer == TrainingOptimizer.Muon;

    /// <summary>
    /// Why a sweep for <paramref name="optimizer"/> (one without <see cref="HasPublishedRule"/>) needs runs (<see cref="SweepOptions.Evidence"/>);
    /// a front end adds what its user gives for them (the CLI: its runs option, or AdamW's optimizer).
    /// </summary>
    public static string NoRule(TrainingOptimizer optimizer) =>
        $"no published LR rule exists for {optimizer.Name()} (Step Law and DeepSeek are fitted on AdamW; the LMO rules only carry an LR tuned at one budget to another)";

    /// <summary>
    /// The grid's centre at budget <paramref name="d"/>: the published anchor where one carries to the optimizer; otherwise the runs' best peak
    /// eta0 at its tokens D0 carried to d by the LMO budget transfer at fixed momentum (lmo-scaling.md, Theorem 1: eta = eta0 (d/D0)^(-1/4),
    /// the batch tuned with the budget as the grid's batch is), with the anchor's batch; without usable runs a <see cref="SweepEvidenceException"/>.
    /// </summary>
    private static AnchorPoint Centre(SweepOptions o, double n, double d)
    {
        var anchor = PublishedAnchors.At(o.Anchor, n, d, o.Optimizer);
        if (HasPublishedRule(o.Optimizer) || o.Evidence is null && CentresWithoutRuns(o.Optimizer)) return anchor;
        string name = o.Optimizer.Name();
        if (o.Evidence is not { } e || !(e.BestPeak > 0))
            throw new SweepEvidenceException(NoRule(o.Optimizer), $"the sweep needs the evidence of {name} runs, whose best peak centres the grid", null);
        if (!(e.BestTokens > 0))
            throw new SweepEvidenceException($"the best of the runs ({e.BestRun}) has no tokens per step, so its budget is unknown", "give the run its tokens per step (a `# tokens_per_step:` line)", e.BestRun);
        double exponent = Theory.ScalingExponents.For(Theory.TuningRegime.FixedMomentum).LearningRate;
        double eta = e.BestPeak * Math.Pow(d / e.BestTokens, exponent);
        return new AnchorPoint($"the runs' evidence (best run {e.BestRun}: peak {G(e.BestPeak)} at {G(e.BestTokens)} tokens)", eta, anchor.BatchTokens, anchor.Momentum,
            Invariant($"carried to each budget by the LMO rule at fixed momentum, eta ~ D^{exponent:0.##} (lmo-scaling.md, Theorem 1); no published rule exists for {name}; batch from {anchor.Rule}"));
    }

    private static SweepBudget Budget(SweepOptions o, double n, int index, double d, ref bool raised)
    {
        var anchor = Centre(o, n, d);
        var (centre, ladder, up) = BatchLadder(anchor.BatchTokens / o.SequenceLength, o.BatchPoints, o.BatchMultiple);
        raised |= up;
        var lrs = LrFactors(o.LrPoints, o.LrSpan).Select(f => Round(anchor.LearningRate * f, 3)).ToList();
        return new SweepBudget(index, d, anchor, centre, ladder, lrs);
    }

    private static IEnumerable<SweepRun> Runs(SweepOptions o, double n, SweepBudget b)
    {
        double momentum = o.Momentum ?? b.Anchor.Momentum;
        var factors = LrFactors(o.LrPoints, o.LrSpan);
        for (int j = 0; j < b.BatchSequences.Count; j++)
        {
            int seqs = b.BatchSequences[j];
            int steps = Steps(o, b.Tokens, seqs);
            int warmup = Warmup(o, steps);
            for (int i = 0; i < b.LearningRates.Count; i++)
            {
                double lr = b.LearningRates[i];
                var schedule = new WsdSchedule(lr, steps, warmup, cooldown: o.Cooldown);
                yield return Run($"d{b.Index}-bs{j + 1}-lr{i + 1}", SweepPurpose.Grid, o, n, b, steps, seqs, lr, lr / b.Anchor.LearningRate, warmup, schedule, momentum);
            }
        }
        if (o.Arms.Count == 0) yield break;
        int cSteps = Steps(o, b.Tokens, b.CentreBatchSequences);
        int cWarmup = Warmup(o, cSteps);
        double cLr = Round(b.Anchor.LearningRate, 3);
        foreach (var arm in o.Arms)
        {
            LrSchedule schedule = arm switch
            {
                SweepArm.Constant => new ConstantSchedule(cLr, cSteps, cWarmup),
                SweepArm.Cosine => new CosineSchedule(cLr, cSteps, cWarmup),
                _ => new WsdSchedule(cLr, cSteps, cWarmup, cooldown: o.SecondCooldown),
            };
            yield return Run(ArmId(b.Index, arm, o.SecondCooldown), SweepPurpose.Schedule, o, n, b, cSteps, b.CentreBatchSequences, cLr, cLr / b.Anchor.LearningRate, cWarmup, schedule, momentum);
        }
    }

    private static SweepRun Run(string id, SweepPurpose purpose, SweepOptions o, double n, SweepBudget b, int steps, int seqs,
        double lr, double lrFactor, int warmup, LrSchedule schedule, double momentum) =>
        new(id, purpose, b.Index, n, (double)steps * seqs * o.SequenceLength, steps, o.SequenceLength, seqs, lr, lrFactor,
            (double)seqs * o.SequenceLength / b.Anchor.BatchTokens, warmup, schedule, momentum, o.Optimizer);

    /// <summary>S = round(D / (sequences x L)), checked against the largest schedule.</summary>
    private static int Steps(SweepOptions o, double d, int seqs)
    {
        double s = Math.Round(d / ((double)seqs * o.SequenceLength), MidpointRounding.AwayFromZero);
        if (s > LrSchedule.MaxSteps)
            throw new ArgumentException($"budget {G(d)} tokens gives {G(s)} steps at {seqs} sequences of {o.SequenceLength} tokens, more than the {G(LrSchedule.MaxSteps)} a schedule may have.");
        return (int)s;
    }

    /// <summary>Why budget <paramref name="d"/> cannot hold every grid run, or null when it can.</summary>
    private static string? Shortfall(SweepOptions o, double n, double d)
    {
        var anchor = PublishedAnchors.At(o.Anchor, n, d, o.Optimizer);
        var (_, ladder, _) = BatchLadder(anchor.BatchTokens / o.SequenceLength, o.BatchPoints, o.BatchMultiple);
        foreach (int seqs in ladder.Reverse())
        {
            double s = Math.Round(d / ((double)seqs * o.SequenceLength), MidpointRounding.AwayFromZero);
            if (s > LrSchedule.MaxSteps) continue; // too many steps is reported when the runs are built
            int steps = (int)s, warmup = Warmup(o, steps);
            int cooldown = CooldownSteps(Math.Max(o.Cooldown, o.Arms.Contains(SweepArm.Wsd) ? o.SecondCooldown : 0), steps);
            if (steps - warmup < o.MinStepsAfterWarmup || warmup + cooldown > steps)
                return $"at a batch of {seqs} x {o.SequenceLength} tokens it gives {steps} steps, fewer than the warmup ({warmup}) plus {Math.Max(o.MinStepsAfterWarmup, cooldown)}";
        }
        return null;
    }

    private static int CooldownSteps(double fraction, int steps) => Math.Max(1, (int)Math.Round(fraction * steps, MidpointRounding.AwayFromZero));

    private static void Check(SweepOptions o)
    {
        if (!(o.Params >= MinParams && o.Params <= MaxParams))
            throw new ArgumentException($"the model size N = {G(o.Params)} is not plausible (give {G(MinParams)}..{G(MaxParams)} parameters).");
        if (!(o.Tokens >= MinTokens && o.Tokens <= MaxTokens))
            throw new ArgumentException($"the target budget T = {G(o.Tokens)} tokens is not plausible (give {G(MinTokens)}..{G(MaxTokens)}).");
        if (o.SequenceLength < 1 || o.SequenceLength > MaxSequenceLength)
            throw new ArgumentException($"the sequence length must be in 1..{MaxSequenceLength} tokens (got {o.SequenceLength}).");
        if (o.SweepParams is { } sp && !(sp >= MinParams && sp <= o.Params))
            throw new ArgumentException($"the sweep model size {G(sp)} must be in {G(MinParams)}..N = {G(o.Params)} (a calibration sweep runs the target's model or a smaller one).");
        if (o.BudgetCount < 1 || o.BudgetCount > MaxBudgetCount)
            throw new ArgumentException($"the number of budgets must be in 1..{MaxBudgetCount} (got {o.BudgetCount}).");
        if (!(o.SmallestFraction > 0 && o.SmallestFraction < o.LargestFraction && o.LargestFraction < 1))
            throw new ArgumentException($"the default budgets' fractions of T must satisfy 0 < smallest < largest < 1 (got {G(o.SmallestFraction)}, {G(o.LargestFraction)}).");
        if (o.LrPoints < 3 || o.LrPoints > MaxLrPoints)
            throw new ArgumentException($"the LR grid needs 3..{MaxLrPoints} points, so a minimum can be located (got {o.LrPoints}).");
        if (!(o.LrSpan > 1 && o.LrSpan <= 100))
            throw new ArgumentException($"the LR span must be in (1, 100]: the grid covers x1/span..xspan of the anchor (got {G(o.LrSpan)}).");
        if (o.BatchPoints < 1 || o.BatchPoints > MaxBatchPoints)
            throw new ArgumentException($"the batch grid needs 1..{MaxBatchPoints} points (got {o.BatchPoints}).");
        if (o.BatchMultiple is { } m && (m < 1 || m > MaxSequenceLength))
            throw new ArgumentException($"the batch multiple must be in 1..{MaxSequenceLength} sequences (got {m}).");
        if (!(o.WarmupFraction >= 0 && o.WarmupFraction <= 0.5))
            throw new ArgumentException($"the warmup fraction must be in [0, 0.5] (got {G(o.WarmupFraction)}).");
        if (o.MinWarmup < 0 || o.MinWarmup > 1_000_000)
            throw new ArgumentException($"the minimum warmup must be in 0..1000000 steps (got {o.MinWarmup}).");
        if (o.MinStepsAfterWarmup < 1 || o.MinStepsAfterWarmup > 10_000_000)
            throw new ArgumentException($"the minimum steps after warmup must be in 1..10000000 (got {o.MinStepsAfterWarmup}).");
        if (!(o.Cooldown > 0 && o.Cooldown <= 0.9))
            throw new ArgumentException($"the cooldown must be a fraction of the run in (0, 0.9] (got {G(o.Cooldown)}).");
        if (!(o.SecondCooldown > 0 && o.SecondCooldown <= 0.9))
            throw new ArgumentException($"the second cooldown must be a fraction of the run in (0, 0.9] (got {G(o.SecondCooldown)}).");
        if (o.Arms.Distinct().Count() != o.Arms.Count) throw new ArgumentException("each schedule of the arm may be given once.");
        if (o.Arms.Any(a => !Enum.IsDefined(a))) throw new ArgumentException("unknown schedule in the arm.");
        if (o.Arms.Contains(SweepArm.Wsd) && Math.Abs(o.SecondCooldown - o.Cooldown) < 1e-9)
            throw new ArgumentException($"the second cooldown ({G(o.SecondCooldown)}) must differ from the grid's ({G(o.Cooldown)}): the arm's WSD run adds a second cooldown length.");
        if (o.Momentum is { } beta && !(beta >= 0 && beta < 1))
            throw new ArgumentException($"the momentum must be in [0, 1) (got {G(beta)}).");
        if (!(o.MaxComputeFraction > 0) || !double.IsFinite(o.MaxComputeFraction))
            throw new ArgumentException($"the compute threshold must be a positive fraction (got {G(o.MaxComputeFraction)}).");
        if (!Enum.IsDefined(o.Optimizer)) throw new ArgumentException("unknown optimizer.");
        ArgumentNullException.ThrowIfNull(o.Anchor);
    }

    private static string ArmLabel(SweepArm a, SweepOptions o) => a switch
    {
        SweepArm.Constant => "constant",
        SweepArm.Cosine => "cosine to 0",
        _ => $"WSD with a {G(100 * o.SecondCooldown)}% cooldown",
    };

    /// <summary>x to <paramref name="digits"/> significant digits, as the shortest decimal (6.17e-4, not 6.1700000000000001e-4).</summary>
    internal static double Round(double x, int digits) => double.Parse(x.ToString("G" + digits, Inv), Inv);

    /// <summary>The largest m 10^e &lt;= x with 10 &lt;= m &lt;= 99.</summary>
    private static (int M, int E) TwoDigitsAtMost(double x)
    {
        int e = (int)Math.Floor(Math.Log10(x)) - 1;
        int m = (int)Math.Floor(x / Math.Pow(10, e) + 1e-9);
        if (m > 99) (m, e) = (m / 10, e + 1);
        while (TwoDigits(m, e) > x) if (--m < 10) (m, e) = (99, e - 1);
        return (m, e);
    }

    private static double TwoDigits(int m, int e) => double.Parse($"{m}e{e}", Inv);

    private static SweepBudgetException Refused(double budget, string problem) => new(budget, G(budget), problem);

    /// <summary>3 significant digits, an exponent written short and lowercase ("1e3", "2.5e-4"), never .NET's "1E+03".</summary>
    private static string G(double x) => ShortExponent.Of(x.ToString("G3", Inv));

    /// <summary>1/f as a plain number (1000, 316.2).</summary>
    private static string Ratio(double f) => (1 / f).ToString("0.#", Inv);

    private static string Pct(double f) => (100 * f).ToString("0.#", Inv) + "%";
}
