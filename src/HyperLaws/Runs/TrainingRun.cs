namespace HyperLaws.Runs;

/// <summary>
/// One training run: metadata, the learning rate of every step (index 0 is step 1; warmup included),
/// and the logged losses. Laws see the whole LR history, so a continued run carries its parent's.
/// </summary>
/// <param name="Metadata">Name, sizes, schedule, source.</param>
/// <param name="LearningRates">eta_t for t = 1..S, where S = <see cref="Steps"/>.</param>
/// <param name="Observations">Logged losses, sorted by step, steps within 1..S, no duplicates per split.</param>
/// <param name="Diverged">True when the loss exploded (kept and marked, never dropped silently).</param>
public sealed record TrainingRun(
    RunMetadata Metadata, double[] LearningRates, IReadOnlyList<LossObservation> Observations, bool Diverged = false)
{
    /// <summary>The number of steps S (the length of <see cref="LearningRates"/>).</summary>
    public int Steps => LearningRates.Length;

    /// <summary>The run's name (<see cref="RunMetadata.Name"/>).</summary>
    public string Name => Metadata.Name;

    /// <summary>The observations of one split, in step order.</summary>
    public IEnumerable<LossObservation> Split(LossSplit split) => Observations.Where(o => o.Split == split);

    /// <summary>Last observation of a split, or null when there is none.</summary>
    public LossObservation? Final(LossSplit split = LossSplit.Train)
    {
        LossObservation? last = null;
        foreach (var o in Observations)
            if (o.Split == split) last = o;
        return last;
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the run and the problem when the run breaks its
    /// invariants: negative or non-finite LRs, losses that are not finite, steps out of range,
    /// unsorted or duplicated steps.
    /// </summary>
    public void Validate()
    {
        string who = Metadata.Source is { } src ? $"{src} ({Name})" : Name;
        if (LearningRates.Length == 0) throw new ArgumentException($"{who}: the run has no steps.");
        for (int i = 0; i < LearningRates.Length; i++)
        {
            double lr = LearningRates[i];
            if (!double.IsFinite(lr) || lr < 0) throw new ArgumentException($"{who}: learning rate at step {i + 1} is {lr} (must be finite and >= 0).");
        }
        var lastStep = new Dictionary<LossSplit, int>();
        foreach (var o in Observations)
        {
            if (!double.IsFinite(o.Loss)) throw new ArgumentException($"{who}: {o.Split} loss at step {o.Step} is {o.Loss}.");
            if (o.Step < 1 || o.Step > Steps) throw new ArgumentException($"{who}: observation at step {o.Step} is outside the run's steps 1..{Steps}.");
            if (lastStep.TryGetValue(o.Split, out int prev) && o.Step <= prev)
                throw new ArgumentException($"{who}: {o.Split} steps are {(o.Step == prev ? "duplicated" : "not sorted")} at step {o.Step}.");
            lastStep[o.Split] = o.Step;
        }
    }
}
