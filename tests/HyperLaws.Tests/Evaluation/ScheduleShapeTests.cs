using CsCheck;
using HyperLaws.Evaluation;
using HyperLaws.Laws;
using Xunit;

namespace HyperLaws.Tests.Evaluation;

/// <summary>The schedule-shape distance D (<see cref="ScheduleShape"/>): closed forms for cooldowns, metric properties, invariance to peak and horizon, grouping.</summary>
public sealed class ScheduleShapeTests
{
    // A WSD schedule: `warmup` linear warmup steps, constant peak, then a cooldown of fraction c to 0, linear (or 1 - sqrt).
    internal static ScheduleHistory Wsd(int steps, double peak, double c, bool sqrt = false, int warmup = 0)
    {
        var lr = new double[steps];
        int start = steps - (int)Math.Round(c * steps);
        for (int t = 1; t <= steps; t++)
        {
            double x = t <= start ? 0 : (double)(t - start) / (steps - start);
            double v = sqrt ? 1 - Math.Sqrt(x) : 1 - x;
            lr[t - 1] = peak * v * (warmup > 0 && t <= warmup ? (double)t / warmup : 1);
        }
        return new ScheduleHistory(lr);
    }

    // A cosine to zero over the whole run.
    private static ScheduleHistory Cosine(int steps, double peak) =>
        new([.. Enumerable.Range(1, steps).Select(t => peak * 0.5 * (1 + Math.Cos(Math.PI * t / steps)))]);

    private static FitTarget Target(string name, ScheduleHistory h) => new(name, h, [h.Steps / 2, h.Steps], [3.5, 3.0]);

    [Fact]
    public void A_linear_cooldown_of_fraction_c_lies_c_over_2_from_constant_and_c_over_6_from_a_sqrt_cooldown()
    {
        Property.ForAll(Gen.Double[0.05, 0.9].SelectMany(c => Gen.Int[2000, 60000].Select(n => (c, n))), x =>
        {
            var constant = ScheduleShape.Profile(Wsd(x.n, 1e-3, 0), x.n);
            var linear = ScheduleShape.Profile(Wsd(x.n, 1e-3, x.c), x.n);
            var sqrt = ScheduleShape.Profile(Wsd(x.n, 1e-3, x.c, sqrt: true), x.n);
            // The closed forms hold up to the step and bin discretisation (a few 1e-3).
            Assert.InRange(ScheduleShape.Distance(constant, linear), x.c / 2 - 4e-3, x.c / 2 + 4e-3);
            Assert.InRange(ScheduleShape.Distance(linear, sqrt), x.c / 6 - 4e-3, x.c / 6 + 4e-3);
        }, iterations: 40);
    }

    [Fact]
    public void The_distance_is_a_metric_on_profiles_and_ignores_the_peak_and_the_horizon()
    {
        var gen = Gen.Double[0, 0.9].SelectMany(a => Gen.Double[0, 0.9].SelectMany(b => Gen.Double[0, 0.9].Select(c => (a, b, c))));
        Property.ForAll(gen, x =>
        {
            var pa = ScheduleShape.Profile(Wsd(20000, 1e-3, x.a), 20000);
            var pb = ScheduleShape.Profile(Wsd(20000, 2e-3, x.b), 20000);
            var pc = ScheduleShape.Profile(Wsd(20000, 5e-4, x.c), 20000);
            Assert.Equal(0, ScheduleShape.Distance(pa, pa));
            Assert.Equal(ScheduleShape.Distance(pa, pb), ScheduleShape.Distance(pb, pa), 14);
            Assert.True(ScheduleShape.Distance(pa, pc) <= ScheduleShape.Distance(pa, pb) + ScheduleShape.Distance(pb, pc) + 1e-12);
            Assert.InRange(ScheduleShape.Distance(pa, pb), 0, 1);
            // The same shape at another peak LR and another horizon: (nearly) no distance.
            var scaled = ScheduleShape.Profile(Wsd(7000, 3e-2, x.a), 7000);
            Assert.True(ScheduleShape.Distance(pa, scaled) < 2e-3, $"same shape at another peak and horizon: {ScheduleShape.Distance(pa, scaled)}");
        }, iterations: 40);
    }

    [Fact]
    public void A_target_measures_from_its_nearest_training_schedule_up_to_the_last_step_each_uses()
    {
        var train = new[] { Target("constant", Wsd(10000, 1e-3, 0)), Target("wsd-0.2", Wsd(10000, 1e-3, 0.2)) };
        // A 0.4 cooldown is nearest to the 0.2 one: 0.2 - 0.1 = 0.1 of the area.
        Assert.Equal(0.1, ScheduleShape.Of(Target("wsd-0.4", Wsd(30000, 2e-3, 0.4)), train), 2);
        // A training shape is at 0, whatever its horizon and peak.
        Assert.Equal(0, ScheduleShape.Of(Target("c", Wsd(40000, 5e-4, 0)), train), 2);
        // A cosine to zero is far from both (about 0.4 from the 20% cooldown).
        double cos = ScheduleShape.Of(Target("cos", Cosine(20000, 1e-3)), train);
        Assert.InRange(cos, 0.3, 0.5);
        // A WSD run cut before its cooldown is a constant schedule: its first half is at 0 from the constant run.
        var full = new FitTarget("wsd-0.2", Wsd(10000, 1e-3, 0.2), [2500, 5000, 10000], [3.6, 3.5, 3.0]);
        var cut = ConformalCalibration.Truncate(full, 0.5)!;
        Assert.Equal(0, ScheduleShape.Of(cut, [train[0]]), 3);
        Assert.Equal(0.1, ExtrapolationDistance.Of(full, [cut]).Shape, 2);
        // Shape is a separate component: it leaves d unchanged.
        Assert.Equal(0, ExtrapolationDistance.Of(Target("wsd-0.4", Wsd(10000, 1e-3, 0.4)), train).Value, 12);
    }

    [Fact]
    public void Runs_group_by_shape_across_horizons_peaks_and_a_fixed_warmup()
    {
        var runs = new List<FitTarget>();
        foreach (int n in new[] { 15000, 25000, 50000 })
            foreach (double peak in new[] { 1e-4, 1e-3 })
            {
                runs.Add(Target($"const-{n}-{peak}", Wsd(n, peak, 0, warmup: 300)));
                runs.Add(Target($"lin-{n}-{peak}", Wsd(n, peak, 0.2, warmup: 300)));
                runs.Add(Target($"sqrt-{n}-{peak}", Wsd(n, peak, 0.2, sqrt: true, warmup: 300)));
            }
        var key = ScheduleShape.Groups(runs);
        var groups = runs.GroupBy(key).ToList();
        Assert.Equal(3, groups.Count);
        Assert.All(groups, g => Assert.Single(g.Select(t => t.Name.Split('-')[0]).Distinct()));
    }
}
