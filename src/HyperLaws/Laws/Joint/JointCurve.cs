
namespace HyperLaws.Laws.Joint;

/// <summary>
/// One curve (or one final loss: a single step) for <see cref="JointLaw"/>: the LR history, observed losses at
/// ascending steps, the model size N and the batch in tokens per step (NaN when unknown: the law then uses the
/// reference size and batch, so curves of one unknown size and batch are fitted as one size and batch).
/// </summary>
public sealed record JointCurve(string Name, ScheduleHistory History, int[] Steps, double[] Loss, double ModelSize = double.NaN, double BatchTokens = double.NaN)
{
    /// <summary>Optimizer steps per entry of <see cref="History"/> (1: one entry per step); &gt; 1 for a coarse history of a long run (each entry k steps at its LR).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>The curve's group for <see cref="JointFitOptions.GroupOffsets"/> (e.g. a sweep's (N, D) cell); null: none.</summary>
    public string? Group { get; init; }

    /// <summary>A fit target as a curve (its model size; batch unknown).</summary>
    public static JointCurve Of(FitTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new JointCurve(target.Name, target.History, target.Steps, target.Loss, target.ModelSize);
    }

    /// <summary>The same checks as <see cref="FitTarget.Validate"/>, plus a positive or NaN size and batch.</summary>
    public void Validate()
    {
        new FitTarget(Name, History, Steps, Loss).Validate();
        if (!double.IsNaN(ModelSize) && !(ModelSize > 0 && double.IsFinite(ModelSize))) throw new ArgumentException($"{Name}: model size {ModelSize} (must be positive, or NaN when unknown).");
        if (Stride < 1) throw new ArgumentException($"{Name}: stride {Stride} (must be >= 1).");
        if (!double.IsNaN(BatchTokens) && !(BatchTokens > 0 && double.IsFinite(BatchTokens))) throw new ArgumentException($"{Name}: batch {BatchTokens} tokens (must be positive, or NaN when unknown).");
    }
}
