using System.Collections.Concurrent;
using System.Diagnostics;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Laws.Joint;
using HyperLaws.Schedules;

namespace HyperLaws.Planning;

/// <summary>
/// How a plan combines the law chosen for the time shape with the joint law's LR axis when the chosen law is not the joint
/// law and the runs cannot tell the LR axis (one peak LR). With s a schedule of peak eta and s_0 the same shape at the
/// reference peak eta_0 (the scaling rule's LR, which the chosen law reads as the runs' own LR):
/// <code>
/// L(s) = L_chosen(s_0) + [ J(s) - J(s_0) ]
/// </code>
/// with J the joint law fitted on the same runs with its kappa and C from the LR-axis prior (<see cref="JointPriorFit"/>). The
/// chosen law keeps what it was chosen for, the time shape (warmup, cooldown, family) at the LR its runs were trained at; the
/// move in peak LR away from it is the joint law's, whose loss turns up in LR. The chosen law is never asked at a peak its runs
/// did not see: its own LR response (LR only through progress) extrapolates without bound (tissue(N) at 70x its runs' LR
/// predicted a negative loss). At eta = eta_0 the plan's loss is the chosen law's.
/// The supported peaks are the chosen law's (its runs) widened to the prior's (<see cref="LrAxisPrior.Support"/>).
/// </summary>
public sealed class LrAxisPlanLaw : IExplainablePlanLaw
{
    /// <param name="timeShape">The chosen law.</param>
    /// <param name="axis">The joint law fitted on the same runs with the prior's LR axis.</param>
    /// <param name="referencePeak">eta_0, the peak at which the chosen law is asked.</param>
    /// <param name="priorLow">The prior's lowest supported peak at the target.</param>
    /// <param name="priorHigh">The prior's highest supported peak at the target.</param>
    public LrAxisPlanLaw(IPlanLaw timeShape, JointPlanLaw axis, double referencePeak, double priorLow, double priorHigh)
    {
        if (!(referencePeak > 0 && double.IsFinite(referencePeak))) throw new ArgumentException($"the reference peak must be positive (got {referencePeak}).");
        ReferencePeak = referencePeak;
        TimeShape = timeShape ?? throw new ArgumentNullException(nameof(timeShape));
        Axis = axis ?? throw new ArgumentNullException(nameof(axis));
        PriorLow = priorLow;
        PriorHigh = priorHigh;
    }

    /// <summary>The chosen law, asked at <see cref="ReferencePeak"/> for the time shape.</summary>
    public IPlanLaw TimeShape { get; }

    /// <summary>eta_0.</summary>
    public double ReferencePeak { get; }

    /// <summary>J, the joint law fitted on the same runs with its kappa and C from the LR-axis prior.</summary>
    public JointPlanLaw Axis { get; }

    /// <summary>The prior's lowest supported peak LR at the target.</summary>
    public double PriorLow { get; }

    /// <summary>The prior's highest supported peak LR at the target.</summary>
    public double PriorHigh { get; }

    /// <summary>The chosen law's name (it makes the plan; the LR axis is stated in the plan's reasons).</summary>
    public string Name => TimeShape.Name;

    /// <summary>
    /// L(s) = L_chosen(s_0) + J(s) - J(s_0), s_0 the schedule at peak <see cref="ReferencePeak"/>; the chosen law alone for a schedule
    /// with no positive LR. For the planner's families (constant, cosine, linear, wsd) whose LR peaks at their stated peak, s_0 is
    /// built from the family's formula at <see cref="ReferencePeak"/> with the same warmup, cooldown and final-LR fraction
    /// (<see cref="AtReference"/>), so every peak of one shape has the same s_0, and its two predictions (L_chosen(s_0), J(s_0)) are
    /// made once per shape (<see cref="ReferenceEvaluations"/>); any other schedule is rescaled step by step.
    /// <para>
    /// The two predictions of s_0 are made once per (shape, target) and read at any steps they were made at (<see cref="Memo"/>): an
    /// evaluation at the final step only (the contour's cells, the anchored loss) reads the curve's last point. A prediction at a step
    /// does not depend on the other steps asked with it (the laws walk the schedule once and read their running sums at each asked step;
    /// PlanEvaluatorTests), so a read is the prediction afresh bit for bit (LrAxisPlanLawReuseTests; issue 12). J(s) is made on every
    /// call: the plan's evaluator already predicts each schedule once (<see cref="PlanEvaluator"/>).
    /// </para>
    /// </summary>
    /// <inheritdoc/>
    public void Predict(LrSchedule schedule, PlanTarget target, ReadOnlySpan<int> steps, Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(target);
        var history = ScheduleHistory.Of(schedule);   // the schedule's LRs written once, straight into the history
        var lr = history.EtaSpan[1..];
        double peak = Peak(lr);
        if (!(peak > 0))
        {
            TimeShape.Predict(schedule, target, steps, output);
            return;
        }
        int[] at = steps.ToArray();
        double[] moved = AxisPredict(history, target, at), chosen, from;
        if (AtReference(schedule, peak) is { } shape)
        {
            // Pure functions of (shape, target): which thread makes each does not matter.
            string reference = shape.ToSpec();
            chosen = Memo(_chosen, reference, target, at, a => { var y = new double[a.Length]; TimeShape.Predict(shape, target, a, y); return y; });
            from = Memo(_from, reference, target, at, a => AxisPredict(ScheduleHistory.Of(shape), target, a));
        }
        else
        {
            var atReference = new double[lr.Length];
            for (int i = 0; i < atReference.Length; i++) atReference[i] = lr[i] * (ReferencePeak / peak);
            var table = new TableSchedule(atReference);
            chosen = new double[at.Length];
            TimeShape.Predict(table, target, at, chosen);
            from = AxisPredict(ScheduleHistory.Of(table), target, at);
        }
        for (int i = 0; i < output.Length; i++) output[i] = chosen[i];
        for (int i = 0; i < output.Length; i++) output[i] += moved[i] - from[i];
    }

    /// <summary>
    /// max(0, the largest of <paramref name="lr"/>), for a history's LRs (finite and &gt;= 0: <see cref="ScheduleHistory"/> checks them,
    /// asserted in Debug builds; a NaN would be skipped silently), four lanes at a time: the largest of finite values is the same in any
    /// order of comparison, so this is the running Math.Max's value bit for bit (+0 where every LR is zero, -0 included: each lane
    /// starts at +0 and -0 &gt; +0 is false; Math.Max(+0, -0) is +0 too). Four lanes instead of one Math.Max per step (193,346 a
    /// schedule in the 400M plan; issue 12, helper coldplan3).
    /// </summary>
    internal static double Peak(ReadOnlySpan<double> lr)
    {
        Debug.Assert(ScheduleHistory.AllValid(lr), "LrAxisPlanLaw.Peak takes a checked history's LRs (finite, >= 0).");
        double a = 0, b = 0, c = 0, d = 0;
        int i = 0;
        for (; i + 4 <= lr.Length; i += 4)
        {
            if (lr[i] > a) a = lr[i];
            if (lr[i + 1] > b) b = lr[i + 1];
            if (lr[i + 2] > c) c = lr[i + 2];
            if (lr[i + 3] > d) d = lr[i + 3];
        }
        for (; i < lr.Length; i++)
            if (lr[i] > a) a = lr[i];
        return Math.Max(Math.Max(a, b), Math.Max(c, d));
    }

    /// <summary>J at <paramref name="steps"/> of <paramref name="history"/> at the target's size and batch.</summary>
    private double[] AxisPredict(ScheduleHistory history, PlanTarget target, int[] steps)
    {
        var y = new double[steps.Length];
        // The intrinsic-time decays from an anchored exp (within a few ulps of exp's; plan numbers within a relative 1e-12, the
        // plan the same: docs/VALIDATION.md "J(s)'s decays from an anchored exp", issue 12).
        Axis.Law.Predict(Axis.Fit.Parameters, history, Axis.SizeAt(target), Axis.BatchAt(target), steps, y, 1, anchoredDecays: true);
        return y;
    }

    // (s_0's spec, target) -> the steps of its first evaluation and the predictions there: L_chosen(s_0) and J(s_0).
    private readonly ConcurrentDictionary<(string Spec, PlanTarget Target), Lazy<(int[] Steps, double[] Values)>> _chosen = new(), _from = new();

    /// <summary>How many distinct reference shapes were evaluated: L_chosen(s_0) once each.</summary>
    public int ReferenceEvaluations => _chosen.Count;

    private int _referencePredictions;

    /// <summary>How many predictions of s_0's parts (L_chosen(s_0), J(s_0): each counted) <see cref="Memo"/> made, kept or not.</summary>
    internal int ReferencePredictions => _referencePredictions;

    /// <summary>
    /// The predictions of the schedule of <paramref name="spec"/> at <paramref name="steps"/> (ascending): read from its first evaluation
    /// when that one was made at every one of them, else made by <paramref name="predict"/> (and not kept). The first evaluation of a
    /// key is made once, by <paramref name="predict"/> at the steps of whichever call made the key's entry; an entry whose evaluation
    /// threw is removed (the exception goes to that call's caller), so a later call makes it anew.
    /// </summary>
    private double[] Memo(ConcurrentDictionary<(string Spec, PlanTarget Target), Lazy<(int[] Steps, double[] Values)>> memo, string spec, PlanTarget target,
        int[] steps, Func<int[], double[]> predict)
    {
        double[] Made(int[] at)
        {
            Interlocked.Increment(ref _referencePredictions);
            return predict(at);
        }
        var key = (spec, target);
        var entry = memo.GetOrAdd(key, _ => new Lazy<(int[], double[])>(() => (steps, Made(steps))));
        (int[] Steps, double[] Values) first;
        try
        {
            first = entry.Value;
        }
        catch
        {
            memo.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
        var (kept, values) = first;
        if (ReferenceEquals(kept, steps)) return values;
        var y = new double[steps.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            int k = Array.BinarySearch(kept, steps[i]);
            if (k < 0) return Made(steps);
            y[i] = values[k];
        }
        return y;
    }

    /// <summary>
    /// s_0: <paramref name="schedule"/> of a planner family (constant, cosine, linear, wsd) built at <see cref="ReferencePeak"/> with the
    /// same steps, warmup (shape, offset, initial LR as a fraction of the peak), cooldown and final LR as a fraction of the peak; null
    /// for any other schedule, or one whose largest LR (<paramref name="peak"/>) is not its stated peak (no warmup step reaches it).
    /// </summary>
    internal LrSchedule? AtReference(LrSchedule schedule, double peak) =>
        schedule is WarmupSchedule w && w.Peak == peak ? WithPeak(schedule, ReferencePeak) : null;

    /// <summary>
    /// <paramref name="schedule"/> of a planner family (constant, cosine, linear, wsd) built at peak <paramref name="r"/> with the same
    /// steps, warmup (shape, offset, initial LR as a fraction of the peak), cooldown and final LR as a fraction of the peak: every LR
    /// x r / peak, as the families are linear in (peak, floor, warmup start); null for any other schedule or an invalid one.
    /// The final LR and the warmup's start are taken as fractions of the peak without their floating-point noise
    /// (<see cref="Numerics.Significant.WithoutNoise"/>): a planner schedule's floor is 0.1 x its peak rounded, so floor / peak differs from
    /// 0.1 in its last bit at some peaks, and every such peak would otherwise get an s_0 of its own, evaluated anew (issue 12, helper coldplan;
    /// docs/VALIDATION.md "The cold 400M plan under 3 s").
    /// </summary>
    internal static LrSchedule? WithPeak(LrSchedule schedule, double r)
    {
        if (schedule is not WarmupSchedule w || !(w.Peak > 0)) return null;
        double init = Fraction(w.WarmupInit, w.Peak) * r;
        try
        {
            return schedule switch
            {
                ConstantSchedule k => new ConstantSchedule(r, k.Steps, k.Warmup, k.WarmupShape, init, k.Offset),
                CosineSchedule c => new CosineSchedule(r, c.Steps, c.Warmup, Fraction(c.Floor, c.Peak) * r, c.WarmupShape, init, c.Offset),
                LinearSchedule l => new LinearSchedule(r, l.Steps, l.Warmup, Fraction(l.Floor, l.Peak) * r, l.WarmupShape, init, l.Offset),
                WsdSchedule d => new WsdSchedule(r, d.Steps, d.Warmup, d.Cooldown, d.CooldownSteps, d.Shape, Fraction(d.Floor, d.Peak) * r, d.WarmupShape, init, d.Offset),
                _ => null,
            };
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary><paramref name="value"/> / <paramref name="peak"/> without its floating-point noise: one fraction for every peak of a planner shape.</summary>
    internal static double Fraction(double value, double peak) => Numerics.Significant.WithoutNoise(value / peak);

    /// <summary>The chosen law's support widened to [<see cref="PriorLow"/>, <see cref="PriorHigh"/>], in the chosen law's run units.</summary>
    /// <inheritdoc/>
    public PeakSupport Support(PlanTarget target)
    {
        var inner = TimeShape.Support(target);
        double low = double.IsFinite(inner.Low) ? Math.Min(inner.Low, PriorLow) : PriorLow;
        double high = double.IsFinite(inner.High) ? Math.Max(inner.High, PriorHigh) : PriorHigh;
        return new PeakSupport(low, high, inner.RunUnitsPerTarget);
    }

    /// <summary>The chosen law's comparison when it explains itself (<see cref="IExplainablePlanLaw"/>), else null.</summary>
    /// <inheritdoc/>
    public IReadOnlyList<TermDifference>? Compare(LrSchedule winner, LrSchedule reference, PlanTarget target) =>
        TimeShape is IExplainablePlanLaw e ? e.Compare(winner, reference, target) : null;
}
