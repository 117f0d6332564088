using HyperLaws.Laws;
using HyperLaws.Planning;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// <see cref="LrAxisPlanLaw"/>'s reuse of s_0 (the schedule at the reference peak): L(s) = L_chosen(s_0) + J(s) - J(s_0) with s_0 built
/// from the family's formula at the reference peak, its two predictions made once per shape. The reused value must be
/// the formula computed afresh bit for bit, whatever the order or the threads; and the old s_0 (the schedule's LRs rescaled step by
/// step) must give the same loss to rounding.
/// </summary>
public sealed class LrAxisPlanLawReuseTests
{
    private static readonly Lazy<(LrAxisPlanLaw Law, PlanTarget Target)> Combined = new(() =>
    {
        var plan = Planner.Make(new PlanRequest(25e6, 1e10, TrainingOptimizer.AdamW), [.. LrAxisPlanTests.Mpl25().Where(r => r.Steps <= 24000)],
            new PlanOptions { Laws = ["tissue"], Calibrate = false, LrPrior = LrAxisPlanTests.Shipped });
        // The 24k-step runs and a short plan (about 20k steps) keep the test fast; the law predicts at any target.
        var target = plan.Target! with { Steps = 20_000, Tokens = 20_000 * plan.Target!.BatchTokens };
        return (Assert.IsType<LrAxisPlanLaw>(plan.Model), target);
    });

    [Fact]
    public void The_peak_of_a_history_s_lrs_is_the_running_math_max()
    {
        // LrAxisPlanLaw.Peak compares four lanes at a time (issue 12): over LRs that are finite and >= 0 (a history's), the same value as
        // the running Math.Max from 0 it replaced, bit for bit: where every LR is zero (+0 or -0), +0 as Math.Max gives.
        var rng = new Random(12);
        for (int round = 0; round < 500; round++)
        {
            int n = rng.Next(1, 40);
            var lr = new double[n];
            for (int i = 0; i < n; i++)
                lr[i] = rng.Next(5) switch { 0 => 0.0, 1 => -0.0, 2 => 1e-3, _ => rng.NextDouble() * Math.Pow(10, -rng.Next(1, 8)) };
            double expected = 0;
            foreach (double x in lr) expected = Math.Max(expected, x);
            double actual = LrAxisPlanLaw.Peak(lr);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
        }
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.0), BitConverter.DoubleToInt64Bits(LrAxisPlanLaw.Peak([-0.0, -0.0, -0.0, -0.0, -0.0])));
        var cosine = new CosineSchedule(6e-4, 193_346, 2158, 6e-5).Evaluate();
        Assert.Equal(cosine.Max(), LrAxisPlanLaw.Peak(cosine));
    }

    /// <summary>A fresh law with the same parts (an empty reuse table).</summary>
    internal static LrAxisPlanLaw Fresh(LrAxisPlanLaw law) => new(law.TimeShape, law.Axis, law.ReferencePeak, law.PriorLow, law.PriorHigh);

    /// <summary>The formula afresh: L_chosen(s_0) + (J(s) - J(s_0)), s_0 given.</summary>
    private static double[] Formula(LrAxisPlanLaw law, LrSchedule s, LrSchedule s0, PlanTarget target, int[] steps)
    {
        var chosen = new double[steps.Length];
        var moved = new double[steps.Length];
        var from = new double[steps.Length];
        law.TimeShape.Predict(s0, target, steps, chosen);
        law.Axis.Law.Predict(law.Axis.Fit.Parameters, new ScheduleHistory(s.Evaluate()), law.Axis.SizeAt(target), law.Axis.BatchAt(target), steps, moved, 1, anchoredDecays: true);
        law.Axis.Law.Predict(law.Axis.Fit.Parameters, new ScheduleHistory(s0.Evaluate()), law.Axis.SizeAt(target), law.Axis.BatchAt(target), steps, from, 1, anchoredDecays: true);
        for (int i = 0; i < steps.Length; i++) chosen[i] += moved[i] - from[i];
        return chosen;
    }

    /// <summary>The floor of each of <see cref="Shapes"/> as the fraction of its peak written there.</summary>
    private static readonly double[] FloorFractions = [0, 0.1, 0.1, 0, 0.05, 0];

    private static IEnumerable<LrSchedule> Shapes(int steps, double peak) =>
    [
        new CosineSchedule(peak, steps, 100, 0),
        new CosineSchedule(peak, steps, 100, 0.1 * peak),
        new LinearSchedule(peak, steps, 30, 0.1 * peak),
        new WsdSchedule(peak, steps, 50, cooldown: 0.2, floor: 0),
        new WsdSchedule(peak, steps, 50, cooldownSteps: 700, shape: CooldownShape.Sqrt, floor: 0.05 * peak),
        new ConstantSchedule(peak, steps, 20),
    ];

    [Fact]
    public void Every_peak_of_a_shape_is_the_formula_with_s0_at_the_reference_peak_bit_for_bit_and_s0_is_evaluated_once()
    {
        var (law0, target) = Combined.Value;
        var law = Fresh(law0);
        int[] steps = [target.Steps / 3, target.Steps];
        double[] peaks = [law.ReferencePeak / 7.3, law.ReferencePeak, law.ReferencePeak * 3.3];
        var references = new HashSet<string>(StringComparer.Ordinal);
        Assert.Equal(FloorFractions.Length, Shapes(target.Steps, 1e-3).Count());
        foreach (var (shape, fraction) in Shapes(target.Steps, 1e-3).Zip(FloorFractions, (s, f) => (s, f)))
        {
            var own = new HashSet<string>(StringComparer.Ordinal);
            foreach (double peak in peaks)
            {
                var s = Rebuilt(shape, peak);
                var s0 = law.AtReference(s, s.Evaluate().Max());
                Assert.NotNull(s0);
                Assert.Equal(AtFraction(s, law.ReferencePeak, fraction).ToSpec(), s0!.ToSpec());
                own.Add(s0.ToSpec());
                var y = new double[steps.Length];
                law.Predict(s, target, steps, y);
                Assert.Equal(Formula(law, s, s0, target, steps), y);
                var again = new double[steps.Length];
                law.Predict(s, target, steps, again);
                Assert.Equal(y, again);
            }
            // Every peak of the shape has one s_0, floored shapes too: the floor's fraction (which differs in its last bit from peak to
            // peak: floor / peak) is taken without its noise.
            Assert.Single(own);
            references.UnionWith(own);
            Assert.Equal(references.Count, law.ReferenceEvaluations);
        }
    }

    [Fact]
    public void The_reference_predictions_are_made_once_per_shape_and_read_at_any_of_their_steps_bit_for_bit()
    {
        // The plan asks a schedule at its curve steps (the searches), then at its last step only (the contour, the anchored loss), and
        // the schedule at the reference peak is its own s_0: every read must be the formula afresh at the steps asked, and s_0's two
        // predictions are made only where the first evaluation of its shape lacks a step asked (ReferencePredictions counts each made).
        var (law0, target) = Combined.Value;
        int[] curve = PlanEvaluator.CurveSteps(target.Steps), last = [target.Steps], inside = [curve[3], curve[100]], between = [curve[3] + 1, target.Steps];
        Assert.DoesNotContain(between[0], curve);
        foreach (var shape in Shapes(target.Steps, 1e-3))
        {
            var law = Fresh(law0);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int made = 0;
            foreach (double peak in new[] { law.ReferencePeak, law.ReferencePeak / 2.1, law.ReferencePeak * 1.7 })
            {
                var s = Rebuilt(shape, peak);
                var s0 = law.AtReference(s, s.Evaluate().Max())!;
                foreach (int[] steps in new[] { curve, last, inside, between, curve })
                {
                    var y = new double[steps.Length];
                    law.Predict(s, target, steps, y);
                    Assert.Equal(Formula(law, s, s0, target, steps), y);
                }
                // A new s_0: both parts made at the curve (then read at the last step, the inner steps and the curve again) and made
                // anew, not kept, for the off-curve step; a shape seen before: only the off-curve step's.
                made += seen.Add(s0.ToSpec()) ? 4 : 2;
                Assert.Equal(made, law.ReferencePredictions);
            }
            // The last step first, then the curve (not a subset of the first evaluation's steps: made anew), then the last step (read).
            var other = Fresh(law0);
            var t = Rebuilt(shape, law0.ReferencePeak * 0.4);
            var t0 = other.AtReference(t, t.Evaluate().Max())!;
            foreach (int[] steps in new[] { last, curve, last })
            {
                var y = new double[steps.Length];
                other.Predict(t, target, steps, y);
                Assert.Equal(Formula(other, t, t0, target, steps), y);
            }
            Assert.Equal(1, other.ReferenceEvaluations);
            Assert.Equal(4, other.ReferencePredictions);
        }
    }

    [Fact]
    public void A_reference_prediction_that_threw_is_made_anew_by_the_next_call()
    {
        var (law0, target) = Combined.Value;
        var once = new ThrowsOnce(law0.TimeShape);
        var law = new LrAxisPlanLaw(once, law0.Axis, law0.ReferencePeak, law0.PriorLow, law0.PriorHigh);
        var s = new CosineSchedule(law0.ReferencePeak * 2, target.Steps, 100);
        int[] steps = [target.Steps];
        var y = new double[1];
        Assert.Throws<InvalidOperationException>(() => law.Predict(s, target, steps, y));
        law.Predict(s, target, steps, y);
        Assert.Equal(Formula(law0, s, law.AtReference(s, s.Evaluate().Max())!, target, steps), y);
        Assert.Equal(2, once.Calls);
    }

    /// <summary>A plan law that throws on its first prediction and is <paramref name="inner"/> afterwards.</summary>
    private sealed class ThrowsOnce(IPlanLaw inner) : IPlanLaw
    {
        public int Calls { get; private set; }

        public string Name => inner.Name;

        public void Predict(LrSchedule schedule, PlanTarget target, ReadOnlySpan<int> steps, Span<double> output)
        {
            if (Calls++ == 0) throw new InvalidOperationException("the first prediction fails");
            inner.Predict(schedule, target, steps, output);
        }

        public PeakSupport Support(PlanTarget target) => inner.Support(target);
    }

    [Fact]
    public void Side_by_side_in_any_order_the_losses_equal_those_made_one_after_another()
    {
        var (law0, target) = Combined.Value;
        var schedules = Shapes(target.Steps, 1e-3).SelectMany(shape => new[] { 0.3, 2.2 }.Select(m => Rebuilt(shape, law0.ReferencePeak * m))).ToList();
        var inOrder = Fresh(law0);
        var expected = schedules.Select(s => { var y = new double[1]; inOrder.Predict(s, target, [target.Steps], y); return y[0]; }).ToList();
        var parallel = Fresh(law0);
        var got = new double[schedules.Count];
        Parallel.For(0, schedules.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int k = schedules.Count - 1 - i;   // reverse order: the first of each shape to arrive differs from the sequential run
            var y = new double[1];
            parallel.Predict(schedules[k], target, [target.Steps], y);
            got[k] = y[0];
        });
        Assert.Equal(expected, got);
    }

    [Fact]
    public void The_reused_s0_gives_the_loss_of_the_schedules_LRs_rescaled_step_by_step_to_rounding()
    {
        var (law, target) = Combined.Value;
        int[] steps = [target.Steps];
        foreach (var shape in Shapes(target.Steps, 1e-3))
            foreach (double m in new[] { 0.2, 4.1 })
            {
                var s = Rebuilt(shape, law.ReferencePeak * m);
                var lr = s.Evaluate();
                double peak = lr.Max();
                var rescaled = new TableSchedule([.. lr.Select(x => x * (law.ReferencePeak / peak))]);
                var y = new double[1];
                law.Predict(s, target, steps, y);
                double old = Formula(law, s, rescaled, target, steps)[0];
                Assert.True(Math.Abs(y[0] - old) <= 1e-12 * Math.Abs(old), $"{s.ToSpec()}: {y[0]:R} against {old:R}");
                // s_0's LRs themselves agree with the rescaled ones to a few ulps.
                var s0 = law.AtReference(s, peak)!.Evaluate();
                var r = rescaled.Evaluate();
                for (int i = 0; i < lr.Length; i++) Assert.True(Math.Abs(s0[i] - r[i]) <= 4e-16 * law.ReferencePeak, $"step {i + 1}: {s0[i]:R} against {r[i]:R}");
            }
    }

    [Fact]
    public void A_planner_shape_with_a_floor_has_one_s0_at_every_peak()
    {
        // The planner's cosine to 10% at peaks 1e-4 and 1.07e-4: its floor is 0.1 x peak without noise, so floor / peak is 0.1 at the
        // first and one ulp off at the second; at this reference peak the two fractions x the peak differ (6.08e-05 and
        // 6.080000000000001e-05), so without the fraction's noise removed each peak had an s_0 of its own (issue 12, helper coldplan).
        var (law0, _) = Combined.Value;
        var law = new LrAxisPlanLaw(law0.TimeShape, law0.Axis, 6.08e-4, law0.PriorLow, law0.PriorHigh);
        var at = new[] { 1e-4, 1.07e-4 }.Select(p => Planner.Build(ScheduleFamily.Cosine, p, 5000, 100, double.NaN, 0.1)!).ToList();
        Assert.Equal(0.1, ((CosineSchedule)at[0]).Floor / ((CosineSchedule)at[0]).Peak);
        Assert.NotEqual(0.1, ((CosineSchedule)at[1]).Floor / ((CosineSchedule)at[1]).Peak);
        var s0 = at.Select(s => law.AtReference(s, s.Evaluate().Max())!).ToList();
        Assert.Equal(s0[0].ToSpec(), s0[1].ToSpec());
        Assert.Equal(s0[0].Evaluate(), s0[1].Evaluate());
        Assert.Equal(0.1 * 6.08e-4, ((CosineSchedule)s0[0]).Floor);
    }

    [Fact]
    public void Other_schedules_and_those_that_never_reach_their_peak_are_rescaled_step_by_step()
    {
        var (law0, target) = Combined.Value;
        var law = Fresh(law0);
        var table = new TableSchedule([.. new CosineSchedule(2e-3, target.Steps, 100).Evaluate()]);
        var noWarmup = new CosineSchedule(2e-3, target.Steps, 0);   // its largest LR (step 1) is below its stated peak
        Assert.Null(law.AtReference(table, table.Evaluate().Max()));
        Assert.Null(law.AtReference(noWarmup, noWarmup.Evaluate().Max()));
        foreach (var s in new LrSchedule[] { table, noWarmup })
        {
            var lr = s.Evaluate();
            double peak = lr.Max();
            var rescaled = new TableSchedule([.. lr.Select(x => x * (law.ReferencePeak / peak))]);
            var y = new double[1];
            law.Predict(s, target, [target.Steps], y);
            Assert.Equal(Formula(law, s, rescaled, target, [target.Steps])[0], y[0]);
        }
        Assert.Equal(0, law.ReferenceEvaluations);
    }

    /// <summary>
    /// <paramref name="shape"/> at <paramref name="peak"/> with its floor the literal <paramref name="fraction"/> of the peak: s_0 as the
    /// law must build it, its floor / peak taken without its floating-point noise (0.1, not 0.1 +- 1 ulp), one s_0 for every peak of a shape.
    /// </summary>
    private static LrSchedule AtFraction(LrSchedule shape, double peak, double fraction) => shape switch
    {
        CosineSchedule c => new CosineSchedule(peak, c.Steps, c.Warmup, fraction * peak),
        LinearSchedule l => new LinearSchedule(peak, l.Steps, l.Warmup, fraction * peak),
        WsdSchedule w => new WsdSchedule(peak, w.Steps, w.Warmup, w.Cooldown, w.CooldownSteps, w.Shape, fraction * peak),
        _ => Rebuilt(shape, peak),
    };

    /// <summary><paramref name="shape"/> at <paramref name="peak"/>, its floor and initial LR the same fractions of the peak.</summary>
    private static LrSchedule Rebuilt(LrSchedule shape, double peak) => shape switch
    {
        CosineSchedule c => new CosineSchedule(peak, c.Steps, c.Warmup, c.Floor / c.Peak * peak),
        LinearSchedule l => new LinearSchedule(peak, l.Steps, l.Warmup, l.Floor / l.Peak * peak),
        WsdSchedule w => new WsdSchedule(peak, w.Steps, w.Warmup, w.Cooldown, w.CooldownSteps, w.Shape, w.Floor / w.Peak * peak),
        ConstantSchedule k => new ConstantSchedule(peak, k.Steps, k.Warmup),
        _ => throw new ArgumentException(shape.ToSpec()),
    };
}
