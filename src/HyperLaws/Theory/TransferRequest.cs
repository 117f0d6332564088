namespace HyperLaws.Theory;

/// <summary>
/// Hyperparameters tuned at budget <see cref="FromTokens"/> (eta0, beta0, b0), to be carried to
/// <see cref="ToTokens"/> under a regime's scaling rule.
/// </summary>
public sealed record TransferRequest(
    TuningRegime Regime, double FromTokens, double LearningRate, double Momentum, double Batch, double ToTokens)
{
    /// <summary>Batch-growth exponent c for the ridge regime.</summary>
    public double? RidgeExponent { get; init; }

    /// <summary>Round the batch to a multiple of this (a micro-batch, a device count); 1 = whole batches; null = no rounding.</summary>
    public double? BatchMultiple { get; init; } = 1;

    /// <summary>Tokens per batch element when b counts sequences (K = T / (b L)); null when b and T share a unit.</summary>
    public double? SequenceLength { get; init; }

    /// <summary>Checks the request: positive, finite budgets and hyperparameters in range, and a regime that can be transferred (not fixed-lr; ridge with its exponent).</summary>
    /// <exception cref="ArgumentException">A value out of range; the message names it.</exception>
    public void Validate()
    {
        if (!(FromTokens > 0) || !double.IsFinite(FromTokens)) throw new ArgumentException($"the source budget must be positive (got {FromTokens}).");
        if (!(ToTokens > 0) || !double.IsFinite(ToTokens)) throw new ArgumentException($"the target budget must be positive (got {ToTokens}).");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"learning rate must be positive (got {LearningRate}).");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentException($"momentum must be in [0, 1) (got {Momentum}).");
        if (!(Batch >= 1) || !double.IsFinite(Batch)) throw new ArgumentException($"batch size must be at least 1 (got {Batch}).");
        if (BatchMultiple is { } m && (!(m >= 1) || !double.IsFinite(m))) throw new ArgumentException($"the batch multiple must be at least 1 (got {m}).");
        if (SequenceLength is { } l && (!(l >= 1) || !double.IsFinite(l))) throw new ArgumentException($"the sequence length must be at least 1 (got {l}).");
        if (Regime == TuningRegime.Ridge && RidgeExponent is null) throw new MissingQuantityException(Regime, ScalingQuantity.RidgeExponent);
        if (RidgeExponent is { } e && !(e >= 0 && e <= 0.5)) throw new ArgumentException($"the ridge exponent must be in [0, 1/2] (got {e}).");
        if (Regime == TuningRegime.FixedLearningRate) throw new ArgumentException("regime fixed-lr keeps the LR: there is no LR to transfer (use fixed-momentum or joint).");
    }
}
