using HyperLaws.Theory;

namespace HyperLaws.Cli.Options;

/// <summary>
/// The option of <c>scale</c> and <c>transfer</c> that gives each hyperparameter a regime may hold fixed: the core
/// says which quantity is missing (<see cref="MissingQuantityException"/>), the CLI names the option.
/// </summary>
public static class ScalingQuantityOptions
{
    /// <summary>The option that sets <paramref name="quantity"/> ("--batch", "--momentum", "--lr", "--ridge-exponent").</summary>
    public static string Of(ScalingQuantity quantity) => quantity switch
    {
        ScalingQuantity.Batch => "--batch",
        ScalingQuantity.Momentum => "--momentum",
        ScalingQuantity.LearningRate => "--lr",
        ScalingQuantity.RidgeExponent => "--ridge-exponent",
        _ => throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "no option sets this quantity."),
    };

    /// <summary>The user's line for a missing quantity: "regime fixed-batch needs --batch.".</summary>
    public static string Message(MissingQuantityException missing) =>
        $"regime {Names.Of(missing.Regime)} needs {Of(missing.Quantity)}.";
}
