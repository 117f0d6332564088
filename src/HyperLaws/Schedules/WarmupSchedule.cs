using static HyperLaws.Schedules.ScheduleChecks;

namespace HyperLaws.Schedules;

/// <summary>
/// A parametric family with a peak LR and a warmup: the common part of constant, linear, cosine, wsd,
/// multistep, invsqrt and fourphase. With virtual step k = t - <see cref="Offset"/>:
/// <list type="bullet">
/// <item>k = 1..W: the warmup (<see cref="Schedules.WarmupShape"/>) from <see cref="WarmupInit"/> to
/// <see cref="Peak"/>; linear: eta = init + (peak - init) k / W, so eta_W = peak and, with init 0, eta_1 = peak / W;</item>
/// <item>k = W+1..S: the family's main phase, with progress p = (k - W) / (S - W) in (0, 1];</item>
/// <item>k &lt;= 0 (only with an offset): the warmup's value at k = 0 (init), or the main phase at p = 0 when W = 0.</item>
/// </list>
/// <see cref="Offset"/> d delays the whole formula by d steps (eta_t = g(t - d)): d = 1 reproduces
/// schedulers that are indexed from 0 (PyTorch LambdaLR: the t-th update uses lambda(t - 1)).
/// </summary>
public abstract record WarmupSchedule : LrSchedule
{
    private protected WarmupSchedule(ScheduleFamily family, double peak, int steps, int warmup, WarmupShape warmupShape, double warmupInit, int offset)
    {
        Peak = ScheduleChecks.Peak(family.Name, peak);
        Steps = ScheduleChecks.Steps(family.Name, steps);
        if (warmup < 0 || warmup > steps) throw Fail(family.Name, "warmup", $"must be in [0, steps = {steps}]", warmup.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Warmup = warmup;
        if (!Enum.IsDefined(warmupShape)) throw Fail(family.Name, "warmupShape", "must be linear or cosine", warmupShape.ToString());
        WarmupShape = warmupShape;
        WarmupInit = InRange(family.Name, "warmupInit", warmupInit, 0, peak, "[0, peak]");
        Offset = IntInRange(family.Name, "offset", offset, 0, steps - 1, "[0, steps - 1]");
    }

    /// <summary>The peak LR (&gt; 0), reached at the end of the warmup.</summary>
    public double Peak { get; }

    /// <inheritdoc/>
    public sealed override int Steps { get; }

    /// <summary>W, the number of warmup steps (0..S).</summary>
    public int Warmup { get; }

    /// <summary>The shape of the warmup ramp.</summary>
    public WarmupShape WarmupShape { get; }

    /// <summary>The LR the warmup starts from (0..peak; default 0).</summary>
    public double WarmupInit { get; }

    /// <summary>A delay d &gt;= 0 of the whole formula: eta_t = g(t - d).</summary>
    public int Offset { get; }

    /// <summary>The main phase at virtual step k (W &lt; k &lt;= S, or k = W = 0).</summary>
    private protected abstract double MainAt(int k);

    /// <summary>Main-phase fields in canonical order (after peak, steps, warmup).</summary>
    private protected abstract void AddFields(List<KeyValuePair<string, SpecValue>> fields);

    internal sealed override double AtCore(int step) => ValueAt(step, WarmupInit);

    internal sealed override void EvaluateCore(Span<double> destination) => Fill(destination, WarmupInit);

    /// <summary>eta_t with the warmup starting from <paramref name="init"/> (used by re-warming continuations).</summary>
    internal double ValueAt(int t, double init)
    {
        int k = t - Offset;
        if (k > Warmup) return MainAt(k);
        if (Warmup == 0) return MainAt(0);
        return WarmupAt(Math.Max(k, 0), init);
    }

    internal void Fill(Span<double> destination, double init)
    {
        int i = 0;
        int warmupEnd = Math.Min(Steps, Warmup + Offset); // steps t <= W + d are in the warmup (or before it)
        for (; i < warmupEnd; i++) destination[i] = ValueAt(i + 1, init);
        if (i < destination.Length) FillMain(destination[i..], i + 1 - Offset);
    }

    /// <summary>The main phase's LRs at virtual steps <paramref name="firstK"/>, <paramref name="firstK"/> + 1, ... into <paramref name="destination"/> (<see cref="MainAt"/> each; a family may fill them faster with the same values).</summary>
    private protected virtual void FillMain(Span<double> destination, int firstK)
    {
        for (int j = 0; j < destination.Length; j++) destination[j] = MainAt(firstK + j);
    }

    private double WarmupAt(int k, double init)
    {
        if (k >= Warmup) return Peak; // exactly, whatever the rounding of the ramp
        if (WarmupShape == WarmupShape.Linear) return init + (Peak - init) * k / Warmup;
        // Cosine (OneCycleLR): peak + (init - peak)(1 + cos(pi (k - 1)/(W - 1)))/2, k = 1..W.
        if (k <= 1) return init;
        return Peak + (init - Peak) * (1 + Math.Cos(Math.PI * (k - 1) / (Warmup - 1))) / 2;
    }

    internal sealed override SpecNode ToNode()
    {
        var fields = new List<KeyValuePair<string, SpecValue>>
        {
            new("peak", SpecValue.Number(Peak)),
            new("steps", SpecValue.Number(Steps)),
            new("warmup", SpecValue.Number(Warmup)),
        };
        AddFields(fields);
        if (WarmupShape != WarmupShape.Linear) fields.Add(new("warmupShape", SpecValue.Word(Name(WarmupShape))));
        if (WarmupInit != 0) fields.Add(new("warmupInit", SpecValue.Number(WarmupInit)));
        if (Offset != 0) fields.Add(new("offset", SpecValue.Number(Offset)));
        return new SpecNode(Family.Name, fields);
    }

    /// <summary>Progress p = (k - W) / (S - W) of the main phase (0 when W = S).</summary>
    private protected double Progress(int k) => Steps == Warmup ? 0 : (double)(k - Warmup) / (Steps - Warmup);
}
