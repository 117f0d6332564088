using HyperLaws.Validation;

namespace HyperLaws.Cli.Commands.Validate;

/// <summary>Protocol 2 (cross-size): each law fitted on the 25M and 100M curves with a size law, predicting the 400M curves.</summary>
/// <param name="Result">The protocol's result (<see cref="CrossSize.Run"/>).</param>
/// <param name="SizeExponent">The offset's size exponent given with --size-exponent (the variants of <see cref="CrossSize.GivenExponentVariants"/>); null: protocol 2's own variants.</param>
internal sealed record CrossSizeScoreboard(CrossSizeResult Result, double? SizeExponent = null) : ValidateResult(2)
{
    /// <summary>The pooled fit that gave <see cref="SizeExponent"/> (--size-exponent pooled=DIR, <see cref="PooledSizeExponent"/>); null: given or none.</summary>
    public PooledExponentResult? Pooled { get; init; }
}
