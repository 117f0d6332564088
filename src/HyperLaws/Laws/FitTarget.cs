using HyperLaws.Runs;

namespace HyperLaws.Laws;

/// <summary>One curve to fit: a schedule history and the observed losses at ascending steps.</summary>
public sealed record FitTarget(string Name, ScheduleHistory History, int[] Steps, double[] Loss)
{
    /// <summary>Model size N in parameters when known (laws across sizes need it); NaN when not.</summary>
    public double ModelSize { get; init; } = double.NaN;

    /// <summary>The given observations of <paramref name="run"/> as a target: the run's whole LR history, their steps and losses, its model size.</summary>
    public static FitTarget Of(TrainingRun run, IEnumerable<LossObservation> points)
    {
        ArgumentNullException.ThrowIfNull(run);
        var p = points.ToArray();
        return new FitTarget(run.Name, new ScheduleHistory(run.LearningRates), [.. p.Select(o => o.Step)], [.. p.Select(o => o.Loss)])
        {
            ModelSize = run.Metadata.Parameters ?? double.NaN,
        };
    }

    /// <summary>
    /// The curve on a finer time axis: each optimizer step becomes <paramref name="factor"/> unit steps at its LR, so unit step j has
    /// the LR of step ceil(j / factor) and the observation at step s moves to factor s (the losses unchanged). With the unit the tokens
    /// of a smaller batch, a run of factor times that batch is counted in tokens: its LR sum S1(factor s) = factor S1(s), its warmup and
    /// every step count factor times longer (docs/VALIDATION.md, "Protocol 17c on tokens"). The curve itself when factor is 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is below 1, or the stretched run has more than int.MaxValue steps.</exception>
    public FitTarget Stretched(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        return Stretched((double)factor);
    }

    /// <summary>
    /// The curve counted w-fold in time (<see cref="StepEquivalence.Stretch"/>): round(w S) unit steps, unit step j at the LR of step
    /// ceil(j S / M) (M = round(w S) unit steps), the observation at step s moved to round(w s), the losses unchanged. With w the critical-batch equivalence of the
    /// run's batch to a smaller one (<see cref="StepEquivalence.Factor(double, double, double)"/>) the run is counted in steps of that
    /// batch (docs/VALIDATION.md, "Protocol 17c with steps counted by the critical batch"); with a whole w it is <see cref="Stretched(int)"/>.
    /// The curve itself when w is 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is below 1 or not finite, or the stretched run has more than int.MaxValue steps.</exception>
    public FitTarget Stretched(double factor)
    {
        if (!(factor >= 1) || !double.IsFinite(factor)) throw new ArgumentOutOfRangeException(nameof(factor), $"{Name}: the stretch factor must be at least 1 (got {factor}).");
        if (factor == 1) return this;
        int steps = History.Steps;
        var lr = new double[steps];
        for (int t = 1; t <= steps; t++) lr[t - 1] = History.Eta(t);
        // In its own array: a fit walks its curves at every evaluation (a plan's candidate, walked once, is stretched on the fly).
        var stretched = StepEquivalence.StretchedHistory(lr, factor, walkedOnce: false);
        // w >= 1: round(w s) is strictly increasing in s, so the observations stay ascending.
        return this with { History = stretched, Steps = [.. Steps.Select(s => StepEquivalence.StretchedStep(s, factor, stretched.Steps))] };
    }

    /// <summary>Checks the curve: at least one observation, as many losses as steps, steps ascending within the history, losses positive and finite.</summary>
    /// <exception cref="ArgumentException">The curve is unusable; the message names it.</exception>
    public void Validate()
    {
        if (Steps.Length != Loss.Length) throw new ArgumentException($"{Name}: steps and losses differ in length.");
        if (Steps.Length == 0) throw new ArgumentException($"{Name}: no observations to fit.");
        for (int i = 0; i < Steps.Length; i++)
        {
            if (Steps[i] < 1 || Steps[i] > History.Steps) throw new ArgumentException($"{Name}: step {Steps[i]} is outside 1..{History.Steps}.");
            if (i > 0 && Steps[i] <= Steps[i - 1]) throw new ArgumentException($"{Name}: steps are not ascending at {Steps[i]}.");
            if (!(Loss[i] > 0) || !double.IsFinite(Loss[i])) throw new ArgumentException($"{Name}: loss at step {Steps[i]} is {Loss[i]}.");
        }
    }
}
