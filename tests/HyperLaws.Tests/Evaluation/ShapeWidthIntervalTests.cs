using System.Globalization;
using CsCheck;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using HyperLaws.Planning;
using HyperLaws.Schedules;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>
/// Variant W (docs/VALIDATION.md "Intervals widened by the schedule-shape distance"): a planned schedule's shape distance from the runs
/// (<see cref="ScheduleShape.OfSchedule"/>) and the interval's width growing with it (<see cref="PlanOptions.ShapeIntervals"/>,
/// <see cref="ConformalIntervalProvider.TryCalibrate"/> with <c>shape</c>).
/// </summary>
public sealed class ShapeWidthIntervalTests
{
    private static LrSchedule Wsd(double peak, int steps, double cooldown) => cooldown == 0
        ? LrSchedule.Parse(FormattableString.Invariant($"constant(peak={peak},steps={steps})"))
        : LrSchedule.Parse(FormattableString.Invariant($"wsd(peak={peak},steps={steps},cooldown={cooldown.ToString("R", CultureInfo.InvariantCulture)})"));

    // A run of the schedule, as a fit target (two observed losses; the shape reads only the LRs up to the last one).
    private static FitTarget Run(LrSchedule schedule) =>
        new("run", new ScheduleHistory(schedule.Evaluate()), [schedule.Steps / 2, schedule.Steps], [3.5, 3.0]);

    [Fact]
    public void A_planned_schedule_is_at_zero_from_its_own_shape_and_its_distance_grows_with_the_cooldown_fractions_difference()
    {
        var gen = Gen.Double[0.02, 0.9].SelectMany(a => Gen.Double[0.02, 0.9].SelectMany(b => Gen.Int[3000, 40000].Select(n => (a, b, n))));
        Property.ForAll(gen, x =>
        {
            var plan = Wsd(2e-3, x.n, x.a);
            // The same schedule, and the same shape at another peak LR and horizon: no distance (up to the step and bin discretisation).
            Assert.Equal(0, ScheduleShape.OfSchedule(plan, [Run(plan)]));
            Assert.True(ScheduleShape.OfSchedule(plan, [Run(Wsd(5e-4, 12000, x.a))]) < 3e-3);
            // Symmetric: the plan at a against a run at b is the plan at b against a run at a (the same horizon: exactly).
            Assert.Equal(ScheduleShape.OfSchedule(Wsd(1e-3, x.n, x.b), [Run(Wsd(1e-3, x.n, x.a))]),
                ScheduleShape.OfSchedule(plan, [Run(Wsd(1e-3, x.n, x.b))]), 12);
            // |a - b| / 2 for two linear cooldowns to 0 (a constant is a cooldown of fraction 0).
            double d = ScheduleShape.OfSchedule(plan, [Run(Wsd(1e-3, 20000, x.b))]);
            Assert.InRange(d, Math.Abs(x.a - x.b) / 2 - 4e-3, Math.Abs(x.a - x.b) / 2 + 4e-3);
        }, iterations: 40);
        // Strictly growing with the difference of the cooldown fractions, against a constant run.
        var constant = new[] { Run(Wsd(1e-3, 20000, 0)) };
        double previous = 0;
        foreach (double c in new[] { 0.05, 0.1, 0.2, 0.4, 0.6, 0.9 })
        {
            double d = ScheduleShape.OfSchedule(Wsd(3e-3, 50000, c), constant);
            Assert.True(d > previous, $"cooldown {c}: {d} after {previous}");
            previous = d;
        }
        // The nearest run decides: a 0.4 cooldown among a constant run and a 0.3 one is 0.05 away.
        Assert.Equal(0.05, ScheduleShape.OfSchedule(Wsd(3e-3, 50000, 0.4), [.. constant, Run(Wsd(1e-3, 20000, 0.3))]), 2);
    }

    // Residuals of random signs and sizes, each with a horizon ratio and a shape distance of its own.
    private static Gen<List<CalibrationResidual>> Residuals(bool withShape) =>
        Gen.Int[3, 40].SelectMany(n => Gen.Double[-0.05, 0.05].Array[n].SelectMany(r => Gen.Double[1, 3].Array[n].SelectMany(h => Gen.Double[0, 0.3].Array[n].Select(s =>
            Enumerable.Range(0, n).Select(i => new CalibrationResidual("run" + i, "nested", 3.0, 3.0 * (1 + r[i]),
                new ExtrapolationDistance(h[i], 1, 1) { Shape = withShape ? s[i] : 0 })).ToList()))));

    [Fact]
    public void The_plans_interval_widens_monotonically_with_its_shape_distance_under_every_rule()
    {
        var gen = Residuals(withShape: true).SelectMany(rs => Gen.Int[0, 3].SelectMany(rule => Gen.Double[1, 4].SelectMany(h =>
            Gen.Double[0, 0.5].SelectMany(d1 => Gen.Double[0, 0.5].Select(d2 => (rs, rule, h, Lo: Math.Min(d1, d2), Hi: Math.Max(d1, d2)))))));
        Property.ForAll(gen, x =>
        {
            var provider = ConformalIntervalProvider.TryCalibrate(x.rs, "test", signed: x.rule == 1, finiteSample: x.rule == 2, aboutCorrected: x.rule == 3, shape: true)!;
            Assert.True(provider.Calibration.ShapeGrowth >= 0);
            var near = provider.Interval(3.0, new PlanExtrapolation(x.h, 1, 1) { Shape = x.Lo });
            var far = provider.Interval(3.0, new PlanExtrapolation(x.h, 1, 1) { Shape = x.Hi });
            Assert.True(far.Lower <= near.Lower + 1e-12 && far.Upper >= near.Upper - 1e-12, $"D {x.Lo} -> {x.Hi}: [{near.Lower}, {near.Upper}] -> [{far.Lower}, {far.Upper}]");
            Assert.True(near.Lower <= 3.0 && near.Upper >= 3.0);
            // The width grows as 1 + g d + g_s D: the upper end's excess over D = 0 is predicted x Q g_s D (symmetric rules; the lower end
            // may be held at 0).
            if (x.rule is 0 or 3)
            {
                var at0 = provider.Interval(3.0, new PlanExtrapolation(x.h, 1, 1));
                double q = provider.Calibration.Quantile, gs = provider.Calibration.ShapeGrowth;
                Assert.Equal(3.0 * q * gs * x.Hi, far.Upper - at0.Upper, 9);
            }
        }, iterations: 150);
    }

    [Fact]
    public void Without_the_option_the_shape_distance_changes_nothing_and_without_shape_extrapolations_W_is_the_plain_interval()
    {
        var gen = Residuals(withShape: false).SelectMany(rs => Gen.Int[0, 3].SelectMany(rule => Gen.Double[1, 4].SelectMany(h => Gen.Double[0, 0.5].Select(d => (rs, rule, h, d)))));
        Property.ForAll(gen, x =>
        {
            bool signed = x.rule == 1, finite = x.rule == 2, corrected = x.rule == 3;
            var plain = ConformalIntervalProvider.TryCalibrate(x.rs, "test", signed, finite, corrected)!;
            var shaped = ConformalIntervalProvider.TryCalibrate(x.rs, "test", signed, finite, corrected, shape: true)!;
            var at = new PlanExtrapolation(x.h, 1, 1) { Shape = x.d };
            // No shape growth without the option: D is ignored.
            Assert.Equal(0, plain.Calibration.ShapeGrowth);
            Assert.Equal(plain.Interval(3.0, new PlanExtrapolation(x.h, 1, 1)), plain.Interval(3.0, at));
            // Every residual at D = 0: g_s is the prior, and at a plan of a known shape W's interval is the plain one.
            Assert.False(shaped.Calibration.ShapeGrowthFitted);
            Assert.Equal(ConformalCalibration.PriorShapeGrowth, shaped.Calibration.ShapeGrowth);
            var a = plain.Interval(3.0, new PlanExtrapolation(x.h, 1, 1));
            var b = shaped.Interval(3.0, new PlanExtrapolation(x.h, 1, 1));
            Assert.Equal(a.Lower, b.Lower, 9);
            Assert.Equal(a.Upper, b.Upper, 9);
        }, iterations: 150);
    }
}
