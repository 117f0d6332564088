namespace HyperLaws.Theory;

/// <summary>
/// One minimisation of the proxy: a regime, a budget T (samples or tokens; b in the same unit) and
/// the hyperparameters the regime holds fixed. <see cref="Validate"/> says what is missing or out of range.
/// </summary>
public sealed record ScalingProblem(TuningRegime Regime, double Tokens)
{
    /// <summary>Fixed batch size (LrOnly, FixedBatch).</summary>
    public double? Batch { get; init; }

    /// <summary>Fixed alpha = 1 - beta (LrOnly, FixedMomentum, FixedLearningRate).</summary>
    public double? Alpha { get; init; }

    /// <summary>Fixed learning rate (FixedLearningRate).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Batch-growth exponent c in [0, 1/2] (Ridge).</summary>
    public double? RidgeExponent { get; init; }

    /// <summary>Upper limit on the batch (memory, say) for regimes that tune it (Corollary 1).</summary>
    public double? MaxBatch { get; init; }

    /// <summary>Whole batches only (b a positive integer) where b is tuned.</summary>
    public bool IntegerBatch { get; init; }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> with a one-line reason when the problem is ill-posed: a
    /// <see cref="MissingQuantityException"/> naming the quantity when the regime holds one fixed that is not given.
    /// </summary>
    public void Validate()
    {
        if (!(Tokens > 0) || !double.IsFinite(Tokens)) throw new ArgumentException($"the budget must be positive and finite (got {Tokens}).");
        if (Tokens > 1e30) throw new ArgumentException($"the budget {Tokens:G3} is absurdly large (over 1e30).");
        if (Alpha is { } a && (!(a > 0) || a > 1)) throw new ArgumentException($"momentum must be in [0, 1) (got beta = {1 - a}).");
        if (Batch is { } b && (!(b >= 1) || !double.IsFinite(b))) throw new ArgumentException($"batch size must be at least 1 (got {b}).");
        if (Batch is { } bt && bt > Tokens) throw new ArgumentException($"batch size {bt:G6} exceeds the budget {Tokens:G6} (fewer than one iteration).");
        if (MaxBatch is { } mb && (!(mb >= 1) || !double.IsFinite(mb))) throw new ArgumentException($"the batch limit must be at least 1 (got {mb}).");
        if (LearningRate is { } lr && (!(lr > 0) || !double.IsFinite(lr))) throw new ArgumentException($"learning rate must be positive (got {lr}).");
        if (RidgeExponent is { } c && !(c >= 0 && c <= 0.5)) throw new ArgumentException($"the ridge exponent must be in [0, 1/2] (got {c}).");

        switch (Regime)
        {
            case TuningRegime.LrOnly:
                Require(Batch, ScalingQuantity.Batch); Require(Alpha, ScalingQuantity.Momentum); break;
            case TuningRegime.FixedMomentum:
                Require(Alpha, ScalingQuantity.Momentum); break;
            case TuningRegime.FixedBatch:
                Require(Batch, ScalingQuantity.Batch); break;
            case TuningRegime.Joint:
                break;
            case TuningRegime.Ridge:
                Require(RidgeExponent, ScalingQuantity.RidgeExponent); break;
            case TuningRegime.FixedLearningRate:
                Require(LearningRate, ScalingQuantity.LearningRate); Require(Alpha, ScalingQuantity.Momentum); break;
            default:
                throw new ArgumentException($"unknown regime {Regime}.");
        }
    }

    /// <summary>Largest batch the regime may choose: the budget itself (K = 1) or the user's limit.</summary>
    public double BatchUpperBound => Math.Min(Tokens, MaxBatch ?? double.PositiveInfinity);

    private void Require(double? value, ScalingQuantity quantity)
    {
        if (value is null) throw new MissingQuantityException(Regime, quantity);
    }
}
