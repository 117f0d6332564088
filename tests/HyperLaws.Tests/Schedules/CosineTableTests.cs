using CsCheck;
using HyperLaws.Schedules;
using Xunit;
using static HyperLaws.Tests.Property;

namespace HyperLaws.Tests.Schedules;

/// <summary>
/// A cosine schedule writes its main phase from the shape's cached 1 + cos(pi p) (<see cref="CosineTable"/>, issue 12): every LR
/// must be the step-by-step formula's bit for bit (<see cref="LrSchedule.At"/> evaluates it one step at a time, without the
/// table), for any peak, floor, warmup, warmup shape and offset, and whichever shapes the table kept or dropped before.
/// </summary>
public sealed class CosineTableTests
{
    private static readonly Gen<(double Peak, double FloorFraction, int Steps, int Warmup, bool CosineWarmup, int Offset)> Shapes =
        from peak in LogUniform(1e-5, 1)
        from floor in Gen.Double[0, 1]
        from steps in Gen.Int[1, 3000]
        from warmup in Gen.Int[0, steps - 1]
        from cosineWarmup in Gen.Bool
        from offset in Gen.Int[0, Math.Min(steps - 1, 40)]
        select (peak, floor, steps, warmup, cosineWarmup, offset);

    [Fact]
    public void Every_lr_is_the_step_by_step_formula_bit_for_bit()
    {
        ForAll(Shapes, x =>
        {
            var s = new CosineSchedule(x.Peak, x.Steps, x.Warmup, x.FloorFraction * x.Peak, x.CosineWarmup ? WarmupShape.Cosine : WarmupShape.Linear, 0, x.Offset);
            var lr = s.Evaluate();
            for (int t = 1; t <= x.Steps; t++)
                if (lr[t - 1] != s.At(t)) Assert.Fail($"step {t}: {lr[t - 1]:R} written, {s.At(t):R} by the formula");
        }, iterations: 300);
    }

    [Fact]
    public void One_shape_at_many_peaks_and_after_the_table_dropped_it_gives_the_same_lrs()
    {
        const int steps = 5000, warmup = 50;
        var first = new CosineSchedule(3e-3, steps, warmup).Evaluate();
        // Other shapes push this one out of the kept tables; built again, its LRs are the same.
        for (int w = 0; w < 2 * CosineTable.Kept; w++) _ = new CosineSchedule(1e-3, steps, warmup + 1 + w).Evaluate();
        Assert.Equal(first, new CosineSchedule(3e-3, steps, warmup).Evaluate());
        foreach (double peak in new[] { 1e-4, 2.5e-3, 0.7 })
        {
            var s = new CosineSchedule(peak, steps, warmup, 0.1 * peak);
            var lr = s.Evaluate();
            Assert.All(Enumerable.Range(1, steps), t => Assert.Equal(s.At(t), lr[t - 1]));
        }
    }
}
