namespace HyperLaws.Theory;

/// <summary>
/// A regime that holds a hyperparameter fixed was given no value for it (<see cref="ScalingProblem.Validate"/>,
/// <see cref="TransferRequest.Validate"/>). <see cref="Quantity"/> says which, so a front end can name its own input
/// for it; the message names the quantity in words.
/// </summary>
public sealed class MissingQuantityException(TuningRegime regime, ScalingQuantity quantity)
    : ArgumentException($"regime {Names.Of(regime)} needs {Describe(quantity)}.")
{
    /// <summary>The regime that holds <see cref="Quantity"/> fixed.</summary>
    public TuningRegime Regime { get; } = regime;

    /// <summary>The hyperparameter that was not given.</summary>
    public ScalingQuantity Quantity { get; } = quantity;

    private static string Describe(ScalingQuantity quantity) => quantity switch
    {
        ScalingQuantity.Batch => "a fixed batch size",
        ScalingQuantity.Momentum => "a fixed momentum",
        ScalingQuantity.LearningRate => "a fixed learning rate",
        ScalingQuantity.RidgeExponent => "a ridge exponent (the batch-growth exponent c)",
        _ => quantity.ToString(),
    };
}
