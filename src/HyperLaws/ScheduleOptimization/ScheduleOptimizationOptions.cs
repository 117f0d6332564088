using HyperLaws.Schedules;

namespace HyperLaws.ScheduleOptimization;

/// <summary>Settings of <see cref="ScheduleOptimizer"/>.</summary>
/// <param name="Steps">S, the length of the schedule.</param>
/// <param name="Peak">The LR at the end of the warmup (the first knot; fixed).</param>
/// <param name="Warmup">W, steps of linear warmup 0 -> peak (kept as given).</param>
/// <param name="Knots">K, the number of free knots after the peak knot.</param>
/// <param name="AllowIncrease">Drop monotonicity: each knot then lies anywhere in [0, 2 peak].</param>
/// <param name="MaxEvaluations">Budget of law predictions (each one a full S-step prediction).</param>
public sealed record ScheduleOptimizationOptions(int Steps, double Peak, int Warmup, int Knots = 24, bool AllowIncrease = false, int MaxEvaluations = 4000)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public void Check()
    {
        if (!(Peak > 0) || !double.IsFinite(Peak)) throw new ArgumentException($"peak: {Peak} is not a positive learning rate.");
        if (Warmup < 0) throw new ArgumentException($"warmup: {Warmup} is negative.");
        if (Knots < 2 || Knots > 200) throw new ArgumentException($"knots: {Knots} is not in [2, 200].");
        if (Steps - Warmup < 2 * Knots) throw new ArgumentException($"steps: {Steps} leaves {Steps - Warmup} steps after the warmup, fewer than 2 per knot ({Knots} knots).");
        if (Steps > LrSchedule.MaxSteps) throw new ArgumentException($"steps: {Steps} exceeds {LrSchedule.MaxSteps}.");
        if (MaxEvaluations < 10) throw new ArgumentException($"evaluations: {MaxEvaluations} is fewer than 10.");
    }
}
