using HyperLaws.Schedules;

namespace HyperLaws.Planning.Sweeps;

/// <summary>One proposed training run of a calibration sweep.</summary>
/// <param name="RunId">Unique, stable id: <c>d{budget}-bs{batch}-lr{lr}</c> for the grid, <c>d{budget}-{arm}</c> for the schedule arm.</param>
/// <param name="Budget">1-based index of the token budget (in <see cref="SweepDesign.Budgets"/>).</param>
/// <param name="Params">Model size of the run.</param>
/// <param name="Tokens">Tokens the run consumes, <see cref="Steps"/> x <see cref="BatchTokens"/> (the budget, rounded to whole steps).</param>
/// <param name="LearningRate">The peak LR (3 significant digits).</param>
/// <param name="LrFactor">LR / the anchor's LR at this budget.</param>
/// <param name="BatchFactor">Batch tokens / the anchor's batch tokens at this budget.</param>
/// <param name="Schedule">The full LR schedule (its <see cref="LrSchedule.ToSpec"/> is the run's spec).</param>
public sealed record SweepRun(
    string RunId, SweepPurpose Purpose, int Budget, double Params, double Tokens, int Steps, int SequenceLength,
    int BatchSequences, double LearningRate, double LrFactor, double BatchFactor, int Warmup, LrSchedule Schedule,
    double Momentum, TrainingOptimizer Optimizer)
{
    /// <summary>Tokens per optimizer step: sequences x sequence length.</summary>
    public double BatchTokens => (double)BatchSequences * SequenceLength;

    /// <summary>Training compute, 6 N D FLOPs (Kaplan et al. 2020: forward 2 N D, backward 4 N D).</summary>
    public double Flops => 6 * Params * Tokens;

    /// <summary>Cooldown length in steps (WSD), else 0.</summary>
    public int CooldownSteps => Schedule is WsdSchedule w ? w.CooldownLength : 0;
}
