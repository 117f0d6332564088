using HyperLaws.Schedules;

namespace HyperLaws.Laws;

/// <summary>
/// A run's learning-rate history with the prefix sums every law needs, computed once:
/// S1(t) = sum_{k&lt;=t} eta_k (intrinsic time) and Q(t) = sum_{k&lt;=t} eta_k^2, both with compensated
/// (Neumaier) summation so long runs lose no precision. Index t runs 0..S with S1(0) = Q(0) = 0;
/// eta(t) is 1-based (eta(0) = 0, the LR "before" the first step).
/// </summary>
public sealed class ScheduleHistory
{
    private double[]? _lr;             // _lr[t] = eta_t, t = 0..S, _lr[0] = 0 (owned); a stretched history's: built on first use (Materialised)
    private readonly int _steps;       // S
    private readonly double[]? _source; // a stretched history (Stretched): the LRs it counts w-fold, eta_t = _source[StepEquivalence.SourceStep(t) - 1]
    private double[]? _s1;             // _s1[t] = S1(t), built on first use (Prefix)
    private double[]? _q;              // _q[t] = Q(t), built on first use (Squares)
    private readonly ScheduleHistory? _original; // the history this one is a Copy of (null: itself)

    /// <summary>The history of a run whose step t (1-based) used <paramref name="learningRates"/>[t - 1].</summary>
    public ScheduleHistory(ReadOnlySpan<double> learningRates)
        : this(WithLeadingZero(learningRates))
    {
    }

    /// <summary>Takes <paramref name="lr"/> as its own: lr[0] = 0, lr[t] = eta_t (no copy; the caller drops its reference).</summary>
    private ScheduleHistory(double[] lr)
    {
        int n = lr.Length - 1;
        if (n <= 0) throw new ArgumentException("The schedule has no steps.");
        CheckLrs(lr.AsSpan(1), 1);
        _lr = lr;
        _steps = n;
    }

    // Every LR finite and >= 0; etas[i] is step first + i's (the first bad one named by its step).
    private static void CheckLrs(ReadOnlySpan<double> etas, int first)
    {
        for (int i = 0; i < etas.Length; i++)
        {
            double eta = etas[i];
            if (!IsValidLr(eta)) throw new ArgumentException($"Learning rate at step {first + i} is {eta} (must be finite and >= 0).");
        }
    }

    // The test CheckLrs and AllValid share: finite and >= 0.
    private static bool IsValidLr(double eta) => double.IsFinite(eta) && eta >= 0;

    /// <summary>
    /// A history of <paramref name="stretchedSteps"/> steps, step t at the LR of step <see cref="StepEquivalence.SourceStep"/>(t) of
    /// <paramref name="source"/> (taken as its own), without the array of its steps: the walks that read it in order (<see cref="Etas"/>,
    /// <see cref="Eta"/>, the prefix sums) compute each step's LR from the source; a law that asks for the whole array (EtaSpan) gets
    /// it built once, the same doubles as <see cref="StepEquivalence.Stretch"/>'s.
    /// </summary>
    private ScheduleHistory(double[] source, int stretchedSteps)
    {
        if (stretchedSteps <= 0 || source.Length == 0) throw new ArgumentException("The schedule has no steps.");
        _source = source;
        _steps = stretchedSteps;
        // The same check as the array's (every step's LR, in step order), read chunk by chunk. Each step's LR is one of the source's
        // (StepEquivalence.SourceStep is within 1..S), so when every source LR is finite and >= 0 the check cannot fail and is not
        // run: the stretched steps (w-fold the source's: 685,031 for each reference shape of the 400M plan) are not computed for it
        // (issue 12, helper coldplan3). A bad source LR runs the check as before, which names the first bad stretched step.
        if (!AllValid(source))
            foreach (var (from, etas) in Chunks(1, _steps, stackalloc double[ChunkSteps])) CheckLrs(etas, from);
    }

    // Whether CheckLrs would pass every one of etas (also LrAxisPlanLaw.Peak's precondition, asserted in Debug builds).
    internal static bool AllValid(ReadOnlySpan<double> etas)
    {
        foreach (double eta in etas)
            if (!IsValidLr(eta)) return false;
        return true;
    }

    /// <summary>
    /// The history of <paramref name="source"/> counted on <paramref name="stretchedSteps"/> steps (<see cref="StepEquivalence.Stretch"/>'s
    /// LRs), kept as the source and computed step by step where a walk reads it (issue 12: a plan at another batch stretches each candidate
    /// schedule w-fold; OptLaw's walk and the prefix sums need no array of the stretched steps). Takes <paramref name="source"/> as its own.
    /// </summary>
    internal static ScheduleHistory Stretched(double[] source, int stretchedSteps) => new(source, stretchedSteps);

    /// <summary>Steps a stretched history's walk computes at a time (<see cref="Etas"/>; a stack buffer of 4 KB).</summary>
    internal const int ChunkSteps = 512;

    /// <summary>
    /// eta_from.. eta_to, or a first part of them: the history's own array from <paramref name="from"/> to <paramref name="to"/> when it
    /// has one, else the LRs of a stretched history's next steps (at most <paramref name="scratch"/>'s length) computed into
    /// <paramref name="scratch"/>. A walk reads on from <paramref name="from"/> plus the span's length until it has passed <paramref name="to"/>.
    /// </summary>
    internal ReadOnlySpan<double> Etas(int from, int to, Span<double> scratch)
    {
        if (Volatile.Read(ref _lr) is { } lr) return lr.AsSpan(from, to - from + 1);
        if (scratch.IsEmpty) return EtaSpan.Slice(from, to - from + 1);
        var into = scratch[..Math.Min(scratch.Length, to - from + 1)];
        StepEquivalence.Fill(_source!, _steps, from, into);
        return into;
    }

    /// <summary>A scratch buffer for <see cref="Etas"/> and <see cref="Chunks"/>: none for a history with its array, else <see cref="ChunkSteps"/> doubles.</summary>
    internal double[] ChunkScratch() => HasEtaArray ? [] : new double[ChunkSteps];

    /// <summary>
    /// eta_from.. eta_to in step order, chunk by chunk (<see cref="Etas"/>): <c>foreach (var (step, etas) in h.Chunks(from, to, scratch))</c>,
    /// etas[i] being eta at step + i (nothing when from &gt; to).
    /// </summary>
    internal EtaChunks Chunks(int from, int to, Span<double> scratch) => new(this, from, to, scratch);

    /// <summary>The enumerator of <see cref="Chunks"/>.</summary>
    internal ref struct EtaChunks
    {
        private readonly ScheduleHistory _history;
        private readonly int _to;
        private readonly Span<double> _scratch;
        private int _next;

        internal EtaChunks(ScheduleHistory history, int from, int to, Span<double> scratch)
        {
            _history = history;
            _next = from;
            _to = to;
            _scratch = scratch;
        }

        public EtaChunk Current { get; private set; }

        public readonly EtaChunks GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_next > _to) return false;
            var etas = _history.Etas(_next, _to, _scratch);
            Current = new EtaChunk(_next, etas);
            _next += etas.Length;
            return true;
        }
    }

    /// <summary>One chunk of <see cref="Chunks"/>: the LRs of steps From, From + 1, ...</summary>
    internal readonly ref struct EtaChunk(int from, ReadOnlySpan<double> etas)
    {
        public int From { get; } = from;

        public ReadOnlySpan<double> Etas { get; } = etas;

        public void Deconstruct(out int from, out ReadOnlySpan<double> etas)
        {
            from = From;
            etas = Etas;
        }
    }

    /// <summary>A stretched history's array of LRs (<see cref="Stretched"/>), built on the first ask of a law that reads it whole.</summary>
    private double[] Materialised()
    {
        if (Volatile.Read(ref _lr) is { } lr) return lr;
        var built = new double[_steps + 1];
        StepEquivalence.Fill(_source!, _steps, 1, built.AsSpan(1));
        return Interlocked.CompareExchange(ref _lr, built, null) ?? built;
    }

    /// <summary>
    /// S1's prefix sums, built on first use: a law that needs them only at a few steps may sum them in its own pass (the joint
    /// law's features do, <see cref="Joint.JointFeatures"/>), and the planner builds a history for every schedule it evaluates
    /// (10^5+ steps each: one pass and one large array fewer, issue 12). The same sums of the same values either way.
    /// </summary>
    private double[] Prefix()
    {
        if (Volatile.Read(ref _s1) is { } s1) return s1;
        var built = new double[_steps + 1];
        if (Volatile.Read(ref _lr) is { } lr)
            ScheduleMath.CumulativeSum(lr.AsSpan(1), built.AsSpan(1));
        else
        {
            // A stretched history without its array: the same Neumaier sums of the same LRs in the same order (CumulativeSum's loop).
            double sum = 0, compensation = 0;
            foreach (var (from, etas) in Chunks(1, _steps, stackalloc double[ChunkSteps]))
                for (int i = 0; i < etas.Length; i++)
                {
                    ScheduleMath.NeumaierAdd(ref sum, ref compensation, etas[i]);
                    built[from + i] = sum + compensation;
                }
        }
        return Interlocked.CompareExchange(ref _s1, built, null) ?? built;
    }

    /// <summary>A history that takes <paramref name="lr"/> as its own (lr[0] = 0, lr[t] = eta_t; no copy: the caller drops its reference).</summary>
    internal static ScheduleHistory Owning(double[] lr) => new(lr);

    /// <summary>
    /// A history of the same LRs with its own arrays and caches (the same S1 bit for bit: the same sums of the same values), linked to
    /// its <see cref="Original"/>: a law cache that is read-only once built (OptLaw's walk table) is kept on the original and shared.
    /// </summary>
    internal ScheduleHistory Copy() => _source is null ? new(EtaSpan[1..]) { Original = Original } : new(_source, _steps) { Original = Original };

    /// <summary>The history this one is a <see cref="Copy"/> of (a copy of a copy: the first), or itself: the same LRs.</summary>
    internal ScheduleHistory Original { get => _original ?? this; private init => _original = value; }

    private static double[] WithLeadingZero(ReadOnlySpan<double> learningRates)
    {
        if (learningRates.Length == 0) throw new ArgumentException("The schedule has no steps.");
        var lr = new double[learningRates.Length + 1];
        learningRates.CopyTo(lr.AsSpan(1));
        return lr;
    }

    /// <summary>
    /// The history of <paramref name="schedule"/> with every LR multiplied by <paramref name="factor"/>, written straight into
    /// the history's own array (the planner evaluates ~100 schedules of up to 10^6 steps: one array and one copy fewer each).
    /// The same values as <c>new ScheduleHistory(schedule.Evaluate() scaled)</c>.
    /// </summary>
    internal static ScheduleHistory Of(LrSchedule schedule, double factor = 1)
    {
        var lr = new double[schedule.Steps + 1];
        schedule.Evaluate(lr.AsSpan(1));
        if (factor != 1)
            for (int t = 1; t < lr.Length; t++) lr[t] *= factor;
        return new ScheduleHistory(lr);
    }

    /// <summary>
    /// Q's prefix sums, built on first use (only some laws need them; the planner builds a history for every schedule it
    /// evaluates): the squares written in place, then summed in place (each is read before its slot is written).
    /// </summary>
    private double[] Squares()
    {
        if (Volatile.Read(ref _q) is { } q) return q;
        var lr = EtaSpan;
        var built = new double[lr.Length];
        for (int t = 1; t < built.Length; t++) built[t] = lr[t] * lr[t];
        ScheduleMath.CumulativeSum(built.AsSpan(1), built.AsSpan(1));
        return Interlocked.CompareExchange(ref _q, built, null) ?? built;
    }

    /// <summary>Number of steps S.</summary>
    public int Steps => _steps;

    /// <summary>
    /// eta_t for t in 0..S (eta_0 = 0). A stretched history builds its array on the first read (the laws that read eta_t one step at a
    /// time read it millions of times: the convex bound's sums, MPL's drop tree); the walks that need no array read <see cref="Etas"/>.
    /// </summary>
    public double Eta(int t) => (_lr ?? Materialised())[t];

    /// <summary>Whether the history holds the array of its LRs (every history but a <see cref="Stretched"/> one before a law asked for it).</summary>
    internal bool HasEtaArray => Volatile.Read(ref _lr) is not null;

    /// <summary>Whether S1's prefix sums are built (a walk that passes every step may sum them itself instead: OptLaw's prediction).</summary>
    internal bool HasPrefixSums => Volatile.Read(ref _s1) is not null;

    /// <summary>S1(t) = sum of eta_1..eta_t.</summary>
    public double S1(int t) => (_s1 ?? Prefix())[t];

    /// <summary>Q(t) = sum of eta_1^2..eta_t^2.</summary>
    public double Q(int t) => (_q ?? Squares())[t];

    internal ReadOnlySpan<double> EtaSpan => _lr ?? Materialised();

    internal ReadOnlySpan<double> S1Span => _s1 ?? Prefix();

    /// <summary>Lazily built data a law caches per history (keyed by the law's own type).</summary>
    internal T Cache<T>(Func<ScheduleHistory, T> build) where T : class
    {
        lock (_caches)
        {
            if (_caches.TryGetValue(typeof(T), out var v)) return (T)v;
            var built = build(this);
            _caches[typeof(T)] = built;
            return built;
        }
    }

    private readonly Dictionary<Type, object> _caches = new();
}
