using HyperLaws.Laws;
using HyperLaws.Runs;
using HyperLaws.Schedules;

namespace HyperLaws.Tests.Planning;

/// <summary>
/// Training runs whose losses come from a known law: the Tissue et al. annealing law with <see cref="Truth"/>, logged
/// every <c>every</c> steps; and sweep runs whose final loss is a known bowl in (ln LR, ln batch).
/// </summary>
internal static class SyntheticRuns
{
    /// <summary>L0, A, alpha, C of the annealing law the curves follow.</summary>
    public static readonly double[] Truth = [2.0, 0.9, 0.45, 0.04];

    public const double N = 1e8, TokensPerStep = 65536;

    /// <summary>The true loss of a schedule (given per step) at its last step.</summary>
    public static double TrueFinalLoss(double[] lr, double[]? truth = null)
    {
        var y = new double[1];
        new AnnealingLaw().Predict(truth ?? Truth, new ScheduleHistory(lr), [lr.Length], y);
        return y[0];
    }

    public static TrainingRun Curve(string name, LrSchedule schedule, double n = N, double? tokensPerStep = TokensPerStep, int every = 10, double[]? truth = null)
    {
        var lr = schedule.Evaluate();
        var steps = Enumerable.Range(1, lr.Length / every).Select(i => i * every).ToArray();
        var loss = new double[steps.Length];
        new AnnealingLaw().Predict(truth ?? Truth, new ScheduleHistory(lr), steps, loss);
        return new TrainingRun(new RunMetadata(name) { Parameters = n, TokensPerStep = tokensPerStep }, lr,
            [.. steps.Select((s, i) => new LossObservation(s, loss[i]))]);
    }

    /// <summary>
    /// Six runs at one size: three schedules of 1,000 steps at peak 1e-3, a cosine at 2e-3 (so peaks up to 2x the
    /// reference are inside the runs) unless <paramref name="withHighPeak"/> is false, and the two longest (2,000 steps).
    /// </summary>
    public static List<TrainingRun> Plannable(bool withHighPeak = true, double[]? truth = null)
    {
        var runs = new List<TrainingRun>
        {
            Curve("constant-1000", new ConstantSchedule(1e-3, 1000, 20), truth: truth),
            Curve("cosine-1000", new CosineSchedule(1e-3, 1000, 20, 1e-4), truth: truth),
            Curve("wsd-1000", new WsdSchedule(1e-3, 1000, 20, cooldown: 0.2, floor: 1e-4), truth: truth),
            Curve("cosine-2000", new CosineSchedule(1e-3, 2000, 20, 1e-4), truth: truth),
            Curve("wsd-2000", new WsdSchedule(1e-3, 2000, 20, cooldown: 0.2, floor: 1e-4), truth: truth),
        };
        if (withHighPeak) runs.Insert(3, Curve("cosine-1000-high", new CosineSchedule(2e-3, 1000, 20, 2e-4), truth: truth));
        return runs;
    }

    /// <summary>A finished sweep run: a constant LR for steps = budget / batch steps and one final loss.</summary>
    public static TrainingRun SweepRun(double lr, double batchTokens, int steps, double finalLoss, double n = N, int? sequenceLength = null)
    {
        var meta = sequenceLength is { } l
            ? new RunMetadata($"lr{lr:G4}-b{batchTokens:G6}-s{steps}") { Parameters = n, BatchSize = (int)(batchTokens / l), SequenceLength = l }
            : new RunMetadata($"lr{lr:G4}-b{batchTokens:G6}-s{steps}") { Parameters = n, TokensPerStep = batchTokens };
        return new TrainingRun(meta, Enumerable.Repeat(lr, steps).ToArray(), [new LossObservation(steps, finalLoss)]);
    }
}
