using HyperLaws.Laws;
using HyperLaws.Schedules;
using HyperLaws.ScheduleOptimization;
using Xunit;

namespace HyperLaws.Tests.ScheduleOptimization;

public sealed class ScheduleOptimizerTests
{
    // The LR-annealing (tissue) law L = L0 + A S1^-alpha - C S2 with fixed parameters (as in SchedulePreselectionTests).
    private static readonly double[] Tissue = [3.15, 0.51, 0.51, 0.40];
    private static readonly ILossLaw Law = LawCatalog.Create("tissue");
    private static readonly ScheduleOptimizationOptions Small = new(Steps: 3000, Peak: 3e-4, Warmup: 100, Knots: 12, MaxEvaluations: 1500);

    [Fact]
    public void Improves_on_its_wsd_start_and_keeps_monotonicity_bounds_and_warmup()
    {
        var r = ScheduleOptimizer.Optimize(Law, Tissue, Small);
        Assert.True(r.PredictedLoss < r.StartLoss - 1e-4, $"optimised {r.PredictedLoss} vs start {r.StartLoss}");
        // The reported loss is the law's prediction for the returned schedule.
        Assert.Equal(ScheduleOptimizer.PredictFinal(Law, Tissue, r.Schedule), r.PredictedLoss, 12);
        // It also beats the WSD schedules a grid would try, and cosine.
        foreach (var c in new[] { 0.1, 0.2, 0.4, 0.6 })
            Assert.True(r.PredictedLoss <= ScheduleOptimizer.PredictFinal(Law, Tissue, new WsdSchedule(3e-4, 3000, 100, cooldown: c)) + 1e-9, $"wsd cooldown {c}");
        Assert.True(r.PredictedLoss < ScheduleOptimizer.PredictFinal(Law, Tissue, new CosineSchedule(3e-4, 3000, 100)));
        var lr = r.Schedule.Evaluate();
        Assert.Equal(3000, lr.Length);
        Assert.Equal(100, r.Schedule.Warmup);
        for (int t = 1; t <= 100; t++) Assert.Equal(3e-4 * t / 100, lr[t - 1], 15);
        Assert.Equal(3e-4, lr[100], 15);
        for (int i = 101; i < lr.Length; i++)
        {
            Assert.True(lr[i] <= lr[i - 1], $"step {i + 1} rises");
            Assert.True(lr[i] >= 0);
        }
        Assert.True(r.Evaluations <= Small.MaxEvaluations + 1);
        // Under this law a cooldown pays: the schedule ends well below the peak.
        Assert.True(lr[^1] < 0.5 * 3e-4);
    }

    [Fact]
    public void Without_an_annealing_term_the_known_optimum_is_constant_at_the_peak()
    {
        // C = 0: the loss falls with S1 alone, so under a monotone cap at the peak the best schedule stays at the peak.
        double[] noAnnealing = [3.15, 0.51, 0.51, 0];
        var r = ScheduleOptimizer.Optimize(Law, noAnnealing, Small);
        double constant = ScheduleOptimizer.PredictFinal(Law, noAnnealing, new ConstantSchedule(3e-4, 3000, 100));
        Assert.True(r.PredictedLoss < r.StartLoss);
        Assert.True(r.PredictedLoss - constant < 0.02 * (r.StartLoss - constant), $"optimised {r.PredictedLoss}, constant {constant}, start {r.StartLoss}");
        Assert.True(r.KnotValues[^1] > 0.9 * 3e-4);
    }

    [Fact]
    public void Is_deterministic_and_allow_increase_stays_within_twice_the_peak()
    {
        var o = Small with { AllowIncrease = true, MaxEvaluations = 600 };
        var a = ScheduleOptimizer.Optimize(Law, Tissue, o);
        var b = ScheduleOptimizer.Optimize(Law, Tissue, o);
        Assert.Equal(a.Schedule.Values, b.Schedule.Values);
        Assert.Equal(a.PredictedLoss, b.PredictedLoss);
        Assert.True(a.PredictedLoss < a.StartLoss);
        Assert.All(a.Schedule.Values, v => Assert.InRange(v, 0, 2 * 3e-4));
    }

    [Theory]
    [InlineData(0, 100, 12, "peak")]
    [InlineData(3e-4, -1, 12, "warmup")]
    [InlineData(3e-4, 100, 1, "knots")]
    [InlineData(3e-4, 2990, 12, "steps")]
    public void Bad_settings_are_named(double peak, int warmup, int knots, string field)
    {
        var e = Assert.Throws<ArgumentException>(() => ScheduleOptimizer.Optimize(Law, Tissue, new ScheduleOptimizationOptions(3000, peak, warmup, knots)));
        Assert.StartsWith(field + ":", e.Message, StringComparison.Ordinal);
    }
}

public sealed class ScheduleShapeTests
{
    [Fact]
    public void Cooldown_start_and_max_difference_of_a_wsd_schedule()
    {
        // wsd: peak until step 850, then linear to 0 over steps 851..1000 (1/150 of the peak per step).
        var wsd = new WsdSchedule(1e-3, 1000, 100, cooldownSteps: 150).Evaluate();
        var shape = ScheduleShape.Of(wsd, 100);
        Assert.Equal(1e-3, shape.Peak, 15);
        // Step 852 is the first below 99% of the peak (851 is at 99.33%, 852 at 98.67%).
        Assert.Equal(852, shape.CooldownStart);
        Assert.Equal(0, shape.FinalLr, 15);
        var constant = new ConstantSchedule(1e-3, 1000, 100).Evaluate();
        Assert.Equal(1e-3, ScheduleShape.MaxDifference(wsd, constant), 15);
        Assert.Equal(0, ScheduleShape.MaxDifference(wsd, wsd));
    }
}
